import { reconcile } from '../ops/reconcile.js';
import { activeFeeds } from '../pipeline/feed-registry.js';
import { syncFeedSchedules } from '../pipeline/schedule-feeds.js';
import { pruneBlockedPairs } from '../store/blocked-pairs.js';
import type { AppContext } from './context.js';
import type { Running } from './job-worker.js';

/** Keeps one job scheduler per active feed; re-syncs so feeds added at run time are picked up. */
export async function startScheduler(ctx: AppContext, resyncMs = 60_000): Promise<Running> {
  const sync = async () => {
    const feeds = await activeFeeds(ctx.redis, ctx.keys, ctx.config);
    const r = await syncFeedSchedules(ctx.queues.feeds, feeds);
    ctx.log.info(r, 'feed schedules synced');
    if (!feeds.length)
      ctx.log.warn('no feeds configured: add some in the config or with `wiresift feeds add URL`');
  };
  await sync();
  const timer = setInterval(() => {
    sync().catch((err) => ctx.log.error({ err: (err as Error).message }, 'feed schedule sync failed'));
  }, resyncMs);
  timer.unref();
  const reconcileTimer = startReconcileTimer(ctx);
  return {
    name: 'scheduler',
    close: async () => {
      clearInterval(timer);
      clearInterval(reconcileTimer);
    },
  };
}

/**
 * A daemon has no end of run to check for lost work: every
 * ops.reconcileIntervalSeconds it queues again what a Redis episode left
 * seen but unfinished, and drops the blocked pairs of expired articles.
 * Skipped while Redis is failing (the jobs wait anyway).
 */
function startReconcileTimer(ctx: AppContext): NodeJS.Timeout | undefined {
  const seconds = ctx.config.ops.reconcileIntervalSeconds;
  if (!seconds) return undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running || !ctx.redisHealth.state().ok) return;
    running = true;
    reconcile(ctx)
      .then(async (r) => {
        if (r.reenqueued.articles || r.reenqueued.dedup)
          ctx.log.warn(r, 'reconcile re-enqueued unfinished work');
        const dropped = await pruneBlockedPairs(ctx.redis, ctx.keys);
        if (dropped) ctx.log.info({ dropped }, 'blocked pairs of expired articles dropped');
      })
      .catch((err: unknown) => {
        if (!ctx.redisHealth.report(err, 'reconcile'))
          ctx.log.error({ err: (err as Error).message }, 'reconcile failed');
      })
      .finally(() => {
        running = false;
      });
  }, seconds * 1000);
  timer.unref();
  return timer;
}
