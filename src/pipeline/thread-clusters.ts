import type { AssignResult } from '../store/cluster-index.js';
import type { KnownBody, ThreadIndex, ThreadUpdate } from '../store/thread-index.js';

/**
 * The thread step after a cluster step: every cluster the assignment changed
 * is placed in its thread again — the article's own, those that moved pages
 * gained or lost — and those merged away leave theirs. Each update is derived
 * from the clusters as they now are, so a retried job (whose assignment comes
 * back as already done) repeats the article's own cluster and converges; a
 * merged-away cluster it no longer names is dropped by the next step that reads
 * its thread (thread-query.lua reads each cluster's existence).
 */
export async function threadClusters(
  threads: ThreadIndex,
  result: Pick<AssignResult, 'clusterId' | 'mergedFrom' | 'moved' | 'threadSource'>,
  known?: KnownBody,
): Promise<ThreadUpdate[]> {
  const touched = [
    result.clusterId,
    ...result.moved.flatMap(([, from, to]) => [to, from]),
    ...result.mergedFrom,
  ];
  const out: ThreadUpdate[] = [];
  for (const id of new Set(touched.filter(Boolean)))
    out.push(
      await threads.update(id, {
        ...(known ? { known } : {}),
        // The commit read the article's cluster for this step already (ClusterIndex readThreadSource).
        ...(id === result.clusterId && result.threadSource ? { source: result.threadSource } : {}),
      }),
    );
  return out;
}
