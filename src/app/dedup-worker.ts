import { jobMetrics } from '../http/metrics.js';
import { clusterArticle } from '../pipeline/cluster-article.js';
import type { DedupJob, DedupJobResult } from '../queues/jobs.js';
import { QUEUE_NAMES } from '../queues/names.js';
import type { AppContext } from './context.js';
import { startWorker } from './job-worker.js';

/** Counts a placement, wherever the dedup step ran (a dedup job, or the article job itself). */
export function countPlacement(r: DedupJobResult): void {
  if (r.created) jobMetrics.clustersCreated.inc();
  if (r.joined) jobMetrics.articlesJoined.inc();
  if (r.mergedFrom.length) jobMetrics.clustersMerged.inc(r.mergedFrom.length);
}

export function startDedupWorker(ctx: AppContext) {
  return startWorker<DedupJob, DedupJobResult>(
    ctx,
    QUEUE_NAMES.dedup,
    ctx.config.queues.concurrency.dedup,
    async (job, jobCtx) => {
      const r = await clusterArticle(jobCtx, job.data);
      countPlacement(r);
      return r;
    },
  );
}
