import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createContext } from '../app/context.js';
import { startPipelineWorkers } from '../app/roles.js';
import { createProgress } from '../command-line/progress.js';
import { UsageError } from '../command-line/usage-error.js';
import type { Config } from '../config.js';
import { feedIdFor } from '../feeds/feed-id.js';
import { createLogger, redactUrl } from '../log.js';
import { enqueueFeedsOnce } from '../pipeline/schedule-feeds.js';
import { dropKeys, forEachKeyBatch } from '../store/key-scan.js';
import { startPrivateRedis } from './private-redis.js';
import { perArticle, readCounters } from './redis-counters.js';

type Stage = 'feeds' | 'articles' | 'dedup';

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function summarize(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50Ms: r(quantile(s, 0.5)), p95Ms: r(quantile(s, 0.95)) };
}

/** A key's family: its name after the prefix with every id-like segment as '*' ("article:*:body"). */
export function keyFamily(key: string, prefix: string): string {
  const segments = key.slice(prefix.length).split(':');
  return segments.map((seg, i) => (i > 0 && (/\d/.test(seg) || seg.length > 12) ? '*' : seg)).join(':');
}

/** MEMORY USAGE of every key under the prefix, summed per key family. */
async function memoryByFamily(
  redis: Redis,
  prefix: string,
): Promise<Record<string, { keys: number; bytes: number }>> {
  const out: Record<string, { keys: number; bytes: number }> = {};
  await forEachKeyBatch(redis, `${prefix}*`, async (keys) => {
    const pipe = redis.pipeline();
    for (const k of keys) pipe.memory('USAGE', k);
    const replies = (await pipe.exec()) ?? [];
    keys.forEach((k, i) => {
      const bytes = Number(replies[i]?.[1] ?? 0);
      const f = keyFamily(k, prefix);
      const entry = out[f] ?? { keys: 0, bytes: 0 };
      entry.keys++;
      entry.bytes += bytes;
      out[f] = entry;
    });
  });
  return out;
}

type CorpusChild = {
  url: string;
  feedPaths: string[];
  articles: number;
  bytes(): Promise<number>;
  stop(): void;
};

