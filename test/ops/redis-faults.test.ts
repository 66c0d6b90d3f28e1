import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  feedListText,
  type GeneratedCorpus,
  generateCorpus,
  serveCorpus,
} from '../../src/bench/generated-corpus.js';
import { articleIdFor } from '../../src/feeds/article-id.js';
import { canonicalizeUrl } from '../../src/feeds/canonical-url.js';
import { articleJobId } from '../../src/queues/job-ids.js';
import { keysFor } from '../../src/store/keys.js';
import { storedState, truthPartition } from './corpus-check.js';
import {
  opsConfigFile,
  opsEnv,
  type PrivateRedis,
  type Proc,
  TestFleet,
  waitFor,
  writeFeedList,
} from './processes.js';

/**
 * Redis faults mid-run, with real processes and a real redis-server this file
 * starts: a memory-full period (maxmemory lowered under the used memory with
 * CONFIG SET, then raised), and Redis stopped and started again under a
 * daemon. Nothing may be lost, and the episode costs a few log lines, not one
 * per job or per retry.
 */
const ARTICLES = 240;
const FEEDS = 8;

let corpus: GeneratedCorpus;
let server: Awaited<ReturnType<typeof serveCorpus>>;
let feedList: string;
let configFile: string;
const fleet = new TestFleet();

async function privateRedis(opts: { aof?: boolean } = {}): Promise<PrivateRedis> {
  const r = await fleet.redis(opts);
  await r.start();
  return r;
}

type LogLine = { level: number; msg: string; err?: string; [k: string]: unknown };

/** Every line of a process's output, parsed; a line that is not JSON fails the test that reads it. */
function logLines(p: Proc): LogLine[] {
  return p
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

function nonJsonLines(p: Proc, allowed: RegExp): string[] {
  return p
    .output()
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('{') && !allowed.test(l));
}

/** Redis refuses every write that needs memory from now on (noeviction), with room for frees to not end it. */
async function fillMemory(client: Redis): Promise<void> {
  const used = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
  await client.config('SET', 'maxmemory', String(Math.max(1, Math.floor(used / 2))));
}

async function timed(url: string): Promise<{ status: number; ms: number; body: string }> {
  const t0 = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  return { status: res.status, ms: Date.now() - t0, body };
}

