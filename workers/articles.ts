import { UnrecoverableError } from 'bullmq';
import { jobMetrics } from '../src/http/metrics.js';
import type { PipelineContext } from '../src/pipeline/context.js';
import { ingestArticle } from '../src/pipeline/ingest-article.js';
import { delayWhenHostBusy } from '../src/queues/delay-when-busy.js';
import type { ArticleJob, ArticleJobResult } from '../src/queues/jobs.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import { getArticle } from '../src/store/articles.js';
import { countPlacement } from './dedup.js';
import { startWorker } from './worker-options.js';

export function startArticlesWorker(ctx: PipelineContext) {
  return startWorker<ArticleJob, ArticleJobResult>(
    ctx,
    QUEUE_NAMES.articles,
    ctx.config.queues.concurrency.articles,
    async (job, jobCtx, token) => {
      try {
        const r = await delayWhenHostBusy(job, token, () =>
          ingestArticle(jobCtx, job.data, {
            isLastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          }),
        );
        if (!r.skipped) jobMetrics.extraction.inc({ status: r.status, source: r.source });
        if (r.clustered) countPlacement(r.clustered);
        return r;
      } catch (err) {
        // An article that extracted empty or failed is stored with its status, then its job fails.
        if (err instanceof UnrecoverableError) {
          const stored = await getArticle(ctx.redis, ctx.keys, job.data.articleId).catch(() => null);
          if (stored) jobMetrics.extraction.inc({ status: stored.status, source: stored.source });
        }
        throw err;
      }
    },
  );
}