/** The corpus server in its own process (see corpus-server.ts). */
async function startCorpusServer(articles: number, feeds: number, pageBytes: number): Promise<CorpusChild> {
  const self = fileURLToPath(import.meta.url);
  const entry = self.replace(/load-bench\.(ts|js)$/, 'corpus-server.$1');
  const child = fork(entry, [String(articles), String(feeds), String(pageBytes)], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const hello = await new Promise<{ url: string; feedPaths: string[]; articles: number }>((res, rej) => {
    child.once('message', (m) => res(m as { url: string; feedPaths: string[]; articles: number }));
    child.once('exit', (code) => rej(new Error(`bench: corpus server exited with code ${code}`)));
  });
  return {
    ...hello,
    bytes: () =>
      new Promise((res) => {
        child.once('message', (m) => res((m as { bytes: number }).bytes));
        child.send('bytes');
      }),
    stop: () => child.disconnect(),
  };
}

/** Where the bench's Redis comes from: one it starts (its figures are the bench's alone) or one it is given. */
export type BenchRedis = { port?: number; url?: string };

/** The rate between two shares of the articles done: the pipeline's pace once every stage is busy. */
export function steadyRate(doneAt: number[], from = 0.2, to = 0.9): number {
  const a = Math.floor(from * doneAt.length);
  const b = Math.min(doneAt.length - 1, Math.ceil(to * doneAt.length) - 1);
  const ms = (doneAt[b] ?? 0) - (doneAt[a] ?? 0);
  return b > a && ms > 0 ? Math.round(((b - a) / ms) * 1000) : 0;
}

/** The articles a finished job placed in a cluster: a dedup job's one, or the one an article job clustered itself. */
function clusteredBy(stage: Stage, result: unknown): boolean {
  if (stage === 'dedup') return true;
  return stage === 'articles' && Boolean((result as { clustered?: unknown } | undefined)?.clustered);
}

/**
 * `wiresift bench load`: feeds → articles → clusters for a generated corpus,
 * every role in this one process, against `redisUrl` under a throw-away
 * prefix (deleted afterwards).
 */
export async function loadBench(
  config: Config,
  opts: { articles: number; feeds: number; pageBytes: number; redisUrl: string },
) {
  const prefix = `wiresift-bench:${randomBytes(4).toString('hex')}:`;
  const cfg: Config = {
    ...config,
    redis: { ...config.redis, url: opts.redisUrl, prefix },
    // Every generated feed is served from one loopback host: per-host politeness would serialise the bench.
    net: {
      ...config.net,
      allowPrivateNetworks: true,
      politeness: { ...config.net.politeness, maxConcurrentPerHost: 64, minDelayMs: 0 },
    },
  };
  const corpus = await startCorpusServer(opts.articles, opts.feeds, opts.pageBytes);
  const ctx = createContext(cfg, createLogger('warn', { bench: 'load' }, 2));
  const progress = createProgress({ label: 'bench load', rateOf: 'clustered' });
  try {
    const before = await readCounters(ctx.redis);
    const durations: Record<Stage, number[]> = { feeds: [], articles: [], dedup: [] };
    const waits: Record<Stage, number[]> = { feeds: [], articles: [], dedup: [] };
    const doneAt: number[] = [];
    let clustered = 0;
    let stored = 0;
    let failed = 0;
    let pings = 0;
    let peakRss = process.memoryUsage().rss;
    const rtts: number[] = [];
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const rssTimer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const t = performance.now();
      pings++;
      ctx.redis.ping().then(
        () => rtts.push(performance.now() - t),
        () => undefined,
      );
    }, 100);
    const workers = startPipelineWorkers(ctx);
    const stages = { feeds: workers.feeds, articles: workers.articles, dedup: workers.dedup };
    for (const [stage, worker] of Object.entries(stages) as [Stage, (typeof stages)[Stage]][]) {
      worker.on('completed', (job: Job, result: unknown) => {
        if (job.processedOn && job.finishedOn) durations[stage].push(job.finishedOn - job.processedOn);
        if (job.processedOn) waits[stage].push(job.processedOn - (job.timestamp + (job.opts.delay ?? 0)));
        if (stage === 'articles') stored++;
        if (clusteredBy(stage, result)) {
          clustered++;
          doneAt.push(performance.now());
        }
      });
      worker.on('failed', () => {
        failed++;
        doneAt.push(performance.now());
      });
    }

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await enqueueFeedsOnce(
      ctx.queues.feeds,
      corpus.feedPaths.map((p) => {
        const url = corpus.url + p;
        return { feedId: feedIdFor(url), url, intervalSeconds: 300, origin: 'list' as const };
      }),
      randomBytes(4).toString('hex'),
    );
    while (clustered + failed < corpus.articles) {
      await new Promise((r) => setTimeout(r, 100));
      progress.update({ stored, clustered, failed });
      if (performance.now() - Math.max(t0, doneAt.at(-1) ?? 0) > 60_000)
        throw new Error(`bench: stalled at ${clustered}/${corpus.articles} articles clustered`);
    }
    const seconds = ((doneAt.at(-1) ?? t0) - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    progress.done();
    clearInterval(rssTimer);
    loopDelay.disable();
    await Promise.all(Object.values(stages).map((w) => w.close()));

    const after = await readCounters(ctx.redis);
    // Finished-job history (BullMQ keeps queues.keepCompleted per queue) is not what sizes a Redis.
    await dropKeys(ctx.redis, `${prefix}bull:*`);
    const storeMemory = (await readCounters(ctx.redis)).usedMemory;
    const n = clustered;
    const families = await memoryByFamily(ctx.redis, prefix);
    const clusters = await ctx.redis.zcard(ctx.keys.clustersByUpdate);
    const servedBytes = await corpus.bytes();
    const nodeCpuMs = (cpu.user + cpu.system) / 1000;
    // The readings' own traffic: the INFO before, and the RTT pings.
    const redisWork = perArticle(before, after, n, { commands: { info: 1, ping: pings }, reads: 1 + pings });
    return {
      articles: n,
      feeds: corpus.feedPaths.length,
      clusters,
      failed,
      seconds: Math.round(seconds * 100) / 100,
      articlesPerSecond: Math.round(n / seconds),
      // Between 20 % and 90 % of the articles done: without the start (feeds polled, JIT cold) and the tail.
      steadyArticlesPerSecond: steadyRate(doneAt),
      stages: Object.fromEntries(
        (['feeds', 'articles', 'dedup'] as Stage[]).map((s) => [
          s,
          { handler: summarize(durations[s]), queueWait: summarize(waits[s]) },
        ]),
      ),
      redisCommandsPerArticle: redisWork.commands,
      redisPerArticle: redisWork,
      redisBytesPerArticle: {
        store: Math.round((storeMemory - before.usedMemory) / n),
        withJobHistory: Math.round((after.usedMemory - before.usedMemory) / n),
        // MEMORY USAGE per key family (estimates; their sum is close to `store`), largest first.
        byKeyFamily: Object.fromEntries(
          Object.entries(families)
            .sort((a, b) => b[1].bytes - a[1].bytes)
            .map(([f, v]) => [f, { keys: v.keys, bytesPerArticle: Math.round(v.bytes / n) }]),
        ),
      },
      cpuMsPerArticle: {
        worker: Math.round((nodeCpuMs / n) * 100) / 100,
        redis: Math.round((((after.cpuSeconds - before.cpuSeconds) * 1000) / n) * 100) / 100,
      },
      workerCpuShareOfOneCore: Math.round((nodeCpuMs / 1000 / seconds) * 100) / 100,
      redisRttMs: summarize(rtts),
      eventLoopDelayMs: {
        p50: Math.round(loopDelay.percentile(50) / 1e5) / 10,
        p99: Math.round(loopDelay.percentile(99) / 1e5) / 10,
      },
      workerPeakRssMb: Math.round(peakRss / 1048576),
      servedBytesPerArticle: Math.round(servedBytes / n),
      concurrency: cfg.queues.concurrency,
    };
  } finally {
    await dropKeys(ctx.redis, `${prefix}*`).catch(() => undefined);
    await ctx.close();
    corpus.stop();
  }
}

