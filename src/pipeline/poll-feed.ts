import { UnrecoverableError } from 'bullmq';
import { articleIdFor } from '../feeds/article-id.js';
import { canonicalizeUrl } from '../feeds/canonical-url.js';
import { fetchAndParseFeed } from '../feeds/load-feed.js';
import type { FeedItem } from '../feeds/parse-feed.js';
import { FetchError } from '../net/fetch-error.js';
import { articleJobId } from '../queues/job-ids.js';
import type { ArticleJob, FeedJob, FeedJobResult } from '../queues/jobs.js';
import { isKnownUrl, rememberUrl } from '../store/articles.js';
import { readFeedState, recordFeedFailure, recordFeedSuccess } from '../store/feed-state.js';
import type { PipelineContext } from './context.js';

const ENQUEUE_BATCH = 32;

function outletName(job: FeedJob, channelTitle: string | undefined): string {
  if (job.name) return job.name;
  if (channelTitle) return channelTitle;
  return new URL(job.url).hostname;
}

/**
 * One poll of one feed: conditional GET, parse, and one article job per item
 * never seen before. The job id is the article id, so an item listed by two
 * feeds, or enqueued twice after a crash, becomes one article.
 */
export async function pollFeed(ctx: PipelineContext, job: FeedJob): Promise<FeedJobResult> {
  const { redis, keys } = ctx;
  const state = await readFeedState(redis, keys, job.feedId);
  let loaded: Awaited<ReturnType<typeof fetchAndParseFeed>>;
  try {
    loaded = await fetchAndParseFeed(job.url, {
      ...ctx.fetchOptions,
      etag: state.etag || undefined,
      lastModified: state.lastModified || undefined,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    await recordFeedFailure(redis, keys, job.feedId, reason);
    if (err instanceof FetchError && !err.retryable) throw new UnrecoverableError(reason);
    if (!(err instanceof FetchError)) throw new UnrecoverableError(reason);
    throw err;
  }
  if (loaded.notModified || !loaded.feed) {
    await recordFeedSuccess(redis, keys, job.feedId, { status: 304, title: state.title });
    return { items: 0, enqueued: 0, notModified: true };
  }
  const feed = loaded.feed;
  const outlet = outletName(job, feed.title);
  let enqueued = 0;
  // Items in parallel batches: one at a time, a 400-item feed spent seconds on Redis round trips
  // and starved the article workers (bench load). The job id keeps a duplicate item a no-op.
  for (let i = 0; i < feed.items.length; i += ENQUEUE_BATCH) {
    const batch = feed.items.slice(i, i + ENQUEUE_BATCH);
    const added = await Promise.all(batch.map((item) => enqueueItem(ctx, job, outlet, item)));
    enqueued += added.filter(Boolean).length;
  }
  await recordFeedSuccess(redis, keys, job.feedId, {
    status: 200,
    title: feed.title,
    etag: loaded.etag,
    lastModified: loaded.lastModified,
    items: feed.items.length,
  });
  return { items: feed.items.length, enqueued, notModified: false };
}

async function enqueueItem(
  ctx: PipelineContext,
  job: FeedJob,
  outlet: string,
  item: FeedItem,
): Promise<boolean> {
  let canonicalUrl: string;
  try {
    canonicalUrl = canonicalizeUrl(item.link);
  } catch (err) {
    ctx.log.warn({ feed: job.url, link: item.link, err: (err as Error).message }, 'feeds: item link skipped');
    return false;
  }
  const articleId = articleIdFor(canonicalUrl);
  if (await isKnownUrl(ctx.redis, ctx.keys, articleId)) return false;
  const payload: ArticleJob = {
    articleId,
    url: item.link,
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
  };
  // Enqueue before remembering: a crash in between re-enqueues next poll, which the job id makes a no-op.
  await ctx.queues.articles.add('article', payload, { jobId: articleJobId(articleId) });
  await rememberUrl(ctx.redis, ctx.keys, articleId, canonicalUrl, ctx.config.articles.bodyTtlHours * 3600);
  return true;
}
