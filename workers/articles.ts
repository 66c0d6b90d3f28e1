import type { PipelineContext } from '../src/pipeline/context.js';
import { ingestArticle } from '../src/pipeline/ingest-article.js';
import { delayWhenHostBusy } from '../src/queues/delay-when-busy.js';
import type { ArticleJob, ArticleJobResult } from '../src/queues/jobs.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import { startWorker } from './worker-options.js';

export function startArticlesWorker(ctx: PipelineContext) {
  return startWorker<ArticleJob, ArticleJobResult>(
    ctx,
    QUEUE_NAMES.articles,
    ctx.config.queues.concurrency.articles,
    (job, token) =>
      delayWhenHostBusy(job, token, () =>
        ingestArticle(ctx, job.data, { isLastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) }),
      ),
  );
}
