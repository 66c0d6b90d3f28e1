import { createContext } from '../app/context.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { type ReconcileReport, reconcile } from '../ops/reconcile.js';
import { waitForRedis } from '../ops/redis-startup.js';

export function formatReconcile(r: ReconcileReport): string {
  const verb = r.dryRun ? 'would re-enqueue' : 're-enqueued';
  const n = r.dryRun ? r.missingArticle : r.reenqueued.articles;
  const d = r.dryRun ? r.missingCluster - r.bodyExpired : r.reenqueued.dedup;
  return (
    `reconcile: ${r.seenUrls} seen URLs, ${r.articles} articles; ` +
    `${r.missingArticle} without a stored article, ${r.missingCluster} without a cluster` +
    `${r.bodyExpired ? ` (${r.bodyExpired} with an expired body, left alone)` : ''}, ${r.inFlight} on their way; ` +
    `${verb} ${n} article jobs${r.rebuilt ? ` (${r.rebuilt} rebuilt from the URL alone)` : ''} and ${d} dedup jobs`
  );
}

/**
 * `wiresift reconcile [--json] [--dry-run]`: queue again what was seen but
 * never stored or clustered (after a Redis outage or memory-full period),
 * with the same job ids, so running it twice, or beside workers, is safe.
 */
export async function reconcileCommand(
  config: Config,
  log: Logger,
  opts: { json: boolean; dryRun: boolean },
  out: (s: string) => void,
): Promise<number> {
  if (!(await waitForRedis(config, log, AbortSignal.timeout(30_000)))) {
    log.error('reconcile: Redis did not answer within 30 s');
    return 1;
  }
  const ctx = createContext(config, log);
  try {
    const report = await reconcile(ctx, { dryRun: opts.dryRun });
    out(opts.json ? JSON.stringify(report) : formatReconcile(report));
    return 0;
  } finally {
    await ctx.close();
  }
}
