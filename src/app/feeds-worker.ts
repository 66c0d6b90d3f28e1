import { pollFeed } from '../pipeline/poll-feed.js';
import { delayWhenHostBusy } from '../queues/delay-when-busy.js';
import type { FeedJob, FeedJobResult } from '../queues/jobs.js';
import { QUEUE_NAMES } from '../queues/names.js';
import type { AppContext } from './context.js';
import { startWorker } from './job-worker.js';

export function startFeedsWorker(ctx: AppContext) {
  return startWorker<FeedJob, FeedJobResult>(
    ctx,
    QUEUE_NAMES.feeds,
    ctx.config.queues.concurrency.feeds,
    (job, jobCtx, token) => delayWhenHostBusy(job, token, () => pollFeed(jobCtx, job.data)),
  );
}
