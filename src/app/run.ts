import { randomBytes } from 'node:crypto';
import { createProgress } from '../command-line/progress.js';
import type { Config } from '../config.js';
import { feedIdFor } from '../feeds/feed-id.js';
import { readFeedList } from '../feeds/feed-list.js';
import { type Logger, redactUrl } from '../log.js';
import { type ReconcileReport, reconcile, unfinished } from '../ops/reconcile.js';
import { waitForRedis } from '../ops/redis-startup.js';
import { activeFeeds, type RegisteredFeed } from '../pipeline/feed-registry.js';
import { enqueueFeedsOnce } from '../pipeline/schedule-feeds.js';
import { isFinalFailure, isUnrecoverable } from '../queues/final-failure.js';
import type { ArticleJobResult, FeedJobResult } from '../queues/jobs.js';
import { pendingJobs } from '../queues/queues.js';
import { createContext } from './context.js';
import { type Role, startPipelineWorkers, startRole } from './roles.js';
import { exitSoonIfStuck, onSignals, shutdown } from './shutdown.js';

export const NO_FEEDS =
  'no feeds configured: add with `wiresift feeds add URL`, WIRESIFT_FEEDS (URLs, or a list file) or `run --feeds LIST`';

export type RunOptions = { role: Role; feedsList?: string; once: boolean; progress?: boolean };

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

export async function runForever(config: Config, log: Logger, opts: RunOptions): Promise<number> {
  const stop = new AbortController();
  const offSignals = onSignals((signal) => {
    log.info({ signal }, 'shutting down');
    stop.abort();
  });
  if (!(await waitForRedis(config, log, stop.signal))) {
    log.info('stopped before Redis was reachable');
    return 0;
  }
  // A list replaces the configured feeds for this process's scheduler; the context is built
  // with it, and nothing changes the config once the process runs.
  const listed = opts.feedsList ? await feedsFromList(opts.feedsList, config) : null;
  const ctx = createContext(
    listed
      ? { ...config, feeds: listed.map((f) => ({ url: f.url, ...(f.name ? { name: f.name } : {}) })) }
      : config,
    log,
  );
  const parts = await startRole(opts.role, ctx);
  if (
    (opts.role === 'all' || opts.role === 'scheduler') &&
    !(await activeFeeds(ctx.redis, ctx.keys, ctx.config)).length
  )
    log.warn(NO_FEEDS);
  log.info(
    { role: opts.role, prefix: config.redis.prefix, redis: redactUrl(config.redis.url) },
    'wiresift running',
  );
  if (!stop.signal.aborted)
    await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve()));
  offSignals();
  const { forced } = await shutdown(parts, ctx, log, config.ops.shutdownGraceMs);
  log.info('stopped');
  if (forced) exitSoonIfStuck();
  return 0;
}

export type RunSummary = {
  feeds: number;
  items: number;
  articlesStored: number;
  clusters: number;
  failures: number;
  /** Jobs that ran out of attempts on an error that recorded nothing (not a feed or page judged bad), and never succeeded later. */
  failedForGood: number;
  /** Seen URLs still without a stored article or cluster when the run ended. */
  unfinished: number;
  /** Jobs queued again by reconcile (before and after the feeds were polled). */
  reconciled: number;
  /** Feeds whose poll failed for good, and feeds skipped, each with its reason (feed URL → reason). */
  feedsFailed: Record<string, string>;
  feedsSkipped: Record<string, string>;
};

const EMPTY_SUMMARY: RunSummary = {
  feeds: 0,
  items: 0,
  articlesStored: 0,
  clusters: 0,
  failures: 0,
  failedForGood: 0,
  unfinished: 0,
  reconciled: 0,
  feedsFailed: {},
  feedsSkipped: {},
};

/** The job failed on purpose after recording why (a feed or page judged bad): not lost work. */
function requeued(r: ReconcileReport): number {
  return r.reenqueued.articles + r.reenqueued.dedup;
}

/** Rounds of "drain, reconcile" after the poll: a job re-enqueued by the last round is reported unfinished. */
const RECONCILE_ROUNDS = 3;

