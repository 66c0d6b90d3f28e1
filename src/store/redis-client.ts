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
  const redis = connect(settings, options);
  if (options.enableAutoPipelining) defineIntoOpenPipelines(redis);
  return redis;
}

/**
 * ioredis copies a connection's scripts into an auto-pipeline when it opens one
 * (each tick's batch), so a script defined on first use while a batch is open
 * was missing from that batch (`pipeline[name] is not a function`): each
 * definition is copied into the open batches too.
 */
function defineIntoOpenPipelines(redis: Redis): void {
  const define = redis.defineCommand.bind(redis);
  const open = (redis as unknown as { _autoPipelines?: Map<string, Record<string, unknown>> })._autoPipelines;
  if (!open) throw new Error('store: this ioredis has no auto-pipelines to define scripts into');
  redis.defineCommand = (name, definition) => {
    define(name, definition);
    const own = redis as unknown as Record<string, unknown>;
    for (const pipeline of open.values()) {
      pipeline[name] = own[name];
      pipeline[`${name}Buffer`] = own[`${name}Buffer`];
    }
  };
}

function connect(settings: RedisSettings, options: RedisOptions): Redis {
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
