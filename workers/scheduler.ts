import type { PipelineContext } from '../src/pipeline/context.js';
import { activeFeeds } from '../src/pipeline/feed-registry.js';
import { syncFeedSchedules } from '../src/pipeline/schedule-feeds.js';
import type { Running } from './worker-options.js';

/** Keeps one job scheduler per active feed; re-syncs so feeds added at run time are picked up. */
export async function startScheduler(ctx: PipelineContext, resyncMs = 60_000): Promise<Running> {
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
  return { name: 'scheduler', close: async () => clearInterval(timer) };
}