/** Poll every feed once, wait until every queue is drained, report what happened. */
export async function runOnce(config: Config, log: Logger, opts: RunOptions): Promise<RunSummary> {
  const stop = new AbortController();
  const offSignals = onSignals(() => stop.abort());
  if (!(await waitForRedis(config, log, stop.signal))) {
    offSignals();
    return { ...EMPTY_SUMMARY, feedsFailed: {}, feedsSkipped: {} };
  }
  const ctx = createContext(config, log);
  const reconcileLogged = async (when: string): Promise<ReconcileReport> => {
    const r = await reconcile(ctx);
    if (requeued(r) || r.inFlight)
      log.info({ ...r, when }, 'run --once: reconcile re-enqueued unfinished work');
    return r;
  };
  // Work an earlier run took in but never finished (Redis full or down, a crash) comes first.
  const before = await reconcileLogged('start');
  const feeds = opts.feedsList
    ? await feedsFromList(opts.feedsList, config)
    : await activeFeeds(ctx.redis, ctx.keys, config);
  if (!feeds.length) log.warn(NO_FEEDS);
  const workers = startPipelineWorkers(ctx);
  const summary: RunSummary = {
    ...EMPTY_SUMMARY,
    feedsFailed: {},
    feedsSkipped: {},
    feeds: feeds.length,
    reconciled: requeued(before),
  };
  let clustered = 0;
  // Keyed by queue and job id: a job reconcile re-enqueues and that then succeeds is not lost.
  const lost = new Set<string>();
  workers.feeds.on('completed', (job, r: FeedJobResult) => {
    summary.items += r.items;
    if (r.skipped) summary.feedsSkipped[job.data.url] = r.skipped;
  });
  workers.feeds.on('failed', (job, err) => {
    if (job && isFinalFailure(job, err)) summary.feedsFailed[job.data.url] = err.message;
  });
  workers.articles.on('completed', (_job, r: ArticleJobResult) => {
    if (!r.skipped) summary.articlesStored++;
    // The article job ran the dedup step itself; dedup jobs are the ones it could not.
    if (r.clustered) clustered++;
  });
  workers.dedup.on('completed', () => {
    clustered++;
  });
  for (const w of [workers.feeds, workers.articles, workers.dedup]) {
    w.on('completed', (job) => lost.delete(`${w.name}:${job.id}`));
    w.on('failed', (job, err) => {
      if (!isFinalFailure(job, err)) return;
      summary.failures++;
      if (!isUnrecoverable(err)) lost.add(`${w.name}:${job?.id}`);
    });
  }
  const progress = opts.progress ? createProgress({ label: 'run --once', rateOf: 'stored' }) : null;
  await enqueueFeedsOnce(ctx.queues.feeds, feeds, randomBytes(4).toString('hex'));
  let lastLog = Date.now();
  const drain = async () => {
    let idlePolls = 0;
    while (!stop.signal.aborted && idlePolls < 2) {
      await new Promise((r) => setTimeout(r, 200));
      const pending = await pendingJobs(ctx.queues);
      idlePolls = pending === 0 ? idlePolls + 1 : 0;
      progress?.update({
        items: summary.items,
        stored: summary.articlesStored,
        clustered,
        failures: summary.failures,
        pending,
      });
      if (!progress && Date.now() - lastLog > 5_000) {
        lastLog = Date.now();
        log.info({ pending, ...summary }, 'run --once: working');
      }
    }
  };
  await drain();
  // Drained is not done: a job that failed for good, or was dropped mid-outage, left a seen URL behind.
  for (let round = 1; round <= RECONCILE_ROUNDS && !stop.signal.aborted; round++) {
    const r = await reconcileLogged(`end, round ${round}`);
    summary.unfinished = unfinished(r);
    if (!requeued(r)) break;
    summary.reconciled += requeued(r);
    if (round === RECONCILE_ROUNDS) break;
    await drain();
  }
  summary.failedForGood = lost.size;
  progress?.done();
  offSignals();
  summary.clusters = await ctx.redis.zcard(ctx.keys.clustersByUpdate);
  const parts = [workers.feeds, workers.articles, workers.dedup];
  const { forced } = await shutdown(parts, ctx, log, config.ops.shutdownGraceMs);
  if (forced) exitSoonIfStuck();
  return summary;
}
