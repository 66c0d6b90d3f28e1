import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { createLogger } from '../../src/log.js';
import { HostBusyError, HostPoliteness, type PolitenessOptions } from '../../src/net/host-politeness.js';
import { delayWhenHostBusy } from '../../src/queues/delay-when-busy.js';
import { keysFor } from '../../src/store/keys.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';

const admin = connectTestRedis();
const connections: Redis[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  for (const p of prefixes) await dropPrefix(admin, p);
  for (const c of connections) c.disconnect();
  admin.disconnect();
});

/** Two limiters on two connections: what two replicas of the worker would be. */
function twoReplicas(options: Partial<PolitenessOptions>) {
  const prefix = uniquePrefix('polite');
  prefixes.push(prefix);
  const opts: PolitenessOptions = {
    maxConcurrentPerHost: 2,
    minDelayMs: 0,
    leaseMs: 10_000,
    maxWaitMs: 5_000,
    ...options,
  };
  const make = () => {
    const r = connectTestRedis();
    connections.push(r);
    return { redis: r, limiter: new HostPoliteness(r, keysFor(prefix), opts) };
  };
  return { a: make(), b: make(), prefix };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-host politeness shared through Redis', () => {
  it('never lets two replicas hold more than N slots on one host', async () => {
    const { a, b } = twoReplicas({ maxConcurrentPerHost: 2 });
    let inFlight = 0;
    let peak = 0;
    const task = (limiter: HostPoliteness) =>
      limiter.withSlot('http://news.example/a', async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(40);
        inFlight--;
      });
    await Promise.all(Array.from({ length: 12 }, (_, i) => task(i % 2 ? a.limiter : b.limiter)));
    expect(peak).toBe(2);
    // Another host is not held back by this one.
    const other = await a.limiter.tryAcquire('other.example');
    expect('lease' in other).toBe(true);
  });

  it('spaces request starts on one host by the minimum delay, across replicas', async () => {
    const { a, b } = twoReplicas({ maxConcurrentPerHost: 4, minDelayMs: 150 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        (i % 2 ? a : b).limiter.withSlot('https://slow.example/x', async () => {
          starts.push(performance.now());
        }),
      ),
    );
    starts.sort((x, y) => x - y);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Redis's clock decides; allow a few ms for the round trip between TIME and our clock.
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(140);
  });

  it('frees a released slot with the next request to its host: one round trip per page', async () => {
    const { a, prefix } = twoReplicas({ maxConcurrentPerHost: 1 });
    const keys = keysFor(prefix);
    const hostLeases = keys.hostLeases('chain.example');
    // The script is loaded once per connection (a NOSCRIPT retry): not what is counted.
    await a.limiter.withSlot('http://warm.example/', async () => 'warm');
    await a.limiter.flush();
    const monitor = await admin.monitor();
    const local = (a.redis as unknown as { stream: { localPort: number } }).stream.localPort;
    const sent: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source.endsWith(`:${local}`)) sent.push(String(args[0]).toLowerCase());
    });
    for (let i = 0; i < 5; i++)
      await a.limiter.withSlot(`http://chain.example/${i}`, async () => {
        // One slot on the host: this page holds it, so the one before was freed by this acquire.
        expect(await admin.zcard(hostLeases)).toBe(1);
      });
    expect(await admin.zcard(hostLeases)).toBe(1);
    await a.limiter.flush();
    expect(await admin.zcard(hostLeases)).toBe(0);
    await sleep(50);
    monitor.disconnect();
    // Five acquires (each carrying the release before it), then the last release, batched.
    expect(sent).toEqual([...Array(5).fill('evalsha'), 'zrem']);
  });

  it('frees a release that no request carries on its own, shortly after', async () => {
    const { a, prefix } = twoReplicas({ maxConcurrentPerHost: 2 });
    const keys = keysFor(prefix);
    const leases = await Promise.all(['x.example', 'y.example'].map((h) => a.limiter.acquire(h)));
    const t0 = performance.now();
    await Promise.all(leases.map((l) => a.limiter.release(l)));
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(await admin.zcard(keys.hostLeases('x.example'))).toBe(0);
    expect(await admin.zcard(keys.hostLeases('y.example'))).toBe(0);
  });

  it('gives up after maxWaitMs with the time to wait, and a crashed holder frees its slot when the lease expires', async () => {
    const { a, b } = twoReplicas({ maxConcurrentPerHost: 1, leaseMs: 400 });
    const held = await a.limiter.acquire('crash.example');
    expect(held.host).toBe('crash.example');
    // Replica A "crashes": its connection goes away without releasing.
    a.redis.disconnect();
    const t0 = Date.now();
    const err = await b.limiter.acquire('crash.example', 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostBusyError);
    expect((err as HostBusyError).retryInMs).toBeGreaterThan(0);
    expect((err as HostBusyError).message).toMatch(/^net: host crash\.example is busy/);
    const lease = await b.limiter.acquire('crash.example', 2_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    await b.limiter.release(lease);
  });

  it('a job whose host is busy is delayed by the worker, not slept on, and runs once a slot frees', async () => {
    const { a, prefix } = twoReplicas({ maxConcurrentPerHost: 1, maxWaitMs: 50 });
    const conn = connectTestRedis();
    connections.push(conn);
    const queue = new Queue('politeness', { connection: conn, prefix: `${prefix}bull` });
    const hog = await a.limiter.acquire('busy.example');
    let runs = 0;
    const worker = new Worker(
      'politeness',
      (job, token) =>
        delayWhenHostBusy(job, token, () =>
          a.limiter.withSlot('http://busy.example/page', async () => {
            runs++;
            return 'fetched';
          }),
        ),
      { connection: conn.duplicate(), prefix: `${prefix}bull`, concurrency: 1 },
    );
    try {
      const finished = new Promise<string>((resolve, reject) => {
        worker.on('completed', (_j, r) => resolve(r as string));
        worker.on('failed', (_j, e) => reject(e));
      });
      const job = await queue.add('page', {}, { attempts: 1 });
      let state = '';
      for (let i = 0; i < 100 && state !== 'delayed'; i++) {
        await sleep(20);
        state = await queue.getJobState(job.id!);
      }
      expect(state).toBe('delayed');
      expect(runs).toBe(0);
      await a.limiter.release(hog);
      expect(await finished).toBe('fetched');
      expect(runs).toBe(1);
      // One attempt allowed, and still completed: being delayed spent none.
      const done = await queue.getJob(job.id!);
      expect(done?.failedReason ?? '').toBe('');
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('takes the outbound cap from the config (net.outbound.maxConcurrent, env WIRESIFT_OUTBOUND_MAX_CONCURRENCY)', async () => {
    const prefix = uniquePrefix('polite');
    const defaults = createContext(testConfig(prefix), createLogger('silent'));
    const set = createContext(
      testConfig(prefix, { WIRESIFT_OUTBOUND_MAX_CONCURRENCY: '3' }),
      createLogger('silent'),
    );
    expect(defaults.gate.politeness.options.maxConcurrentOutbound).toBe(64);
    expect(set.gate.politeness.options.maxConcurrentOutbound).toBe(3);
    await defaults.close();
    await set.close();
  });

  it('caps requests in flight to all hosts together across replicas, whatever the number of hosts', async () => {
    // Per-host slots would let all 40 run at once: every request is to a host of its own.
    const { a, b } = twoReplicas({ maxConcurrentPerHost: 2, maxConcurrentOutbound: 5 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).limiter.withSlot(`http://host-${i}.example/item`, async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await sleep(30);
          inFlight--;
        }),
      ),
    );
    expect(peak).toBe(5);
  });

  it('gives up on the outbound cap after maxWaitMs with a reason of its own, and releases its slots on every path', async () => {
    const { a, b, prefix } = twoReplicas({ maxConcurrentPerHost: 1, maxConcurrentOutbound: 2, maxWaitMs: 0 });
    const keys = keysFor(prefix);
    const held = [await a.limiter.acquireOutbound(), await a.limiter.acquireOutbound()];
    const err = await b.limiter.withSlot('http://free.example/', async () => 'ran').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostBusyError);
    expect((err as HostBusyError).message).toMatch(
      /^net: outbound limit reached \(2 requests in flight across replicas\), retry in \d+ ms$/,
    );
    for (const lease of held) await a.limiter.release(lease);
    // Host busy: the attempt takes no outbound slot either (both or neither); the hog holds one.
    const hog = await a.limiter.acquire('busy.example');
    await expect(b.limiter.withSlot('http://busy.example/', async () => 'ran')).rejects.toThrow(
      /host busy\.example/,
    );
    expect(await admin.zcard(keys.outboundLeases)).toBe(1);
    await a.limiter.release(hog);
    expect(await b.limiter.withSlot('http://busy.example/', async () => 'ran')).toBe('ran');
    // The release of that last request waits for a request to carry it, or for the batch.
    await b.limiter.flush();
    expect(await admin.zcard(keys.outboundLeases)).toBe(0);
    expect(await admin.zcard(keys.hostLeases('busy.example'))).toBe(0);
  });
});
