import { randomBytes } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { type Role, startPipelineWorkers, startRole } from '../../workers/roles.js';
import type { Running } from '../../workers/worker-options.js';
import type { Config } from '../config.js';
import { feedIdFor } from '../feeds/feed-id.js';
import { readFeedList } from '../feeds/feed-list.js';
import type { Logger } from '../log.js';
import { createContext, type PipelineContext } from '../pipeline/context.js';
import { activeFeeds, type RegisteredFeed } from '../pipeline/feed-registry.js';
import { enqueueFeedsOnce } from '../pipeline/schedule-feeds.js';
import type { ArticleJobResult, FeedJobResult } from '../queues/jobs.js';
import { pendingJobs } from '../queues/queues.js';

export type RunOptions = { role: Role; feedsList?: string; once: boolean };

const SHUTDOWN_GRACE_MS = 8_000;

async function feedsFromList(path: string, config: Config): Promise<RegisteredFeed[]> {
  const refs = await readFeedList(path);
  return refs.map((r) => ({
    feedId: feedIdFor(r.url),
    url: r.url,
    ...(r.title ? { name: r.title } : {}),
    intervalSeconds: config.schedule.pollIntervalSeconds,
    origin: 'list' as const,
  }));
}

/** Closes everything within the grace period; jobs still active then go back to the queue (stalled → retried). */
async function shutdown(parts: Running[], ctx: PipelineContext, log: Logger): Promise<void> {
  const closing = Promise.all(
    parts.map((p) => p.close().catch((err) => log.warn({ err: String(err) }, 'close failed'))),
  );
  const timedOut = await Promise.race([
    closing.then(() => false),
    new Promise<boolean>((res) => setTimeout(() => res(true), SHUTDOWN_GRACE_MS).unref()),
  ]);
  if (timedOut) {
    log.warn('shutdown grace period over: forcing workers closed; their active jobs will be retried');
    await Promise.all(
      parts.map((p) =>
        (p as unknown as { close(force?: boolean): Promise<void> }).close(true).catch(() => undefined),
      ),
    );
  }
  await ctx.close();
}

function onSignals(handler: (signal: string) => void): () => void {
  const h = (s: NodeJS.Signals) => handler(s);
  process.once('SIGTERM', h);
  process.once('SIGINT', h);
  return () => {
    process.off('SIGTERM', h);
    process.off('SIGINT', h);
  };
}

export async function runForever(config: Config, log: Logger, opts: RunOptions): Promise<number> {
  const ctx = createContext(config, log);
  if (opts.feedsList) {
    // The list replaces the configured feeds for this process's scheduler.
    const listed = await feedsFromList(opts.feedsList, config);
    ctx.config = {
      ...config,
      feeds: listed.map((f) => ({ url: f.url, ...(f.name ? { name: f.name } : {}) })),
    };
  }
  const parts = await startRole(opts.role, ctx);
  log.info({ role: opts.role, prefix: config.redis.prefix }, 'wiresift running');
  await new Promise<void>((resolve) => {
    onSignals((signal) => {
      log.info({ signal }, 'shutting down');
      resolve();
    });
  });
  await shutdown(parts, ctx, log);
  log.info('stopped');
  return 0;
}

export type RunSummary = {
  feeds: number;
  items: number;
  articlesStored: number;
  clusters: number;
  failures: number;
};

/** Poll every feed once, wait until every queue is drained, report what happened. */
export async function runOnce(config: Config, log: Logger, opts: RunOptions): Promise<RunSummary> {
  const ctx = createContext(config, log);
  const feeds = opts.feedsList
    ? await feedsFromList(opts.feedsList, config)
    : await activeFeeds(ctx.redis, ctx.keys, config);
  const workers = startPipelineWorkers(ctx);
  const summary: RunSummary = { feeds: feeds.length, items: 0, articlesStored: 0, clusters: 0, failures: 0 };
  const isFinal = (job: { attemptsMade: number; opts: { attempts?: number } } | undefined, err: Error) =>
    err instanceof UnrecoverableError ||
    err.name === 'UnrecoverableError' ||
    !job ||
    job.attemptsMade >= (job.opts.attempts ?? 1);
  workers.feeds.on('completed', (_job, r: FeedJobResult) => {
    summary.items += r.items;
  });
  workers.articles.on('completed', (_job, r: ArticleJobResult) => {
    if (!r.skipped) summary.articlesStored++;
  });
  for (const w of [workers.feeds, workers.articles, workers.dedup]) {
    w.on('failed', (job, err) => {
      if (isFinal(job, err)) summary.failures++;
    });
  }
  let stopping = false;
  const offSignals = onSignals(() => {
    stopping = true;
  });
  await enqueueFeedsOnce(ctx.queues.feeds, feeds, randomBytes(4).toString('hex'));
  let idlePolls = 0;
  let lastProgress = Date.now();
  while (!stopping && idlePolls < 2) {
    await new Promise((r) => setTimeout(r, 200));
    const pending = await pendingJobs(ctx.queues);
    idlePolls = pending === 0 ? idlePolls + 1 : 0;
    if (Date.now() - lastProgress > 5_000) {
      lastProgress = Date.now();
      log.info({ pending, ...summary }, 'run --once: working');
    }
  }
  offSignals();
  summary.clusters = await ctx.redis.zcard(ctx.keys.clustersByUpdate);
  await shutdown([workers.feeds, workers.articles, workers.dedup], ctx, log);
  return summary;
}
