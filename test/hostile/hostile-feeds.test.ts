import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { startFeedsWorker } from '../../src/app/feeds-worker.js';
import { createLogger } from '../../src/log.js';
import type { FeedJob, FeedJobResult } from '../../src/queues/jobs.js';
import { readFeedState } from '../../src/store/feed-state.js';
import { startHttpServer } from '../support/http-server.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';
import { buildCases, buildNearCapCases, goodFeed, type HostileCase } from './cases.js';

const GOOD_FEEDS = 40;
const MB = 1024 * 1024;
const ITEMS_PER_GOOD_FEED = 3;
const STAGE_REASON = /^(net|feeds): /;
// Per case, from the job's start to its end: the parse budget plus the fetch, with room for
// a machine shared by the whole suite. A case that backtracked ran for minutes.
const FETCH_AND_ENQUEUE_MS = 15_000;

type SuiteOptions = {
  cases: () => HostileCase[];
  minCases: number;
  /** Feed jobs at once (and per-host slots: one loopback host serves every feed). */
  concurrency: number;
  /** 0: one parsing thread per feed job, as configured by default. */
  parseThreads: number;
  netTimeoutMs: number;
  /** feedLimits.parseTimeoutMs of the run. */
  parseTimeoutMs: number;
  runMs: number;
};

