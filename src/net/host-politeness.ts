import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

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
 * One atomic step so two replicas can never both take the last slot: a slot on
 * the host and, when capped, one of the outbound slots, both or neither (so a
 * host's minimum delay is never spent on a request that then waits for egress).
 * It first frees the leases this process released on the host since its last
 * request there (the release rides on the next acquire instead of a round
 * trip of its own), so they never count against it.
 * KEYS: [1] host leases zset, [2] host next-start string, [3] outbound leases
 * zset, [4] outbound next-start string (read only: no delay between starts).
 * ARGV: [1] lease id, [2] max concurrent on the host, [3] min delay ms,
 * [4] lease ms, [5] max concurrent outbound (0 = no cap; the released leases
 * hold outbound slots too when it is not 0), [6..] lease ids released.
 * Reply: {1, 0} when the slot(s) are taken, else {0, ms to wait before asking
 * again, 1 when the outbound cap is what is full}.
 * The clock is Redis's own, so replicas with skewed clocks agree.
 */
const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local maxc = tonumber(ARGV[2])
local delay = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local maxOut = tonumber(ARGV[5])
if #ARGV > 5 then
  redis.call('ZREM', KEYS[1], unpack(ARGV, 6))
  if maxOut > 0 then redis.call('ZREM', KEYS[3], unpack(ARGV, 6)) end
end
local function full(leases, max)
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  if redis.call('ZCARD', leases) < max then return nil end
  local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
  local untilExpiry = tonumber(first[2]) - now
  return math.max(1, math.min(untilExpiry, math.max(delay, 100)))
end
if maxOut > 0 then
  local wait = full(KEYS[3], maxOut)
  if wait then return {0, wait, 1} end
end
local nextAt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nextAt > now then
  return {0, nextAt - now, 0}
end
local wait = full(KEYS[1], maxc)
if wait then return {0, wait, 0} end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
if maxOut > 0 then
  redis.call('ZADD', KEYS[3], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[3], lease)
end
if delay > 0 then
  redis.call('SET', KEYS[2], now + delay, 'PX', delay)
end
return {1, 0, 0}
`;

const ACQUIRE_CMD = 'wiresiftSlotAcquire';

/**
 * Frees leases from the host's set and the outbound set in one step: a script
 * costs the worker a third of what a MULTI/EXEC of the same two commands does
 * (measured with ioredis).
 * KEYS: [1] host leases zset, [2] outbound leases zset. ARGV: lease ids.
 */
const RELEASE_LUA = `
redis.call('ZREM', KEYS[1], unpack(ARGV))
redis.call('ZREM', KEYS[2], unpack(ARGV))
return 1
`;

/**
 * How long a released lease may wait for the next request to its host to carry
 * it, before it is sent on its own (with every other one waiting): the slot
 * stays taken that much longer, far below any host's minimum delay.
 */
const RELEASE_BATCH_MS = 20;

const RELEASE_CMD = 'wiresiftSlotRelease';

type Scripted = Redis & {
  [ACQUIRE_CMD](
    leases: string,
    next: string,
    outboundLeases: string,
    outboundNext: string,
    id: string,
    max: number,
    delay: number,
    lease: number,
    maxOutbound: number,
    ...released: string[]
  ): Promise<[number, number, number]>;
  [RELEASE_CMD](leases: string, outboundLeases: string, ...ids: string[]): Promise<number>;
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

/** `outbound`: the lease also holds one of the outbound slots. */
export type HostLease = { host: string; id: string; outbound?: boolean };

/** A lease released and not yet freed in Redis, with whoever waits for it to be. */
type Released = { lease: HostLease; done: () => void; failed: (err: unknown) => void };

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
 * per-process worker concurrency up). One script takes both slots and another
 * frees both. A release is not a round trip of its own: it rides on the next
 * acquire of this process on the same host, or, within RELEASE_BATCH_MS, goes
 * out with every other release waiting, in one pipeline; so a page costs one
 * round trip while pages of a host follow each other.
 */
/** Where the lease sets and next-request times live in Redis; the deployment's key schema provides them. */
export type PolitenessKeys = {
  hostLeases(host: string): string;
  hostNextAt(host: string): string;
  outboundLeases: string;
  outboundNextAt: string;
};

export class HostPoliteness {
  /** Released leases not yet freed in Redis, by their host's lease set. */
  private readonly released = new Map<string, Released[]>();
  private flushTimer: NodeJS.Timeout | null = null;
  /** Lease ids: random per instance (replicas never collide), then counted (no crypto call per request). */
  private readonly idPrefix = `${randomBytes(6).toString('hex')}.`;
  private leaseCount = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: PolitenessKeys,
    readonly options: PolitenessOptions,
  ) {
    const r = redis as Scripted;
    if (typeof r[ACQUIRE_CMD] !== 'function')
      redis.defineCommand(ACQUIRE_CMD, { numberOfKeys: 4, lua: ACQUIRE_LUA });
    if (typeof r[RELEASE_CMD] !== 'function')
      redis.defineCommand(RELEASE_CMD, { numberOfKeys: 2, lua: RELEASE_LUA });
  }

  /** One attempt at a slot on the host (and an outbound slot, when capped): a lease, or how long to wait. */
  async tryAcquire(host: string): Promise<{ lease: HostLease } | { waitMs: number; outbound: boolean }> {
    const key = host.toLowerCase();
    return this.tryLease(
      key,
      this.keys.hostLeases(key),
      this.keys.hostNextAt(key),
      this.options.maxConcurrentPerHost,
      this.options.minDelayMs,
      this.options.maxConcurrentOutbound ?? 0,
    );
  }

  /** One attempt at one of the deployment-wide outbound slots alone. */
  async tryAcquireOutbound(): Promise<{ lease: HostLease } | { waitMs: number; outbound: boolean }> {
    // The outbound set as a host of its own, with no minimum delay and no second cap.
    return this.tryLease(
      OUTBOUND,
      this.keys.outboundLeases,
      this.keys.outboundNextAt,
      this.options.maxConcurrentOutbound ?? 0,
      0,
      0,
    );
  }

  private async tryLease(
    host: string,
    leasesKey: string,
    nextKey: string,
    max: number,
    delay: number,
    maxOutbound: number,
  ): Promise<{ lease: HostLease } | { waitMs: number; outbound: boolean }> {
    const id = `${this.idPrefix}${(this.leaseCount++).toString(36)}`;
    const carried = this.takeReleased(leasesKey);
    let reply: [number, number, number];
    try {
      reply = await (this.redis as Scripted)[ACQUIRE_CMD](
        leasesKey,
        nextKey,
        this.keys.outboundLeases,
        this.keys.outboundNextAt,
        id,
        max,
        delay,
        this.options.leaseMs,
        maxOutbound,
        ...carried.map((r) => r.lease.id),
      );
    } catch (err) {
      for (const r of carried) r.failed(err);
      throw err;
    }
    for (const r of carried) r.done();
    const [ok, waitMs, outbound] = reply;
    return ok === 1
      ? { lease: { host, id, outbound: maxOutbound > 0 } }
      : { waitMs: Number(waitMs), outbound: outbound === 1 };
  }

  /** Waits up to maxWaitMs for a slot (host and outbound), then gives up with HostBusyError. */
  async acquire(host: string, maxWaitMs = this.options.maxWaitMs): Promise<HostLease> {
    return this.waitFor(
      () => this.tryAcquire(host),
      maxWaitMs,
      (waitMs, outbound) => (outbound ? this.outboundBusy(waitMs) : new HostBusyError(host, waitMs)),
    );
  }

  /** Waits up to maxWaitMs for an outbound slot alone, then gives up with HostBusyError. */
  async acquireOutbound(maxWaitMs = this.options.maxWaitMs): Promise<HostLease> {
    return this.waitFor(
      () => this.tryAcquireOutbound(),
      maxWaitMs,
      (waitMs) => this.outboundBusy(waitMs),
    );
  }

  private outboundBusy(waitMs: number): HostBusyError {
    const max = this.options.maxConcurrentOutbound ?? 0;
    return new HostBusyError(
      OUTBOUND,
      waitMs,
      `net: outbound limit reached (${max} requests in flight across replicas), retry in ${waitMs} ms`,
    );
  }

  private async waitFor(
    attempt: () => Promise<{ lease: HostLease } | { waitMs: number; outbound: boolean }>,
    maxWaitMs: number,
    busy: (waitMs: number, outbound: boolean) => HostBusyError,
  ): Promise<HostLease> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const r = await attempt();
      if ('lease' in r) return r.lease;
      const left = deadline - Date.now();
      if (r.waitMs > left) throw busy(r.waitMs, r.outbound);
      // A little jitter so replicas released at once do not stampede.
      await sleep(r.waitMs + Math.floor(Math.random() * 20));
    }
  }

  /**
   * Frees the lease's slots (host and outbound): settled once Redis has freed
   * them, by the next acquire on the host or by the batch RELEASE_BATCH_MS later.
   */
  release(lease: HostLease): Promise<void> {
    const key = this.leasesKeyOf(lease);
    return new Promise((done, failed) => {
      const list = this.released.get(key) ?? [];
      list.push({ lease, done, failed });
      this.released.set(key, list);
      this.flushTimer ??= setTimeout(() => void this.flush(), RELEASE_BATCH_MS);
    });
  }

  /** Sends every release still waiting, in one pipeline (shutdown calls it; so do tests). */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batches = [...this.released.keys()].map((key) => this.takeReleased(key));
    if (!batches.length) return;
    const pipe = this.redis.pipeline();
    const scripted = pipe as unknown as Pick<Scripted, typeof RELEASE_CMD>;
    for (const batch of batches) {
      const ids = batch.map((r) => r.lease.id);
      const { lease } = batch[0]!;
      // Leases of one set are alike: this instance's host leases all hold outbound slots, or none does.
      if (lease.host !== OUTBOUND && lease.outbound)
        scripted[RELEASE_CMD](this.keys.hostLeases(lease.host), this.keys.outboundLeases, ...ids);
      else pipe.zrem(this.leasesKeyOf(lease), ...ids);
    }
    let replies: [Error | null, unknown][];
    try {
      replies = (await pipe.exec()) ?? [];
    } catch (err) {
      for (const r of batches.flat()) r.failed(err);
      return;
    }
    batches.forEach((batch, i) => {
      const err = replies[i]?.[0];
      for (const r of batch)
        if (err) r.failed(err);
        else r.done();
    });
  }

  private leasesKeyOf(lease: HostLease): string {
    return lease.host === OUTBOUND ? this.keys.outboundLeases : this.keys.hostLeases(lease.host);
  }

  /** The releases waiting on one lease set, now in the caller's hands. */
  private takeReleased(leasesKey: string): Released[] {
    const list = this.released.get(leasesKey) ?? [];
    this.released.delete(leasesKey);
    if (!this.released.size && this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    return list;
  }

  /** Runs fn holding a slot on the URL's host (and an outbound slot, when capped), released however fn ends. */
  async withSlot<T>(url: string, fn: () => Promise<T>): Promise<T> {
    const lease = await this.acquire(new URL(url).host);
    try {
      return await fn();
    } finally {
      // Not waited for: the release goes out with the next request or batch; a lost one expires (leaseMs).
      this.release(lease).catch(() => {});
    }
  }
}
