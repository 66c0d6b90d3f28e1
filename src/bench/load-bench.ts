import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { startPipelineWorkers } from '../../workers/roles.js';
import { createProgress } from '../cli/progress.js';
import { UsageError } from '../cli/usage-error.js';
import type { Config } from '../config.js';
import { feedIdFor } from '../feeds/feed-id.js';
import { createLogger } from '../log.js';
import { createContext } from '../pipeline/context.js';
import { enqueueFeedsOnce } from '../pipeline/schedule-feeds.js';
import { dropKeys, forEachKeyBatch } from '../store/key-scan.js';

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

async function commandCalls(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let calls = 0;
  for (const m of info.matchAll(/calls=(\d+)/g)) calls += Number(m[1]);
  return calls;
}

async function infoNumber(redis: Redis, section: string, field: string): Promise<number> {
  const info = await redis.info(section);
  return Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  return (await infoNumber(redis, 'cpu', 'used_cpu_user')) + (await infoNumber(redis, 'cpu', 'used_cpu_sys'));
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

/**
 * `wiresift bench load`: feeds → articles → clusters for a generated corpus,
 * every role in this one process, against the configured Redis under a
 * throw-away prefix (deleted afterwards).
 */
export async function loadBench(
  config: Config,
  opts: { articles: number; feeds: number; pageBytes: number },
) {
  const prefix = `wiresift-bench:${randomBytes(4).toString('hex')}:`;
  const cfg: Config = {
    ...config,
    redis: { ...config.redis, prefix },
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
    const before = {
      calls: await commandCalls(ctx.redis),
      memory: await infoNumber(ctx.redis, 'memory', 'used_memory'),
      redisCpu: await redisCpuSeconds(ctx.redis),
    };
    const durations: Record<Stage, number[]> = { feeds: [], articles: [], dedup: [] };
    const waits: Record<Stage, number[]> = { feeds: [], articles: [], dedup: [] };
    let clustered = 0;
    let stored = 0;
    let failed = 0;
    let lastClusteredAt = 0;
    let peakRss = process.memoryUsage().rss;
    const rtts: number[] = [];
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const rssTimer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const t = performance.now();
      ctx.redis.ping().then(
        () => rtts.push(performance.now() - t),
        () => undefined,
      );
    }, 100);
    const workers = startPipelineWorkers(ctx);
    const record = (stage: Stage) => (job: Job) => {
      if (job.processedOn && job.finishedOn) durations[stage].push(job.finishedOn - job.processedOn);
      if (job.processedOn) waits[stage].push(job.processedOn - (job.timestamp + (job.opts.delay ?? 0)));
    };
    workers.feeds.on('completed', record('feeds'));
    workers.articles.on('completed', (job) => {
      record('articles')(job);
      stored++;
    });
    workers.dedup.on('completed', (job) => {
      record('dedup')(job);
      clustered++;
      lastClusteredAt = performance.now();
    });
    for (const w of [workers.feeds, workers.articles, workers.dedup]) w.on('failed', () => failed++);

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
      if (performance.now() - Math.max(t0, lastClusteredAt) > 60_000)
        throw new Error(`bench: stalled at ${clustered}/${corpus.articles} articles clustered`);
    }
    const seconds = (lastClusteredAt - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    progress.done();
    clearInterval(rssTimer);
    loopDelay.disable();
    await Promise.all([workers.feeds.close(), workers.articles.close(), workers.dedup.close()]);

    const after = {
      calls: await commandCalls(ctx.redis),
      memory: await infoNumber(ctx.redis, 'memory', 'used_memory'),
      redisCpu: await redisCpuSeconds(ctx.redis),
    };
    // Finished-job history (BullMQ keeps queues.keepCompleted per queue) is not what sizes a Redis.
    await dropKeys(ctx.redis, `${prefix}bull:*`);
    const storeMemory = await infoNumber(ctx.redis, 'memory', 'used_memory');
    const n = clustered;
    const families = await memoryByFamily(ctx.redis, prefix);
    const clusters = await ctx.redis.zcard(ctx.keys.clustersByUpdate);
    const servedBytes = await corpus.bytes();
    const nodeCpuMs = (cpu.user + cpu.system) / 1000;
    return {
      articles: n,
      feeds: corpus.feedPaths.length,
      clusters,
      failed,
      seconds: Math.round(seconds * 100) / 100,
      articlesPerSecond: Math.round(n / seconds),
      stages: Object.fromEntries(
        (['feeds', 'articles', 'dedup'] as Stage[]).map((s) => [
          s,
          { handler: summarize(durations[s]), queueWait: summarize(waits[s]) },
        ]),
      ),
      redisCommandsPerArticle: Math.round(((after.calls - before.calls) / n) * 10) / 10,
      redisBytesPerArticle: {
        store: Math.round((storeMemory - before.memory) / n),
        withJobHistory: Math.round((after.memory - before.memory) / n),
        // MEMORY USAGE per key family (estimates; their sum is close to `store`), largest first.
        byKeyFamily: Object.fromEntries(
          Object.entries(families)
            .sort((a, b) => b[1].bytes - a[1].bytes)
            .map(([f, v]) => [f, { keys: v.keys, bytesPerArticle: Math.round(v.bytes / n) }]),
        ),
      },
      cpuMsPerArticle: {
        worker: Math.round((nodeCpuMs / n) * 100) / 100,
        redis: Math.round((((after.redisCpu - before.redisCpu) * 1000) / n) * 100) / 100,
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

export async function loadBenchCommand(
  config: Config,
  flags: { json: boolean; articles?: string; feeds?: string; pageKb?: string },
  out: (s: string) => void,
): Promise<number> {
  const articles = flags.articles === undefined ? 20_000 : Number(flags.articles);
  const feeds = flags.feeds === undefined ? 50 : Number(flags.feeds);
  if (!Number.isInteger(articles) || articles < 1)
    throw new UsageError('--articles must be a positive integer');
  if (!Number.isInteger(feeds) || feeds < 1) throw new UsageError('--feeds must be a positive integer');
  // Real article pages weigh ~100 KB (the Zyte benchmark's median is ~110 KB); 0 serves bare ~2 KB pages.
  const pageKb = flags.pageKb === undefined ? 100 : Number(flags.pageKb);
  if (!Number.isInteger(pageKb) || pageKb < 0 || pageKb > 10_000)
    throw new UsageError('--page-kb must be a whole number of KB from 0 to 10000');
  const r = await loadBench(config, { articles, feeds, pageBytes: pageKb * 1024 });
  if (flags.json) out(JSON.stringify(r));
  else {
    out(
      `${r.articles} articles over ${r.feeds} feeds → ${r.clusters} clusters in ${r.seconds} s: ${r.articlesPerSecond} articles/s`,
    );
    for (const [stage, v] of Object.entries(r.stages)) out(`  ${stage.padEnd(9)} ${JSON.stringify(v)}`);
    out(
      `  redis: ${r.redisCommandsPerArticle} commands/article, ${JSON.stringify(r.redisBytesPerArticle)} bytes/article`,
    );
    out(`  cpu ms/article: ${JSON.stringify(r.cpuMsPerArticle)}; worker peak RSS ${r.workerPeakRssMb} MB`);
  }
  return 0;
}
