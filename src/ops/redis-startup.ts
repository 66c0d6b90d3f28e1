import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { type Logger, redactUrl } from '../log.js';
import { redisUrls } from '../store/redis-client.js';

export type RedisCheck = { ok: true; policy: string } | { ok: false; reason: string };

/** Delay before attempt n+1 (n ≥ 1): doubles from min, capped at max, with ±20 % jitter so replicas spread out. */
export function backoffMs(attempt: number, minMs: number, maxMs: number, random = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(maxMs, base * (0.8 + 0.4 * random())));
}

/**
 * BullMQ and our Lua steps need every key to stay: a Redis that evicts would
 * silently drop jobs, locks or LSH buckets.
 */
export async function checkEvictionPolicy(redis: Redis): Promise<RedisCheck> {
  // INFO works where CONFIG is renamed or forbidden (managed Redis).
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? 'unknown';
  if (policy === 'noeviction') return { ok: true, policy };
  return {
    ok: false,
    reason: `redis: maxmemory-policy is ${policy}, must be noeviction (evicted keys lose jobs and clusters); set it in redis.conf or with CONFIG SET maxmemory-policy noeviction`,
  };
}

async function probe(url: string, timeoutMs: number): Promise<Redis> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
  });
  // connect() itself only says "Connection is closed."; the error event has the cause (ECONNREFUSED…).
  let cause: Error | undefined;
  r.on('error', (err: Error) => {
    cause = err;
  });
  try {
    await r.connect();
    await r.ping();
    return r;
  } catch (err) {
    r.disconnect();
    throw cause ?? err;
  }
}

/** Why Redis cannot be reached right now (ECONNREFUSED…), or null when a PING answers: one try, no retry. */
export async function redisUnreachable(config: Config, timeoutMs = 2000): Promise<string | null> {
  try {
    (await probe(firstUrl(config), timeoutMs)).disconnect();
    return null;
  } catch (err) {
    return describeFailure(err);
  }
}

/** One server, or the first seed node of a Redis Cluster: what start-up waits for and checks. */
function firstUrl(config: Config): string {
  return redisUrls(config.redis.url)[0] ?? config.redis.url;
}

function describeFailure(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code
    ? `${e.code}${e.message && !e.message.includes(e.code) ? ` ${e.message}` : ''}`
    : String(e.message ?? err);
}

/**
 * Waits until Redis answers PING, logging every failed attempt with the
 * delay before the next one. Resolves false when `signal` aborts first
 * (SIGTERM during start-up), true once Redis is up; warns when its eviction
 * policy would lose data.
 */
export async function waitForRedis(config: Config, log: Logger, signal?: AbortSignal): Promise<boolean> {
  const url = redactUrl(config.redis.url);
  const { redisRetryMinMs: min, redisRetryMaxMs: max } = config.ops;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return false;
    try {
      const r = await probe(firstUrl(config), Math.max(1000, max));
      try {
        const check = await checkEvictionPolicy(r);
        if (!check.ok) log.warn({ redis: url }, check.reason);
      } finally {
        r.disconnect();
      }
      if (attempt > 1) log.info({ redis: url, attempt }, 'redis: reachable, starting');
      return true;
    } catch (err) {
      const wait = backoffMs(attempt, min, max);
      log.error(
        { redis: url, attempt, retryInMs: wait, err: describeFailure(err) },
        `redis: cannot reach ${url} (${describeFailure(err)}); retrying in ${(wait / 1000).toFixed(1)} s`,
      );
      const aborted = await new Promise<boolean>((res) => {
        const t = setTimeout(() => res(false), wait);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            res(true);
          },
          { once: true },
        );
      });
      if (aborted) return false;
    }
  }
}

/** Round-trip time of one PING, in seconds. */
export async function redisRtt(redis: Redis): Promise<number> {
  const t0 = process.hrtime.bigint();
  await redis.ping();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
