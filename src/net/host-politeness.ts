import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.js';

export type PolitenessOptions = {
  /** Requests in flight to one host, across every replica. */
  maxConcurrentPerHost: number;
  /** Minimum time between the starts of two requests to one host. */
  minDelayMs: number;
  /** A lease not released within this time (a crashed worker) frees itself. */
  leaseMs: number;
  /** How long a job may wait in-process for a slot before it is delayed instead. */
  maxWaitMs: number;
};

/**
 * One atomic step so two replicas can never both take the last slot.
 * KEYS: [1] leases zset, [2] next-start string.
 * ARGV: [1] lease id, [2] max concurrent, [3] min delay ms, [4] lease ms.
 * Reply: {1, 0} when the slot is taken, else {0, ms to wait before asking again}.
 * The clock is Redis's own, so replicas with skewed clocks agree.
 */
const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local maxc = tonumber(ARGV[2])
local delay = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local nextAt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nextAt > now then
  return {0, nextAt - now}
end
if redis.call('ZCARD', KEYS[1]) >= maxc then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local untilExpiry = tonumber(first[2]) - now
  return {0, math.max(1, math.min(untilExpiry, math.max(delay, 100)))}
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
if delay > 0 then
  redis.call('SET', KEYS[2], now + delay, 'PX', delay)
end
return {1, 0}
`;

const ACQUIRE_CMD = 'wiresiftHostAcquire';

type Scripted = Redis & {
  [ACQUIRE_CMD](
    leases: string,
    next: string,
    id: string,
    max: number,
    delay: number,
    lease: number,
  ): Promise<[number, number]>;
};

/** A job could not get a slot on its host in time; the worker delays it instead of sleeping. */
export class HostBusyError extends Error {
  override readonly name = 'HostBusyError';
  constructor(
    readonly host: string,
    readonly retryInMs: number,
  ) {
    super(`net: host ${host} is busy (politeness limit), retry in ${retryInMs} ms`);
  }
}

export type HostLease = { host: string; id: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Per-host politeness shared by every replica through Redis: at most N requests
 * in flight and a minimum gap between request starts. BullMQ's limiter is per
 * queue, and feeds and articles hit the same hosts, so the limit is ours.
 */
export class HostPoliteness {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    readonly options: PolitenessOptions,
  ) {
    const r = redis as Scripted;
    if (typeof r[ACQUIRE_CMD] !== 'function')
      redis.defineCommand(ACQUIRE_CMD, { numberOfKeys: 2, lua: ACQUIRE_LUA });
  }

  /** One attempt: a lease, or how long to wait before the next attempt. */
  async tryAcquire(host: string): Promise<{ lease: HostLease } | { waitMs: number }> {
    const id = randomBytes(8).toString('hex');
    const key = host.toLowerCase();
    const [ok, waitMs] = await (this.redis as Scripted)[ACQUIRE_CMD](
      this.keys.hostLeases(key),
      this.keys.hostNextAt(key),
      id,
      this.options.maxConcurrentPerHost,
      this.options.minDelayMs,
      this.options.leaseMs,
    );
    return ok === 1 ? { lease: { host: key, id } } : { waitMs: Number(waitMs) };
  }

  /** Waits up to maxWaitMs for a slot, then gives up with HostBusyError. */
  async acquire(host: string, maxWaitMs = this.options.maxWaitMs): Promise<HostLease> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const r = await this.tryAcquire(host);
      if ('lease' in r) return r.lease;
      const left = deadline - Date.now();
      if (r.waitMs > left) throw new HostBusyError(host, r.waitMs);
      // A little jitter so replicas released at once do not stampede.
      await sleep(r.waitMs + Math.floor(Math.random() * 20));
    }
  }

  async release(lease: HostLease): Promise<void> {
    await this.redis.zrem(this.keys.hostLeases(lease.host), lease.id);
  }

  /** Runs fn holding a slot on the URL's host; the slot is released however fn ends. */
  async withSlot<T>(url: string, fn: () => Promise<T>): Promise<T> {
    const lease = await this.acquire(new URL(url).host);
    try {
      return await fn();
    } finally {
      await this.release(lease).catch(() => {});
    }
  }
}
