import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInfraCause, infraCause } from '../../src/infra-errors/infra-errors.js';
import { loggerOptions } from '../../src/log.js';
import { FetchError } from '../../src/net/fetch-error.js';
import { RedisHealth } from '../../src/ops/redis-health.js';
import { freePort, PrivateRedis } from './processes.js';

let redis: PrivateRedis;
let client: Redis;

async function refused<T>(p: Promise<T>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: Error) => err,
  );
}

async function fillMemory(): Promise<void> {
  const used = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
  await client.config('SET', 'maxmemory', String(Math.max(1, Math.floor(used / 2))));
}

function capture() {
  const lines: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
  const log = pino(loggerOptions('info'), { write: (l: string) => lines.push(JSON.parse(l)) });
  return { log, lines };
}

beforeAll(async () => {
  redis = await PrivateRedis.create();
  await redis.start();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

describe('infraCause (errors from a real Redis)', () => {
  it('names OOM, and finds it behind EXECABORT and inside a script error', async () => {
    await fillMemory();
    try {
      const set = await refused(client.set('k', 'v'));
      expect(infraCause(set)).toMatchObject({ kind: 'oom' });
      const multi = await refused(client.multi().hset('h', 'f', 'v').set('s', 'v').exec());
      expect(multi.message).toMatch(/^EXECABORT/);
      const cause = infraCause(multi);
      expect(cause).toEqual({
        kind: 'oom',
        detail: "OOM command not allowed when used memory > 'maxmemory'.",
      });
      expect(describeInfraCause(cause!)).toBe(
        "redis: out of memory (OOM command not allowed when used memory > 'maxmemory'.)",
      );
      const script = await refused(client.eval("return redis.call('SET', KEYS[1], 'v')", 1, 'x'));
      expect(infraCause(script)).toMatchObject({ kind: 'oom' });
      expect(infraCause(script)!.detail).not.toContain('script:');
    } finally {
      await client.config('SET', 'maxmemory', '0');
    }
  });

  it('names a read-only replica', async () => {
    const port = await freePort();
    await client.replicaof('127.0.0.1', port);
    try {
      expect(infraCause(await refused(client.set('k', 'v')))).toMatchObject({ kind: 'readonly' });
    } finally {
      await client.replicaof('NO', 'ONE');
    }
  });

  it('names a refused connection', async () => {
    const port = await freePort();
    const r = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    let event: Error | undefined;
    r.on('error', (e: Error) => {
      event = e;
    });
    await refused(r.connect());
    expect(infraCause(event)).toMatchObject({ kind: 'connection' });
    r.disconnect();
  });

  it('names the replies Redis gives while persisting fails or loading, and nothing else', () => {
    expect(
      infraCause(
        new Error(
          'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.',
        ),
      ),
    ).toMatchObject({ kind: 'misconf' });
    expect(infraCause(new Error('LOADING Redis is loading the dataset in memory'))).toMatchObject({
      kind: 'loading',
    });
    expect(infraCause(new Error('extract: page is empty'))).toBeNull();
    expect(infraCause(new Error('dedup: OOM command not allowed is a headline'))).toBeNull();
    // A page host refusing us is the job's own failure, not Redis's.
    const refusedPage = new FetchError('network', 'http://x.example/', 'connect ECONNREFUSED', {
      cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:80'), { code: 'ECONNREFUSED' }),
    });
    expect(infraCause(refusedPage)).toBeNull();
  });
});

describe('RedisHealth', () => {
  it('logs an OOM episode once however many jobs hit it, and its end once, proved by a write', async () => {
    const { log, lines } = capture();
    const health = new RedisHealth({
      probe: () => client.set('probe', '1', 'PX', 1000),
      log,
      retryMinMs: 50,
      retryMaxMs: 200,
    });
    await fillMemory();
    let memoryFreed = false;
    try {
      for (let i = 0; i < 200; i++) {
        const err = await refused(client.multi().set(`k${i}`, 'v').exec());
        expect(health.report(err, 'job:articles')).toMatchObject({ kind: 'oom' });
      }
      expect(health.report(new Error('extract: page is empty'), 'job:articles')).toBeNull();
      // A lock lost while Redis refuses writes is a symptom: counted, not logged.
      expect(health.absorb('worker:articles')).toBe(true);
      const during = health.state();
      expect(during.ok).toBe(false);
      // The jobs' 200 failures and the probe's own.
      expect(during.ok ? 0 : during.failures).toBeGreaterThanOrEqual(200);
      // Still full: the probe keeps failing, nothing is logged for it.
      expect(await health.writable(400)).toBe(false);
      await client.config('SET', 'maxmemory', '0');
      memoryFreed = true;
      expect(await health.writable(5_000)).toBe(true);
    } finally {
      if (!memoryFreed) await client.config('SET', 'maxmemory', '0');
      health.close();
    }
    expect(health.state()).toEqual({ ok: true });
    expect(health.absorb('worker:articles')).toBe(false);
    expect(lines.map((l) => l.msg)).toEqual([
      "redis: out of memory (OOM command not allowed when used memory > 'maxmemory'.); jobs are waiting",
      'redis: writes succeed again',
    ]);
    expect(lines[1]).toMatchObject({
      was: 'oom',
      failures: expect.any(Number),
      suppressed: expect.any(Number),
    });
    expect(lines[1]!.suppressed as number).toBeGreaterThanOrEqual(200);
    expect(lines[1]!.bySource).toMatchObject({ 'job:articles': 200, 'worker:articles:symptom': 1 });
  });

  it('backs off exponentially as an episode lasts', async () => {
    const { log } = capture();
    let calls = 0;
    const health = new RedisHealth({
      probe: async () => {
        calls++;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      },
      log,
      retryMinMs: 20,
      retryMaxMs: 5_000,
    });
    const first = health.retryDelayMs();
    health.report(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'store');
    await new Promise((r) => setTimeout(r, 700));
    health.close();
    // Probes at ~20, 40, 80, 160, 320 ms: a handful, not one per millisecond.
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(7);
    expect(health.retryDelayMs()).toBeGreaterThan(first * 4);
  });
});