function hostileSuite(name: string, o: SuiteOptions): void {
  describe(name, () => {
    const redis = connectTestRedis();
    const prefix = uniquePrefix('hostile');
    const cases = o.cases();
    const byId = new Map(cases.map((c) => [c.id, c]));
    const canaryHits: string[] = [];
    let server: Awaited<ReturnType<typeof startHttpServer>>;
    let ctx: AppContext;

    beforeAll(async () => {
      server = await startHttpServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const [, kind, id] = path.split('/');
        if (path.startsWith('/xxe-canary')) canaryHits.push(path);
        if (kind === 'good') {
          res.writeHead(200, { 'content-type': 'application/rss+xml' });
          res.end(goodFeed(server.url, Number(id), ITEMS_PER_GOOD_FEED));
          return;
        }
        const c = kind === 'c' && id ? byId.get(id) : undefined;
        if (c) return c.handle(req, res, server.url);
        res.writeHead(404);
        res.end();
      });
      for (const c of cases) c.prepare?.(server.url);
      const config = testConfig(prefix, {
        // The private-address guard stays on: only the test server's own host is let through.
        WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'false',
        WIRESIFT_ALLOW_HOSTS: '127.0.0.1',
      });
      config.net.timeoutMs = o.netTimeoutMs;
      // One loopback host serves every feed here; the limiter is exercised, not made the bottleneck.
      config.net.politeness = {
        maxConcurrentPerHost: o.concurrency,
        minDelayMs: 0,
        leaseMs: o.netTimeoutMs + 10_000,
        maxWaitMs: 10_000,
      };
      config.queues.concurrency.feeds = o.concurrency;
      config.feedLimits.parseThreads = o.parseThreads;
      config.feedLimits.parseTimeoutMs = o.parseTimeoutMs;
      ctx = createContext(config, createLogger('silent'));
      // Parsing threads started before the run: from source each one transpiles its modules first
      // (seconds of CPU), which would starve the 1.5 s fetches of the first jobs, not test them.
      await Promise.all(
        Array.from({ length: o.parseThreads || o.concurrency }, (_, n) =>
          ctx.feedParser.parse(Buffer.from(goodFeed(server.url, n)), undefined, server.url),
        ),
      );
    }, 60_000);

    afterAll(async () => {
      await ctx?.close();
      await server?.close();
      await dropPrefix(redis, prefix);
      redis.disconnect();
    });

    it(`ends every bad job with a clear reason and processes every good feed (${GOOD_FEEDS} good mixed in)`, {
      timeout: o.runMs + 20_000,
    }, async () => {
      expect(cases.length).toBeGreaterThanOrEqual(o.minCases);
      const workerErrors: string[] = [];
      const worker = startFeedsWorker(ctx);
      worker.on('error', (err) => workerErrors.push(err.message));

      // Event-loop lag while the worker chews through all of it.
      let maxGap = 0;
      let peakRss = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
      }, 20);

      const jobs: Array<{ feedId: string; url: string; hostile?: HostileCase }> = [
        ...cases.map((c) => ({ feedId: c.id, url: `${server.url}/c/${c.id}`, hostile: c })),
        ...Array.from({ length: GOOD_FEEDS }, (_, n) => ({
          feedId: `good-${n}`,
          url: `${server.url}/good/${n}`,
        })),
      ];
      // Interleave good and bad so good feeds share the worker with the worst of them.
      jobs.sort((a, b) => (a.feedId < b.feedId ? -1 : 1));
      const started = performance.now();
      await ctx.queues.feeds.addBulk(
        jobs.map((j) => ({
          name: 'poll',
          data: { feedId: j.feedId, url: j.url } as FeedJob,
          opts: { jobId: j.feedId },
        })),
      );
      for (;;) {
        const counts = await ctx.queues.feeds.getJobCounts('completed', 'failed');
        if ((counts.completed ?? 0) + (counts.failed ?? 0) >= jobs.length) break;
        if (performance.now() - started > o.runMs) throw new Error(`stuck: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const elapsed = performance.now() - started;
      clearInterval(ticker);
      await worker.close();

      const outcomes = new Map<string, { ok: number; failed: number }>();
      const problems: string[] = [];
      let goodOk = 0;
      let worst = { id: '', ms: 0 };
      for (const j of jobs) {
        const job = (await ctx.queues.feeds.getJob(j.feedId)) as Job<FeedJob, FeedJobResult> | undefined;
        const ms = (job?.finishedOn ?? 0) - (job?.processedOn ?? 0);
        if (ms > worst.ms) worst = { id: j.feedId, ms };
        const caseBoundMs = o.parseTimeoutMs + FETCH_AND_ENQUEUE_MS;
        if (ms > caseBoundMs) problems.push(`${j.feedId}: took ${ms} ms (bound ${caseBoundMs} ms)`);
        const cap = ctx.config.feedLimits.maxItemsPerPoll;
        if ((job?.returnvalue?.items ?? 0) > cap)
          problems.push(`${j.feedId}: more than ${cap} items in one poll`);
        const state = await job?.getState();
        const reason = job?.failedReason ?? '';
        const category = j.hostile?.category ?? 'good feeds';
        const tally = outcomes.get(category) ?? { ok: 0, failed: 0 };
        if (state === 'failed') tally.failed++;
        else tally.ok++;
        outcomes.set(category, tally);
        if (!j.hostile) {
          const r = job?.returnvalue;
          if (state === 'completed' && r?.items === ITEMS_PER_GOOD_FEED && r.enqueued === ITEMS_PER_GOOD_FEED)
            goodOk++;
          else problems.push(`${j.feedId}: good feed not processed (${state}: ${reason})`);
          continue;
        }
        const c = j.hostile;
        if (state !== 'completed' && state !== 'failed') problems.push(`${c.id}: ended ${state}`);
        if (state === 'failed') {
          if (!STAGE_REASON.test(reason)) problems.push(`${c.id}: unclear reason ${JSON.stringify(reason)}`);
          if (c.expect === 'ok') problems.push(`${c.id}: expected to be read, failed: ${reason}`);
          if (c.reason && !c.reason.test(reason))
            problems.push(`${c.id}: reason ${JSON.stringify(reason)} !~ ${c.reason}`);
          // The feed's state says the same thing to `feeds list`.
          const fs = await readFeedState(redis, ctx.keys, c.id);
          if (fs.consecutiveErrors !== 1 || !fs.lastError) problems.push(`${c.id}: feed state not recorded`);
        }
        if (state === 'completed') {
          if (c.expect === 'fail') problems.push(`${c.id}: expected to fail, completed`);
          if (c.cut !== undefined && job?.returnvalue?.cut !== c.cut)
            problems.push(`${c.id}: cut ${job?.returnvalue?.cut} items, expected ${c.cut}`);
          if (c.expect === 'ok' && !(job?.returnvalue?.items && job.returnvalue.items > 0))
            problems.push(`${c.id}: read but no items`);
        }
      }
      // Feeds in a declared legacy encoding reach the queue without mojibake.
      const articles = await ctx.queues.articles.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1);
      for (const a of articles) {
        const c = byId.get(a.data.feedId);
        if (
          c?.category === 'wrong/mixed encodings' &&
          c.expect === 'ok' &&
          !/^Dépêche \d+-\d : l'été à Brévannes$/.test(a.data.item.title)
        )
          problems.push(`${c.id}: title decoded as ${JSON.stringify(a.data.item.title)}`);
      }
      if (process.env.HOSTILE_VERBOSE)
        for (const j of jobs) {
          const job = await ctx.queues.feeds.getJob(j.feedId);
          console.log(j.feedId, await job?.getState(), job?.failedReason ?? JSON.stringify(job?.returnvalue));
        }
      const articleJobs = await ctx.queues.articles.getJobCounts('waiting', 'prioritized', 'delayed');
      const bad = cases.length;
      const badFailed = [...outcomes.entries()]
        .filter(([k]) => k !== 'good feeds')
        .reduce((n, [, v]) => n + v.failed, 0);
      console.log(
        [
          `${name}: ${bad} hostile cases + ${GOOD_FEEDS} good feeds in ${(elapsed / 1000).toFixed(1)} s`,
          ...[...outcomes.entries()].map(
            ([k, v]) => `  ${k.padEnd(32)} read ${v.ok}, failed with reason ${v.failed}`,
          ),
          `  hostile: ${badFailed} failed with a stage-prefixed reason, ${bad - badFailed} read without harm`,
          `  good feeds processed: ${goodOk}/${GOOD_FEEDS}; worker errors: ${workerErrors.length}; problems: ${problems.length}`,
          // Reported, not asserted: with the whole suite sharing two cores it measures the machine too;
          // test/feeds/big-feed-lag.test.ts asserts the parsing stall itself.
          `  max event-loop gap during the run: ${Math.round(maxGap)} ms`,
          `  slowest case: ${worst.id} in ${worst.ms} ms (bound ${o.parseTimeoutMs + FETCH_AND_ENQUEUE_MS} ms); peak RSS ${Math.round(peakRss / MB)} MB`,
        ].join('\n'),
      );
      expect(problems).toEqual([]);
      expect(workerErrors).toEqual([]);
      expect(goodOk).toBe(GOOD_FEEDS);
      expect(canaryHits).toEqual([]);
      // Every good item became an article job; the __proto__ feed did not pollute anything.
      expect(Object.values(articleJobs).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
        GOOD_FEEDS * ITEMS_PER_GOOD_FEED,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
}

hostileSuite('hostile feeds through the real feeds worker', {
  cases: buildCases,
  minCases: 200,
  concurrency: 24,
  // Fewer parsing threads than feed jobs: each thread started from source transpiles its modules
  // (seconds of CPU on two shared cores), and the pool must hold up with jobs waiting for one.
  parseThreads: 2,
  netTimeoutMs: 1500,
  parseTimeoutMs: 20_000,
  runMs: 60_000,
});

hostileSuite('feeds near the body cap through the real feeds worker', {
  cases: buildNearCapCases,
  minCases: 22,
  // One parsing thread per job, as many as this machine has cores.
  concurrency: 2,
  parseThreads: 2,
  netTimeoutMs: 15_000,
  // The slowest of these parse in about 13 s alone; under the whole suite, on two cores shared with
  // other processes, several times that. The budget is sized for this machine, not the default.
  parseTimeoutMs: 90_000,
  runMs: 240_000,
});
