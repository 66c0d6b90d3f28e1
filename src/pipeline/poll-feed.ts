import { UnrecoverableError } from 'bullmq';
import type { Config } from '../config.js';
import { articleIdFor, feedItemArticle } from '../feeds/article-id.js';
import { canonicalizeUrl } from '../feeds/canonical-url.js';
import { type FeedSettings, fetchOptionsFor, parseOptionsFor } from '../feeds/feed-settings.js';
import { fetchAndParseFeed } from '../feeds/fetch-and-parse-feed.js';
import type { FeedItem } from '../feeds/parse-feed.js';
import type { CappedFeed } from '../feeds/parse-pool.js';
import { infraCause } from '../infra-errors/infra-errors.js';
import { FetchError } from '../net/fetch-error.js';
import { HostBusyError } from '../net/host-politeness.js';
import { politeFetch } from '../net/polite-fetch.js';
import { articleJobId } from '../queues/job-ids.js';
import type { ArticleJob, FeedJob, FeedJobResult, PageSettings } from '../queues/jobs.js';
import { knownUrls, rememberUrls } from '../store/articles.js';
import { readFeedState, recordFeedFailure, recordFeedSuccess } from '../store/feed-state.js';
import type { PipelineContext } from './context.js';
import { ensureSubscribed } from './websub-subscriptions.js';

const ENQUEUE_BATCH = 32;

function outletName(job: FeedJob, channelTitle: string | undefined): string {
  if (job.name) return job.name;
  if (channelTitle) return channelTitle;
  return new URL(job.url).hostname;
}

/** A schedule tick this close to the next allowed poll still polls (ticks drift a little). */
const SCHEDULE_SLACK_MS = 5_000;

