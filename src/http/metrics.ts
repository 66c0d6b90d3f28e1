import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { redisRtt } from '../ops/redis-startup.js';
import type { PipelineContext } from '../pipeline/context.js';
import { activeFeeds } from '../pipeline/feed-registry.js';
import { countArticles } from '../store/articles.js';
import { feedHealthCounts } from '../store/feed-state.js';

/**
 * What this process did since it started (Prometheus sums replicas). Labels
 * are closed sets — queue, status class, state — never URLs, feeds or ids.
 */
const processRegistry = new Registry();

export const jobMetrics = {
  processed: new Counter({
    name: 'wiresift_jobs_processed_total',
    help: 'Jobs finished successfully, per queue',
    labelNames: ['queue'],
    registers: [processRegistry],
  }),
  failed: new Counter({
    name: 'wiresift_jobs_failed_total',
    help: 'Job attempts that failed, per queue; final="true" when no retry is left',
    labelNames: ['queue', 'final'],
    registers: [processRegistry],
  }),
  duration: new Histogram({
    name: 'wiresift_job_duration_seconds',
    help: 'Time spent in the job handler, per queue',
    labelNames: ['queue'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [processRegistry],
  }),
  fetches: new Counter({
    name: 'wiresift_fetch_total',
    help: 'HTTP fetches by what was fetched (feed, article) and outcome (2xx…5xx, or an error kind)',
    labelNames: ['kind', 'outcome'],
    registers: [processRegistry],
  }),
  extraction: new Counter({
    name: 'wiresift_extraction_total',
    help: 'Articles stored, by extraction status (ok, empty, failed) and text source (page, feed)',
    labelNames: ['status', 'source'],
    registers: [processRegistry],
  }),
  clustersCreated: new Counter({
    name: 'wiresift_clusters_created_total',
    help: 'Clusters created by dedup',
    registers: [processRegistry],
  }),
  clustersMerged: new Counter({
    name: 'wiresift_clusters_merged_total',
    help: 'Clusters merged into another by dedup',
    registers: [processRegistry],
  }),
  articlesJoined: new Counter({
    name: 'wiresift_articles_joined_total',
    help: 'Articles that joined an existing cluster',
    registers: [processRegistry],
  }),
};

/** safeFetch's outcome hook value → a closed label set. */
export function fetchOutcomeLabel(outcome: { status?: number; code?: string }): string {
  if (outcome.status && outcome.status >= 100) return `${Math.floor(outcome.status / 100)}xx`;
  const code = outcome.code ?? 'other';
  if (code === 'ssrf_blocked') return 'blocked';
  return ['timeout', 'network', 'too_large', 'bad_content_type', 'empty_body'].includes(code)
    ? code
    : 'other';
}

/**
 * Per-process counters plus gauges read from Redis at scrape time, so every
 * replica reports the shared queue truth.
 */
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
    name: 'wiresift_redis_rtt_seconds',
    help: 'Round-trip time of a Redis PING at scrape time',
    registers: [registry],
    async collect() {
      this.set(await redisRtt(ctx.redis));
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
  return Registry.merge([registry, processRegistry]);
}