/** Page sizes a default run measures: today's bare pages, and pages as heavy as real news pages. */
export const PAGE_KINDS = {
  // ~2 KB of bare markup.
  small: 0,
  // The Zyte benchmark's pages average 170 KiB (~174 kB; median ~110 KiB), much of it inline scripts and styles.
  realistic: 170,
} as const;

/**
 * The bench on its own redis-server (so its Redis figures are its alone), or on the
 * one it is given; each page size on a fresh private one.
 */
type RedisUsed = { source: 'private' | 'given'; url: string; version?: string };

async function onRedis<T>(
  redis: BenchRedis,
  run: (url: string) => Promise<T>,
): Promise<T & { redis: RedisUsed }> {
  if (redis.url) return { ...(await run(redis.url)), redis: { source: 'given', url: redactUrl(redis.url) } };
  const own = await startPrivateRedis(redis.port);
  try {
    return { ...(await run(own.url)), redis: { source: 'private', url: own.url, version: own.version } };
  } finally {
    await own.stop();
  }
}

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

export type LoadBenchFlags = {
  json: boolean;
  articles?: string;
  feeds?: string;
  pageKb?: string;
  port?: string;
  redisUrl?: string;
};

export async function loadBenchCommand(
  config: Config,
  flags: LoadBenchFlags,
  out: (s: string) => void,
): Promise<number> {
  const articles = positiveInt('articles', flags.articles, 20_000);
  const feeds = positiveInt('feeds', flags.feeds, 50);
  if (flags.port && flags.redisUrl)
    throw new UsageError('bench load takes --port (its own Redis) or --redis-url, not both');
  if (flags.redisUrl && !/^rediss?:\/\//.test(flags.redisUrl))
    throw new UsageError(
      `--redis-url must start with redis:// or rediss://, got ${JSON.stringify(flags.redisUrl)}`,
    );
  const redis: BenchRedis = flags.redisUrl
    ? { url: flags.redisUrl }
    : flags.port
      ? { port: positiveInt('port', flags.port, 0) }
      : {};
  let kinds: Record<string, number> = PAGE_KINDS;
  if (flags.pageKb !== undefined) {
    const pageKb = Number(flags.pageKb);
    if (!Number.isInteger(pageKb) || pageKb < 0 || pageKb > 10_000)
      throw new UsageError('--page-kb must be a whole number of KB from 0 to 10000');
    kinds = { [`${pageKb}kb`]: pageKb };
  }
  const results: Record<string, Awaited<ReturnType<typeof loadBench>> & { redis: RedisUsed }> = {};
  for (const [kind, pageKb] of Object.entries(kinds))
    results[kind] = await onRedis(redis, (redisUrl) =>
      loadBench(config, { articles, feeds, pageBytes: pageKb * 1024, redisUrl }),
    );
  if (flags.json) {
    // One size asked for: its result alone, as before; otherwise each size by name.
    const only = flags.pageKb !== undefined ? Object.values(results)[0] : undefined;
    out(JSON.stringify(only ?? results));
    return 0;
  }
  for (const [kind, r] of Object.entries(results)) {
    out(
      `${kind} pages (${r.servedBytesPerArticle} B served per article): ${r.articles} articles over ${r.feeds} feeds → ${r.clusters} clusters in ${r.seconds} s: ${r.articlesPerSecond} articles/s, ${r.steadyArticlesPerSecond}/s steady (20–90 % done)`,
    );
    for (const [stage, v] of Object.entries(r.stages)) out(`  ${stage.padEnd(9)} ${JSON.stringify(v)}`);
    const w = r.redisPerArticle;
    out(
      `  redis (${r.redis.source}: ${r.redis.url}) per article: ${w.commands} commands (${w.scriptCalls} script calls), ${w.reads} socket reads; ${JSON.stringify(r.redisBytesPerArticle.store)} bytes stored`,
    );
    out(`  cpu ms/article: ${JSON.stringify(r.cpuMsPerArticle)}; worker peak RSS ${r.workerPeakRssMb} MB`);
  }
  return 0;
}
