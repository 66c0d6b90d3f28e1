import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { PipelineContext } from '../pipeline/context.js';
import { activeFeeds } from '../pipeline/feed-registry.js';
import { countArticles } from '../store/articles.js';
import { feedHealthCounts } from '../store/feed-state.js';

/** Gauges read from Redis at scrape time, so every web replica reports the shared truth. */
export function createMetrics(ctx: PipelineContext): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wiresift_process_' });
  new Gauge({
    name: 'wiresift_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const q of ctx.queues.all) {
        const counts = await q.getJobCounts(
          'waiting',
          'active',
          'delayed',
          'failed',
          'completed',
          'prioritized',
        );
        for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
      }
    },
  });
  new Gauge({
    name: 'wiresift_articles',
    help: 'Articles stored',
    registers: [registry],
    async collect() {
      this.set(await countArticles(ctx.redis, ctx.keys));
    },
  });
  new Gauge({
    name: 'wiresift_clusters',
    help: 'Clusters stored',
    registers: [registry],
    async collect() {
      this.set(await ctx.redis.zcard(ctx.keys.clustersByUpdate));
    },
  });
  new Gauge({
    name: 'wiresift_feeds',
    help: 'Active feeds per health (ok, error, backoff, never polled)',
    labelNames: ['health'],
    registers: [registry],
    async collect() {
      const feeds = await activeFeeds(ctx.redis, ctx.keys, ctx.config);
      const counts = await feedHealthCounts(
        ctx.redis,
        ctx.keys,
        feeds.map((f) => f.feedId),
      );
      for (const [health, n] of Object.entries(counts)) this.set({ health }, n);
    },
  });
  return registry;
}