beforeAll(async () => {
  corpus = generateCorpus({ articles: ARTICLES, feeds: FEEDS, seed: 18 });
  server = await serveCorpus(corpus);
  feedList = await writeFeedList(feedListText(corpus, server.url));
  // Quick BullMQ retries: without the fix, 4 attempts are spent within the memory-full period.
  configFile = await opsConfigFile(
    [
      'queues:',
      '  backoffMs: 100',
      'ops:',
      '  jobLockMs: 4000',
      '  redisRetryMinMs: 200',
      '  redisRetryMaxMs: 1000',
      '  shutdownGraceMs: 3000',
      '  reconcileIntervalSeconds: 1',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await fleet.stop();
  await server.close();
});

describe('Redis faults mid-run (real processes, real Redis)', { timeout: 120_000 }, () => {
  it('a memory-full period loses nothing: jobs wait without spending attempts, one log line each way', async () => {
    const redis = await privateRedis();
    const client = new Redis(redis.url);
    client.on('error', () => undefined);
    const prefix = 'oom:';
    const keys = keysFor(prefix);
    const run = fleet.start(
      ['run', '--once', '--config', configFile, '--feeds', feedList],
      opsEnv(redis.url, prefix),
    );
    await waitFor(
      'a fifth of the articles stored',
      async () => (await client.zcard(keys.articlesByTime)) >= ARTICLES / 5 || undefined,
    );
    await fillMemory(client);
    const storedAtFull = await client.zcard(keys.articlesByTime);
    await new Promise((r) => setTimeout(r, 6_000));
    // Writes were refused for the whole period (a job or two may land as memory shifts).
    expect(await client.zcard(keys.articlesByTime)).toBeLessThan(storedAtFull + ARTICLES / 10);
    await client.config('SET', 'maxmemory', '0');

    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/failures 0/);
    expect(run.output()).not.toMatch(/NOT DONE/);
    const state = await storedState(client, prefix);
    expect(state.articles).toBe(ARTICLES);
    expect(state.clusteredArticles).toBe(ARTICLES);
    expect(state.inSeveralClusters).toEqual([]);
    expect(state.partition).toEqual(truthPartition(corpus));

    const lines = logLines(run);
    const oom = lines.filter((l) => /out of memory|OOM|EXECABORT/.test(`${l.msg} ${l.err ?? ''}`));
    // The real cause, once: not EXECABORT, not one line per job.
    expect(oom.length, JSON.stringify(oom)).toBeGreaterThanOrEqual(1);
    expect(oom.length, JSON.stringify(oom)).toBeLessThanOrEqual(4);
    expect(oom[0]!.msg).toMatch(/^redis: out of memory \(OOM command not allowed.*\); jobs are waiting$/);
    const recovered = lines.find((l) => l.msg === 'redis: writes succeed again');
    expect(recovered).toBeDefined();
    // Failures absorbed in the whole episode: BullMQ alone retried each worker's job fetch at once,
    // tens of thousands of refused commands in a few seconds, until the workers held off.
    expect(recovered!.failures as number, JSON.stringify(recovered)).toBeLessThan(1_000);
    expect(
      lines.filter((l) => l.level >= 40).length,
      JSON.stringify(lines.filter((l) => l.level >= 40)),
    ).toBeLessThanOrEqual(8);
    expect(nonJsonLines(run, /^feeds \d+, items/)).toEqual([]);
    client.disconnect();
  });

  it('a rerun re-enqueues what a lost period left seen but unstored; work lost for good exits non-zero', async () => {
    const redis = await privateRedis();
    const client = new Redis(redis.url);
    client.on('error', () => undefined);
    const prefix = 'lost:';
    const keys = keysFor(prefix);
    // What a memory-full period left behind before the fix: URLs marked seen, no article stored,
    // their jobs failed for good (half of them) or gone (the other half).
    const paths = [...corpus.truth.keys()].slice(0, 10);
    const articles = new Queue('articles', { connection: client, prefix: `${prefix}bull` });
    const payloads = paths.map((path) => {
      const url = `${server.url}${path}`;
      const canonicalUrl = canonicalizeUrl(url);
      const articleId = articleIdFor(canonicalUrl);
      return {
        articleId,
        url,
        canonicalUrl,
        feedId: 'f',
        feedUrl: `${server.url}/feeds/0.xml`,
        outlet: 'Outlet 0',
        item: { title: '', published: null, contentHtml: null, summary: null, author: null },
      };
    });
    for (const p of payloads) await client.set(keys.urlIndex(p.articleId), p.canonicalUrl);
    for (const p of payloads.slice(0, 5))
      await articles.add('article', p, { jobId: articleJobId(p.articleId), attempts: 1 });
    const failingConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const failing = new Worker(
      'articles',
      async () => {
        throw new Error('EXECABORT Transaction discarded because of previous errors.');
      },
      { connection: failingConnection, prefix: `${prefix}bull` },
    );
    await waitFor('5 failed jobs', async () => (await articles.getFailedCount()) === 5 || undefined);
    await failing.close();
    failingConnection.disconnect();
    const dry = fleet.start(
      ['reconcile', '--json', '--dry-run', '--config', configFile],
      opsEnv(redis.url, prefix),
    );
    expect(await dry.exited, dry.output()).toBe(0);
    const report = JSON.parse(
      dry
        .output()
        .split('\n')
        .find((l) => l.startsWith('{"seenUrls"'))!,
    ) as unknown;
    expect(report).toMatchObject({
      seenUrls: 10,
      missingArticle: 10,
      rebuilt: 5,
      reenqueued: { articles: 0 },
    });

    // And a job that fails on every attempt without recording why: lost work, and the run says so.
    await articles.add('article', { articleId: 'broken' } as never, {
      jobId: 'a-broken',
      attempts: 2,
      backoff: 10,
    });
    const rerun = fleet.start(
      ['run', '--once', '--config', configFile, '--feeds', feedList],
      opsEnv(redis.url, prefix),
    );
    expect(await rerun.exited, rerun.output()).toBe(1);
    expect(rerun.output()).toMatch(
      /^feeds 8, items 240, articles stored 240, clusters \d+, failures 1, re-enqueued 10; NOT DONE: 1 jobs failed for good, 0 seen articles not stored or clustered/m,
    );
    const state = await storedState(client, prefix);
    expect(state.articles).toBe(ARTICLES);
    expect(state.clusteredArticles).toBe(ARTICLES);
    expect(state.inSeveralClusters).toEqual([]);
    expect(state.partition).toEqual(truthPartition(corpus));
    await articles.close();
    client.disconnect();
  });

  it('Redis stopped under a daemon: /readyz 503 with the reason and /metrics 200 within a second, JSON logs, one line per state change', async () => {
    // AOF on: Redis comes back with its data, as a restarted production Redis does.
    const redis = await privateRedis({ aof: true });
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    const prefix = 'down:';
    const run = fleet.start(
      ['run', '--role', 'all', '--config', configFile, '--feeds', feedList],
      opsEnv(redis.url, prefix),
    );
    const url = await waitFor(
      'web listening',
      () => /"url":"(http:[^"]+)","msg":"web listening"/.exec(run.output())?.[1],
    );
    await waitFor('wiresift running', () => run.output().includes('wiresift running') || undefined);
    expect((await timed(`${url}/readyz`)).status).toBe(200);

    // Memory full: PING still answers, the write probe does not.
    await fillMemory(client);
    const full = await timed(`${url}/readyz`);
    expect(full.status, full.body).toBe(503);
    expect(full.body).toMatch(/redis: out of memory \(OOM command not allowed/);
    await client.config('SET', 'maxmemory', '0');
    await waitFor('ready again', async () => (await timed(`${url}/readyz`)).status === 200 || undefined);

    const before = run.output().length;
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1_500));
    const ready = await timed(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(1_500);
    expect(JSON.parse(ready.body)).toMatchObject({ ok: false, redis: 'down' });
    expect(ready.body).toMatch(/redis: unreachable \(.*ECONNREFUSED/);
    const metrics = await timed(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.ms).toBeLessThan(1_500);
    expect(metrics.body).toMatch(/process_cpu_user_seconds_total \d/);
    expect(metrics.body).toMatch(/^wiresift_redis_up 0$/m);
    await new Promise((r) => setTimeout(r, 5_000));
    const during = run.output().slice(before);

    await redis.start();
    await waitFor(
      'writes succeed again',
      () => run.output().slice(before).includes('writes succeed again') || undefined,
    );
    await waitFor('ready again', async () => (await timed(`${url}/readyz`)).status === 200 || undefined);

    const outage = during.split('\n').filter(Boolean);
    // Every line is JSON (no raw ioredis/BullMQ stacks), and the outage is told once, not per reconnect.
    expect(outage.filter((l) => !l.startsWith('{'))).toEqual([]);
    const errors = outage.map((l) => JSON.parse(l) as LogLine).filter((l) => l.level >= 50);
    expect(errors.length, JSON.stringify(errors)).toBeLessThanOrEqual(3);
    expect(errors[0]?.msg).toMatch(/^redis: unreachable \(.*\); jobs are waiting$/);

    // The scheduler's periodic reconcile (every second here) stores again what a fault left seen but unstored.
    const keys = keysFor(prefix);
    await waitFor(
      'every article stored',
      async () => (await client.zcard(keys.articlesByTime)) === ARTICLES || undefined,
      60_000,
    ).catch(async (err: Error) => {
      const stored = await client.zcard(keys.articlesByTime);
      const warnings = logLines(run).filter((l) => l.level >= 40);
      throw new Error(`${err.message}: ${stored} stored; ${JSON.stringify(warnings).slice(0, 3000)}`);
    });
    // Idle first: a job the outage left stalled must not re-store the article behind our back.
    const queues = ['articles', 'dedup'].map(
      (n) => new Queue(n, { connection: client, prefix: `${prefix}bull` }),
    );
    await waitFor('articles and dedup queues idle', async () => {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed')));
      return counts.every((c) => Object.values(c).every((n) => n === 0)) || undefined;
    });
    for (const q of queues) await q.close();
    const [lost] = await client.zrange(keys.articlesByTime, 0, 0);
    await client.del(keys.article(lost!), keys.articleBody(lost!));
    await client.zrem(keys.articlesByTime, lost!);
    await waitFor(
      'the lost article stored again',
      async () => (await client.exists(keys.article(lost!))) || undefined,
    );
    // Logged once the whole pass is done, which can be after the re-enqueued job stored it.
    await waitFor(
      'the reconcile line',
      () => run.output().includes('reconcile re-enqueued unfinished work') || undefined,
    );

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    client.disconnect();
  });
});