/** Backoff after `errors` failures in a row, pushed back further by Retry-After, within the cap. */
export function failureDelayMs(
  schedule: Config['schedule'],
  errors: number,
  retryAfterMs: number | undefined,
): number {
  const backoff = schedule.backoffBaseSeconds * 1000 * 2 ** Math.min(Math.max(errors - 1, 0), 30);
  return Math.min(Math.max(backoff, retryAfterMs ?? 0), schedule.maxBackoffSeconds * 1000);
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * One poll of one feed: conditional GET behind the per-host politeness gate,
 * parse, and one article job per item never seen before. The job id is the
 * article id, so an item listed by two feeds, or enqueued twice after a crash,
 * becomes one article.
 *
 * A failure is recorded in the feed's state with the time of the next poll
 * (exponential backoff, Retry-After) and fails the job for good: the schedule,
 * not BullMQ's quick retries, decides when the feed is asked again.
 */
export async function pollFeed(ctx: PipelineContext, job: FeedJob, now = Date.now()): Promise<FeedJobResult> {
  const { redis, keys } = ctx;
  const state = await readFeedState(redis, keys, job.feedId);
  if (!job.force && state.nextFetchAt > now + SCHEDULE_SLACK_MS) {
    return {
      items: 0,
      enqueued: 0,
      notModified: false,
      skipped: `next poll not before ${isoOf(state.nextFetchAt)}`,
    };
  }
  let loaded: Awaited<ReturnType<typeof fetchAndParseFeed>>;
  try {
    loaded = await fetchAndParseFeed(
      job.url,
      {
        ...fetchOptionsFor(ctx.fetchOptions, job.settings),
        etag: state.etag || undefined,
        lastModified: state.lastModified || undefined,
      },
      (url, opts) => politeFetch(ctx.gate, url, opts, { robots: false }),
      { pool: ctx.feedParser, ...parseOptionsFor(job.settings, ctx.config.feedLimits.maxItemsPerPoll) },
    );
  } catch (err) {
    // Waiting for a slot, or Redis refusing writes, says nothing about the feed: the worker delays the job.
    if (err instanceof HostBusyError || infraCause(err)) throw err;
    const fetchErr = err instanceof FetchError ? err : undefined;
    const nextFetchAt =
      now + failureDelayMs(ctx.config.schedule, state.consecutiveErrors + 1, fetchErr?.retryAfterMs);
    const message = err instanceof Error ? err.message : String(err);
    const reason = `${message} (next poll not before ${isoOf(nextFetchAt)})`;
    await recordFeedFailure(redis, keys, job.feedId, message, {
      ...(fetchErr?.status === undefined ? {} : { status: fetchErr.status }),
      nextFetchAt,
    });
    throw new UnrecoverableError(reason);
  }
  const cap = ctx.config.schedule.maxBackoffSeconds * 1000;
  const nextFetchAt = loaded.maxAgeSeconds ? now + Math.min(loaded.maxAgeSeconds * 1000, cap) : 0;
  if (loaded.notModified || !loaded.feed) {
    await recordFeedSuccess(redis, keys, job.feedId, { status: 304, title: state.title, nextFetchAt });
    return { items: 0, enqueued: 0, notModified: true };
  }
  const feed = loaded.feed;
  const enqueued = await enqueueFeedItems(ctx, job, feed);
  await recordFeedSuccess(redis, keys, job.feedId, {
    status: 200,
    title: feed.title,
    etag: loaded.etag,
    lastModified: loaded.lastModified,
    items: feed.items.length,
    nextFetchAt,
  });
  // Push where the feed offers it (WebSub); polling goes on regardless, as the fallback.
  await ensureSubscribed(ctx, job, feed, now);
  const itemsSkipped = feed.items.filter((i) => i.ingest === 'skip').length;
  const fromFeed = feed.items.filter((i) => i.ingest === 'feed').length;
  return { items: feed.items.length, enqueued, notModified: false, cut: feed.cut, itemsSkipped, fromFeed };
}

/** One line per poll for the items left out, counted by reason (a repeated guid is routine, not news). */
function logSkipped(ctx: PipelineContext, job: FeedJob, items: FeedItem[]): void {
  const byReason = new Map<string, number>();
  for (const i of items)
    if (i.ingest === 'skip' && i.reason && !i.reason.startsWith('same guid'))
      byReason.set(i.reason, (byReason.get(i.reason) ?? 0) + 1);
  if (byReason.size === 0) return;
  const reasons = Object.fromEntries(byReason);
  const n = [...byReason.values()].reduce((a, b) => a + b, 0);
  ctx.log.info(
    { feed: job.url, skipped: n, reasons },
    `feeds: ${n} items skipped (${[...byReason.keys()].join('; ')})`,
  );
}

/**
 * One article job per item never seen before, from a poll or from content a
 * hub pushed; returns how many were new.
 */
export async function enqueueFeedItems(
  ctx: PipelineContext,
  job: FeedJob,
  feed: CappedFeed,
): Promise<number> {
  if (feed.cut > 0) logCut(ctx, job, feed.items.length, feed.cut);
  const outlet = outletName(job, feed.title);
  logSkipped(ctx, job, feed.items);
  let enqueued = 0;
  // Items in batches of three round trips each (which URLs are known, the jobs, the URLs
  // remembered): one item at a time, a 400-item feed spent seconds on Redis round trips and
  // starved the article workers (bench load). The job id keeps a duplicate item a no-op.
  for (let i = 0; i < feed.items.length; i += ENQUEUE_BATCH)
    enqueued += await enqueueBatch(ctx, job, outlet, feed.items.slice(i, i + ENQUEUE_BATCH));
  return enqueued;
}

function logCut(ctx: PipelineContext, job: FeedJob, kept: number, cut: number): void {
  ctx.log.warn(
    { feed: job.url, kept, cut, maxItemsPerPoll: ctx.config.feedLimits.maxItemsPerPoll },
    `feeds: ${kept + cut} items in one poll, kept the ${kept} newest and cut ${cut} (feedLimits.maxItemsPerPoll)`,
  );
}

function pageSettings(s: FeedSettings | undefined): { page?: PageSettings } {
  const page: PageSettings = {
    ...(s?.timeoutMs ? { timeoutMs: s.timeoutMs } : {}),
    ...(s?.userAgent ? { userAgent: s.userAgent } : {}),
    ...(s?.bodySelector ? { bodySelector: s.bodySelector } : {}),
  };
  return Object.keys(page).length ? { page } : {};
}

/**
 * An item with a link is the article at that link (whatever feed lists it); one
 * without is identified by its guid, or its feed, title and date (feedItemArticle).
 */
function articleIdentity(
  ctx: PipelineContext,
  job: FeedJob,
  item: FeedItem,
): { articleId: string; url: string; canonicalUrl: string } | null {
  if (!item.link) {
    const { articleId, url } = feedItemArticle(job.url, item);
    return { articleId, url, canonicalUrl: url };
  }
  try {
    const canonicalUrl = canonicalizeUrl(item.link);
    return { articleId: articleIdFor(canonicalUrl), url: item.link, canonicalUrl };
  } catch (err) {
    ctx.log.warn({ feed: job.url, link: item.link, err: (err as Error).message }, 'feeds: item link skipped');
    return null;
  }
}

type Identified = { item: FeedItem; articleId: string; url: string; canonicalUrl: string };

async function enqueueBatch(
  ctx: PipelineContext,
  job: FeedJob,
  outlet: string,
  items: FeedItem[],
): Promise<number> {
  const identified: Identified[] = [];
  for (const item of items) {
    if (item.ingest === 'skip') continue;
    const identity = articleIdentity(ctx, job, item);
    if (identity) identified.push({ item, ...identity });
  }
  const known = await knownUrls(
    ctx.redis,
    ctx.keys,
    identified.map((i) => i.articleId),
  );
  const fresh = identified.filter((_, i) => !known[i]);
  if (!fresh.length) return 0;
  // Enqueue before remembering: a crash in between re-enqueues next poll, which the job id makes a no-op.
  await ctx.queues.articles.addBulk(
    fresh.map((i) => ({
      name: 'article',
      data: articlePayload(job, outlet, i),
      opts: { jobId: articleJobId(i.articleId) },
    })),
  );
  await rememberUrls(
    ctx.redis,
    ctx.keys,
    fresh.map((i) => [i.articleId, i.canonicalUrl]),
    ctx.config.articles.bodyTtlHours * 3600,
  );
  return fresh.length;
}

function articlePayload(
  job: FeedJob,
  outlet: string,
  { item, articleId, url, canonicalUrl }: Identified,
): ArticleJob {
  return {
    articleId,
    url,
    canonicalUrl,
    feedId: job.feedId,
    feedUrl: job.url,
    outlet,
    item: {
      title: item.title,
      published: item.published,
      contentHtml: item.contentHtml,
      summary: item.summary,
      author: item.author,
    },
    ...(item.ingest === 'feed' ? { ingest: 'feed' as const } : {}),
    ...pageSettings(job.settings),
  };
}
