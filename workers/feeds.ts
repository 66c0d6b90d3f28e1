import type { PipelineContext } from '../src/pipeline/context.js';
import { pollFeed } from '../src/pipeline/poll-feed.js';
import { delayWhenHostBusy } from '../src/queues/delay-when-busy.js';
import type { FeedJob, FeedJobResult } from '../src/queues/jobs.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import { startWorker } from './worker-options.js';

export function startFeedsWorker(ctx: PipelineContext) {
  return startWorker<FeedJob, FeedJobResult>(
    ctx,
    QUEUE_NAMES.feeds,
    ctx.config.queues.concurrency.feeds,
    (job, jobCtx, token) => delayWhenHostBusy(job, token, () => pollFeed(jobCtx, job.data)),
  );
}
