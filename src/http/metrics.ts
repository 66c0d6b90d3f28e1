import type { Redis } from 'ioredis';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { redisRtt } from '../ops/redis-startup.js';
import { activeFeeds } from '../pipeline/feed-registry.js';
import { countArticles } from '../store/articles.js';
import { feedHealthCounts } from '../store/feed-state.js';
import { relayBacklog } from '../webhooks/event-relay.js';
import type { WebContext } from './web-context.js';

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
  infraDelayed: new Counter({
    name: 'wiresift_jobs_infra_delayed_total',
    help: 'Jobs put back as delayed, no attempt spent, after a Redis infrastructure error (cause: oom, connection…)',
    labelNames: ['queue', 'cause'],
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
  webhookDeliveries: new Counter({
    name: 'wiresift_webhook_deliveries_total',
    help: 'Webhook delivery attempts per configured endpoint name, by outcome (delivered, retrying, failed: no attempt left)',
    labelNames: ['endpoint', 'outcome'],
    registers: [processRegistry],
  }),
  webhookDuration: new Histogram({
    name: 'wiresift_webhook_delivery_seconds',
    help: 'Time of one webhook POST, per configured endpoint name',
    labelNames: ['endpoint'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [processRegistry],
  }),
};

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

export const httpMetrics = {
  duration: new Histogram({
    name: 'wiresift_http_request_duration_seconds',
    help: 'HTTP requests served, by method, route pattern (never the raw URL) and status class',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [processRegistry],
  }),
};

/**
 * Labels of one request: the route the router matched (`/review/clusters/:id`),
 * so ids and query strings never become label values; anything unmatched is one value.
 */
export function httpLabels(method: string, route: string | undefined, statusCode: number) {
  return {
    method: HTTP_METHODS.has(method) ? method : 'other',
    route: route || 'unmatched',
    status: `${Math.floor(statusCode / 100)}xx`,
  };
}

/** safeFetch's outcome hook value → a closed label set. */
export function fetchOutcomeLabel(outcome: { status?: number; code?: string }): string {
  if (outcome.status && outcome.status >= 100) return `${Math.floor(outcome.status / 100)}xx`;
  const code = outcome.code ?? 'other';
  if (code === 'ssrf_blocked') return 'blocked';
  return ['timeout', 'network', 'too_large', 'bad_content_type', 'empty_body'].includes(code)
    ? code
    : 'other';
}

type RedisSnapshot = {
  ok: boolean;
  queues?: Array<Record<string, number>>;
  articles?: number;
  clusters?: number;
  rtt?: number;
  feeds?: Record<string, number>;
};

/** fn's value, or undefined when it fails or takes longer than timeoutMs. */
async function within<T>(timeoutMs: number, fn: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      }),
    ]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every Redis read of one scrape, in parallel, each within `timeoutMs`, and
 * shared by the gauges of that scrape (prom-client collects them at once).
 * With Redis away (the probe connection not ready) nothing is read at all:
 * the scrape answers at once with the process metrics, wiresift_redis_up 0
 * and the Redis gauges absent.
 */
function redisSnapshots(ctx: WebContext, probe: Redis, timeoutMs: number): () => Promise<RedisSnapshot> {
  let current: Promise<RedisSnapshot> | null = null;
  const take = async (): Promise<RedisSnapshot> => {
    if (probe.status !== 'ready') return { ok: false };
    const [queues, articles, clusters, rtt, feeds] = await Promise.all([
      // The queues' own connection waits out an outage: the timeout bounds that wait.
      within(timeoutMs, () =>
        Promise.all(
          ctx.queues.all.map((q) =>
            q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'),
          ),
        ),
      ),
      within(timeoutMs, () => countArticles(probe, ctx.keys)),
      within(timeoutMs, () => probe.zcard(ctx.keys.clustersByUpdate)),
      within(timeoutMs, () => redisRtt(probe)),
      within(timeoutMs, async () => {
        const active = await activeFeeds(probe, ctx.keys, ctx.config);
        return feedHealthCounts(
          probe,
          ctx.keys,
          active.map((f) => f.feedId),
        );
      }),
    ]);
    const snap = { queues, articles, clusters, rtt, feeds };
    return { ...snap, ok: Object.values(snap).every((v) => v !== undefined) };
  };
  return () => {
    current ??= take().finally(() => {
      // The next scrape reads afresh; the gauges of this one already hold this promise.
      setImmediate(() => {
        current = null;
      });
    });
    return current;
  };
}

/**
 * Per-process counters plus gauges read from Redis at scrape time, so every
 * replica reports the shared queue truth. `probe` should fail fast
 * (connectProbeRedis); the process metrics are served whatever Redis does.
 */
export function createMetrics(ctx: WebContext, probe: Redis = ctx.redis, timeoutMs = 800): Registry {
  const registry = new Registry();
  const snapshot = redisSnapshots(ctx, probe, timeoutMs);
  // Node's own names (process_cpu_seconds_total, nodejs_heap_size_used_bytes…), as dashboards expect.
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'wiresift_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      (await snapshot()).queues?.forEach((counts, i) => {
        for (const [state, n] of Object.entries(counts))
          this.set({ queue: ctx.queues.all[i]!.name, state }, n);
      });
    },
  });
  const single = (name: string, help: string, pick: (s: RedisSnapshot) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        const v = pick(await snapshot());
        if (v !== undefined) this.set(v);
      },
    });
  if (ctx.config.webhooks.endpoints.length)
    new Gauge({
      name: 'wiresift_webhook_events_unrelayed',
      help: 'Change events the webhook relay has not yet queued for delivery (unread by its group, or read and not acknowledged)',
      registers: [registry],
      async collect() {
        this.reset();
        if (probe.status !== 'ready') return;
        const v = await within(timeoutMs, () => relayBacklog(probe, ctx.keys.events));
        if (v !== undefined) this.set(v);
      },
    });
  single('wiresift_articles', 'Articles stored', (s) => s.articles);
  single('wiresift_clusters', 'Clusters stored', (s) => s.clusters);
  single('wiresift_redis_rtt_seconds', 'Round-trip time of a Redis PING at scrape time', (s) => s.rtt);
  single(
    'wiresift_redis_up',
    '1 when this scrape read every Redis gauge, 0 when Redis was unreachable or slow (those gauges are then absent; /readyz says why)',
    (s) => (s.ok ? 1 : 0),
  );
  new Gauge({
    name: 'wiresift_feeds',
    help: 'Active feeds per health (ok, error, backoff, never polled)',
    labelNames: ['health'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [health, n] of Object.entries((await snapshot()).feeds ?? {})) this.set({ health }, n);
    },
  });
  new Gauge({
    name: 'wiresift_redis_failing',
    help: '1 while this process is waiting out a Redis fault (OOM, MISCONF, READONLY, lost connection…)',
    registers: [registry],
    collect() {
      this.set(ctx.redisHealth.state().ok ? 0 : 1);
    },
  });
  return Registry.merge([registry, processRegistry]);
}
