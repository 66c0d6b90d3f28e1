import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  feedListText,
  type GeneratedCorpus,
  generateCorpus,
  serveCorpus,
} from '../../src/bench/generated-corpus.js';
import { keysFor } from '../../src/store/keys.js';
import { storedState, truthPartition } from './corpus-check.js';
import { freePort, opsConfigFile, opsEnv, TestFleet, waitFor, writeFeedList } from './processes.js';

/**
 * Faults with real processes and real redis-servers this file starts itself:
 * a worker killed with SIGKILL, Redis restarted mid-run, four workers at
 * once, Redis absent at start. Each run uses a generated corpus served locally
 * whose true clusters are known.
 */
const ARTICLES = 600;
const FEEDS = 20;

let corpus: GeneratedCorpus;
let server: Awaited<ReturnType<typeof serveCorpus>>;
let feedList: string;
let configFile: string;
const fleet = new TestFleet();

function expectCompleteAndExact(state: Awaited<ReturnType<typeof storedState>>) {
  expect(state.articles).toBe(ARTICLES);
  expect(state.inSeveralClusters).toEqual([]);
  expect(state.clusteredArticles).toBe(ARTICLES);
  expect(state.memberships).toBe(ARTICLES);
  expect(state.partition).toEqual(truthPartition(corpus));
}

beforeAll(async () => {
  corpus = generateCorpus({ articles: ARTICLES, feeds: FEEDS, seed: 11 });
  server = await serveCorpus(corpus);
  feedList = await writeFeedList(feedListText(corpus, server.url));
  // Short locks: a killed worker's jobs are taken back within ~2 s instead of 30 s.
  configFile = await opsConfigFile(
    'ops:\n  jobLockMs: 2000\n  redisRetryMinMs: 200\n  redisRetryMaxMs: 1000\n  shutdownGraceMs: 3000\n',
  );
});

afterAll(async () => {
  await fleet.stop();
  await server.close();
});

describe('ops faults (real processes, real Redis)', { timeout: 90_000 }, () => {
  it('kill -9 of a worker mid-run: another worker finishes, every article stored and clustered exactly once', async () => {
    const redis = await fleet.redis();
    await redis.start();
    const client = new Redis(redis.url);
    const prefix = 'kill9:';
    const keys = keysFor(prefix);
    const first = fleet.start(
      ['run', '--once', '--config', configFile, '--feeds', feedList],
      opsEnv(redis.url, prefix),
    );
    const storedAtKill = await waitFor('a third of the articles stored', async () => {
      const n = await client.zcard(keys.articlesByTime);
      return n >= ARTICLES / 3 ? n : undefined;
    });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    expect(storedAtKill).toBeLessThan(ARTICLES);

    const second = fleet.start(
      ['run', '--once', '--config', configFile, '--feeds', feedList],
      opsEnv(redis.url, prefix),
    );
    expect(await second.exited, second.output()).toBe(0);
    expect(second.output()).toMatch(/failures 0/);
    expectCompleteAndExact(await storedState(client, prefix));
    client.disconnect();
  });

  it('Redis restarted mid-run (AOF on): workers reconnect, the run completes, nothing is lost', async () => {
    const redis = await fleet.redis({ aof: true });
    await redis.start();
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    const prefix = 'restart:';
    const keys = keysFor(prefix);
    const run = fleet.start(
      ['run', '--once', '--config', configFile, '--feeds', feedList],
      opsEnv(redis.url, prefix),
    );
    await waitFor(
      'a quarter of the articles stored',
      async () => (await client.zcard(keys.articlesByTime)) >= ARTICLES / 4 || undefined,
    );
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    await redis.start();
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/articles stored \d+, clusters \d+, failures 0/);
    expectCompleteAndExact(await storedState(client, prefix));
    client.disconnect();
  });

  it('4 worker processes at once give the same clusters as 1', async () => {
    const redis = await fleet.redis();
    await redis.start();
    const client = new Redis(redis.url);
    const one = fleet.start(
      ['run', '--once', '--config', configFile, '--feeds', feedList],
      opsEnv(redis.url, 'one:'),
    );
    expect(await one.exited, one.output()).toBe(0);
    const four = [1, 2, 3, 4].map(() =>
      fleet.start(['run', '--once', '--config', configFile, '--feeds', feedList], opsEnv(redis.url, 'four:')),
    );
    for (const p of four) expect(await p.exited, p.output()).toBe(0);
    const single = await storedState(client, 'one:');
    const several = await storedState(client, 'four:');
    expectCompleteAndExact(single);
    expectCompleteAndExact(several);
    expect(several.partition).toEqual(single.partition);
    client.disconnect();
  });

  it('Redis down at start: a clear error, retries with backoff, starts when Redis comes; then readiness and health', async () => {
    const port = await freePort();
    const run = fleet.start(
      ['run', '--role', 'all', '--config', configFile, '--feeds', feedList],
      opsEnv(`redis://:hunter2@127.0.0.1:${port}`, 'late:'),
    );
    await waitFor(
      'three failed attempts',
      () => (run.output().match(/cannot reach/g)?.length ?? 0) >= 3 || undefined,
    );
    const attempts = run
      .output()
      .split('\n')
      .filter((l) => l.includes('cannot reach'))
      .map((l) => JSON.parse(l) as { msg: string; attempt: number; retryInMs: number });
    expect(attempts[0]!.msg).toMatch(
      new RegExp(`redis: cannot reach redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}.*ECONNREFUSED.*retrying in`),
    );
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts[2]!.retryInMs).toBeGreaterThan(attempts[0]!.retryInMs);
    expect(run.output()).not.toContain('hunter2');

    const redis = await fleet.redis({ port, password: 'hunter2' });
    await redis.start();
    const client = new Redis(redis.url);
    const url = await waitFor(
      'web listening',
      () => /"url":"(http:[^"]+)","msg":"web listening"/.exec(run.output())?.[1],
    );
    // Logged just after the web server: it may still be on its way from the child.
    await waitFor('wiresift running', () => run.output().includes('wiresift running') || undefined);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status, await ready.clone().text()).toBe(200);
    await ready.body?.cancel();
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { reasons: string[] }).reasons.join(' ')).toContain(
      'maxmemory-policy is allkeys-lru',
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await client.config('SET', 'maxmemory-policy', 'noeviction');

    const health = fleet.start(['health', '--url', `${url}/healthz`], {});
    expect(await health.exited).toBe(0);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/wiresift_jobs_processed_total\{queue="(feeds|articles|dedup)"\} \d+/);
    expect(metrics).toContain('wiresift_redis_rtt_seconds');

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const down = fleet.start(['health', '--url', `${url}/healthz`], {});
    expect(await down.exited).toBe(1);
    expect(down.output()).toContain('did not answer');
    client.disconnect();
  });
});
