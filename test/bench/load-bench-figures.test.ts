import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steadyRate } from '../../src/bench/load-bench.js';
import { type PrivateRedis, startPrivateRedis } from '../../src/bench/private-redis.js';
import { perArticle, readCounters } from '../../src/bench/redis-counters.js';

describe('steadyRate', () => {
  it('is the pace between 20 % and 90 % done, not the slow start or the tail', () => {
    // 10 slow articles (1 per 100 ms), then 80 at 1 per 10 ms, then 10 slow again.
    const doneAt: number[] = [];
    let t = 0;
    for (let i = 0; i < 100; i++) {
      t += i < 10 || i >= 90 ? 100 : 10;
      doneAt.push(t);
    }
    expect(steadyRate(doneAt)).toBe(100);
    // Over the whole run the same articles come out far slower.
    expect(Math.round((doneAt.length / doneAt.at(-1)!) * 1000)).toBeLessThan(40);
  });

  it('is 0 when too few articles finished to tell', () => {
    expect(steadyRate([])).toBe(0);
    expect(steadyRate([5])).toBe(0);
  });
});

// A redis-server of its own: the shared test Redis counts other test files' commands too.
describe('Redis counters (a private redis-server)', () => {
  let server: PrivateRedis;
  let redis: Redis;
  const prefix = 'counters:';
  beforeAll(async () => {
    server = await startPrivateRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('count a script once as a script and each command it runs as a command', async () => {
    const before = await readCounters(redis);
    await redis.eval("redis.call('SET', KEYS[1], 1); redis.call('INCR', KEYS[1]); return 1", 1, `${prefix}k`);
    await redis.pipeline().get(`${prefix}k`).get(`${prefix}k`).exec();
    const after = await readCounters(redis);
    // Each reading is one INFO, and the first is seen by the second.
    const d = perArticle(before, after, 1, { commands: { info: 1 }, reads: 1 });
    expect(d.scriptCalls).toBe(1);
    expect(d.byCommand).toMatchObject({ eval: 1, set: 1, incr: 1, get: 2 });
    expect(d.commands).toBe(5);
    // The script and the pipeline: two requests, however many commands.
    expect(d.reads).toBe(2);
  });
});
