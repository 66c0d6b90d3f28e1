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
