import { jobMetrics } from '../http/metrics.js';
import { ArticleNotUsable, ingestArticle } from '../pipeline/ingest-article.js';
import { delayWhenHostBusy } from '../queues/delay-when-busy.js';
import type { ArticleJob, ArticleJobResult } from '../queues/jobs.js';
import { QUEUE_NAMES } from '../queues/names.js';
import type { AppContext } from './context.js';
import { countPlacement } from './dedup-worker.js';
import { startWorker } from './job-worker.js';

export function startArticlesWorker(ctx: AppContext) {
  return startWorker<ArticleJob, ArticleJobResult>(
    ctx,
    QUEUE_NAMES.articles,
    ctx.config.queues.concurrency.articles,
    async (job, jobCtx, token) => {
      try {
        const r = await delayWhenHostBusy(job, token, () =>
          ingestArticle(jobCtx, job.data, {
            isLastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
            // attemptsStarted counts a stalled or delayed run too: any run after one that may have saved
            firstRun: job.attemptsStarted <= 1 && job.attemptsMade === 0,
          }),
        );
        if (!r.skipped) jobMetrics.extraction.inc({ status: r.status, source: r.source });
        if (r.clustered) countPlacement(r.clustered);
        return r;
      } catch (err) {
        // An article that extracted empty or failed is stored with its status, then its job fails.
        if (err instanceof ArticleNotUsable)
          jobMetrics.extraction.inc({ status: err.status, source: err.source });
        throw err;
      }
    },
  );
}
