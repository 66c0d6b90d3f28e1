import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { PipelineContext } from '../pipeline/context.js';
import { countArticles } from '../store/articles.js';

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
  return registry;
}
