import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: one server, or seed nodes of a Redis Cluster (config.redis). */
export type RedisSettings = { url: string; cluster: boolean };

/** The URLs of `url`: one, or comma-separated seed nodes of a Redis Cluster. */
export function redisUrls(url: string): string[] {
  return url
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

/**
 * A connection to the configured Redis. On Redis Cluster it is an ioredis
 * Cluster, typed as the Redis it stands in for: the code above uses only
 * commands a Cluster routes by key (every multi-key step's keys share a slot,
 * see store/keys.ts), and walks keys with key-scan.ts, which visits each master.
 */
export function openRedis(settings: RedisSettings, options: RedisOptions): Redis {
  if (!settings.cluster) return new Redis(settings.url, options);
  const urls = redisUrls(settings.url).map((u) => new URL(u));
  const first = urls[0]!;
  const auth = {
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  const cluster = new Cluster(
    urls.map((u) => ({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) })),
    {
      redisOptions: { ...auth, ...options },
      enableOfflineQueue: options.enableOfflineQueue ?? true,
      ...(options.retryStrategy ? { clusterRetryStrategy: options.retryStrategy } : {}),
      ...(options.lazyConnect ? { lazyConnect: true } : {}),
    },
  );
  return cluster as unknown as Redis;
}

export function isCluster(redis: Redis): boolean {
  return (redis as unknown) instanceof Cluster;
}

/** The masters of a Cluster connection, or the connection itself on one Redis. */
export function mastersOf(redis: Redis): Redis[] {
  return isCluster(redis) ? (redis as unknown as Cluster).nodes('master') : [redis];
}

export function connectRedis(settings: RedisSettings, name: string): Redis {
  // BullMQ needs maxRetriesPerRequest null on the connections it blocks on.
  return openRedis(settings, {
    maxRetriesPerRequest: null,
    connectionName: `wiresift:${name}`,
    lazyConnect: false,
  });
}

/**
 * A connection for probes (/readyz, /metrics) that fails at once instead of
 * queueing: the pipeline's connections wait out an outage (offline queue,
 * unlimited retries), which made those routes hang while Redis was down.
 */
export function connectProbeRedis(settings: RedisSettings, name: string, timeoutMs = 800): Redis {
  return openRedis(settings, {
    connectionName: `wiresift:${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs, 1000),
  });
}

/** True once `redis` is ready; waits up to `ms` while it is (re)connecting, false after. */
export function readyWithin(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  if (redis.status === 'end' || redis.status === 'close') return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    redis.once('ready', onReady);
  });
}
