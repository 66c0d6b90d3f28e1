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
  /**
   * Requests in flight to all hosts together, across every replica (0 = no
   * cap). Per-host limits bound nothing when a feed's items point at
   * thousands of hosts; this bounds the deployment's egress as a whole.
   */
  maxConcurrentOutbound?: number;
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

/** A job could not get a slot on its host (or any outbound slot) in time; the worker delays it instead of sleeping. */
export class HostBusyError extends Error {
  override readonly name = 'HostBusyError';
  constructor(
    readonly host: string,
    readonly retryInMs: number,
    message = `net: host ${host} is busy (politeness limit), retry in ${retryInMs} ms`,
  ) {
    super(message);
  }
}

export type HostLease = { host: string; id: string };

/** The outbound cap's lease set is keyed like a host that no URL can name. */
const OUTBOUND = '*';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Per-host politeness shared by every replica through Redis: at most N requests
 * in flight and a minimum gap between request starts. BullMQ's limiter is per
 * queue, and feeds and articles hit the same hosts, so the limit is ours.
 *
 * Beside it, an optional outbound cap on requests in flight to all hosts
 * together, also across replicas: it is the deployment's egress that must
 * not fan out (one feed can list thousands of hosts, and replicas scale the
 * per-process worker concurrency up); the same lease script gives it crash
 * expiry for one extra Redis round trip per request.
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
    const key = host.toLowerCase();
    return this.tryLease(
      key,
      this.keys.hostLeases(key),
      this.keys.hostNextAt(key),
      this.options.maxConcurrentPerHost,
      this.options.minDelayMs,
    );
  }

  /** One attempt at one of the deployment-wide outbound slots. */
  async tryAcquireOutbound(): Promise<{ lease: HostLease } | { waitMs: number }> {
    // No minimum delay: the next-start key is read, never written.
    return this.tryLease(
      OUTBOUND,
      this.keys.outboundLeases,
      this.keys.outboundNextAt,
      this.options.maxConcurrentOutbound ?? 0,
      0,
    );
  }

  private async tryLease(
    host: string,
    leasesKey: string,
    nextKey: string,
    max: number,
    delay: number,
  ): Promise<{ lease: HostLease } | { waitMs: number }> {
    const id = randomBytes(8).toString('hex');
    const [ok, waitMs] = await (this.redis as Scripted)[ACQUIRE_CMD](
      leasesKey,
      nextKey,
      id,
      max,
      delay,
      this.options.leaseMs,
    );
    return ok === 1 ? { lease: { host, id } } : { waitMs: Number(waitMs) };
  }

  /** Waits up to maxWaitMs for a slot, then gives up with HostBusyError. */
  async acquire(host: string, maxWaitMs = this.options.maxWaitMs): Promise<HostLease> {
    return this.waitFor(
      () => this.tryAcquire(host),
      maxWaitMs,
      (waitMs) => new HostBusyError(host, waitMs),
    );
  }

  /** Waits up to maxWaitMs for an outbound slot, then gives up with HostBusyError. */
  async acquireOutbound(maxWaitMs = this.options.maxWaitMs): Promise<HostLease> {
    const max = this.options.maxConcurrentOutbound ?? 0;
    return this.waitFor(
      () => this.tryAcquireOutbound(),
      maxWaitMs,
      (waitMs) =>
        new HostBusyError(
          OUTBOUND,
          waitMs,
          `net: outbound limit reached (${max} requests in flight across replicas), retry in ${waitMs} ms`,
        ),
    );
  }

  private async waitFor(
    attempt: () => Promise<{ lease: HostLease } | { waitMs: number }>,
    maxWaitMs: number,
    busy: (waitMs: number) => HostBusyError,
  ): Promise<HostLease> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const r = await attempt();
      if ('lease' in r) return r.lease;
      const left = deadline - Date.now();
      if (r.waitMs > left) throw busy(r.waitMs);
      // A little jitter so replicas released at once do not stampede.
      await sleep(r.waitMs + Math.floor(Math.random() * 20));
    }
  }

  async release(lease: HostLease): Promise<void> {
    const key = lease.host === OUTBOUND ? this.keys.outboundLeases : this.keys.hostLeases(lease.host);
    await this.redis.zrem(key, lease.id);
  }

  /**
   * Runs fn holding an outbound slot (when capped) and a slot on the URL's
   * host; both are released however fn ends. The outbound slot comes first so
   * a host's minimum delay is not spent on a request that then waits.
   */
  async withSlot<T>(url: string, fn: () => Promise<T>): Promise<T> {
    const outbound = this.options.maxConcurrentOutbound ? await this.acquireOutbound() : null;
    let lease: HostLease;
    try {
      lease = await this.acquire(new URL(url).host);
    } catch (err) {
      if (outbound) await this.release(outbound).catch(() => {});
      throw err;
    }
    try {
      return await fn();
    } finally {
      await this.release(lease).catch(() => {});
      if (outbound) await this.release(outbound).catch(() => {});
    }
  }
}
