import { clusterArticle } from '../src/pipeline/cluster-article.js';
import type { PipelineContext } from '../src/pipeline/context.js';
import type { DedupJob, DedupJobResult } from '../src/queues/jobs.js';
import { QUEUE_NAMES } from '../src/queues/names.js';
import { startWorker } from './worker-options.js';

export function startDedupWorker(ctx: PipelineContext) {
  return startWorker<DedupJob, DedupJobResult>(
    ctx,
    QUEUE_NAMES.dedup,
    ctx.config.queues.concurrency.dedup,
    (job) => clusterArticle(ctx, job.data),
  );
}
