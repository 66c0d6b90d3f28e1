import { UnrecoverableError } from 'bullmq';
import { boilerplatePhrases, type Config } from '../config.js';
import { extractPoolFor } from '../extract/extract-pool.js';
import { failedArticle } from '../extract/failed-article.js';
import { boilerplateDomain } from '../extract/learned-lines.js';
import type { ExtractedArticle } from '../extract/types.js';
import { fetchOptionsFor } from '../feeds/feed-settings.js';
import { infraCause } from '../infra-errors/infra-errors.js';
import { FetchError } from '../net/fetch-error.js';
import { HostBusyError } from '../net/host-politeness.js';
import { politeFetch } from '../net/polite-fetch.js';
import { articleJobId } from '../queues/job-ids.js';
import type { ArticleJob, ArticleJobResult } from '../queues/jobs.js';
import { type ArticleRecord, type ArticleSource, getArticleFields, saveArticle } from '../store/articles.js';
import { learnedBoilerplate } from '../store/boilerplate-stats.js';
import { placeArticle } from './cluster-article.js';
import type { PipelineContext } from './context.js';

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml|text\/plain)\b/i;

type Outcome = { extracted: ExtractedArticle; source: ArticleSource; charset: string; failure?: string };

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The feed item's own text, when it says enough (minWords) to stand in for the page. */
async function fromFeedItem(
  ctx: PipelineContext,
  job: ArticleJob,
  minWords = ctx.config.extract.feedFallbackMinWords,
): Promise<ExtractedArticle | null> {
  const html = job.item.contentHtml || job.item.summary;
  if (!html) return null;
  const wrapped = `<html><body><article>${/<p[\s>]/i.test(html) ? html : `<p>${html}</p>`}</article></body></html>`;
  const extracted = await extractPoolFor(ctx.config).extractHtml(wrapped, {
    url: job.url,
    boilerplate: boilerplatePhrases(ctx.config),
  });
  if (extracted.status !== 'ok' || wordCount(extracted.text) < minWords) return null;
  return extracted;
}

/** The configured site rules, with the feed's body selector (a feed setting) as the rule of this page's host. */
function siteRulesFor(
  ctx: PipelineContext,
  job: ArticleJob,
  pageUrl: string,
): Config['extract']['siteRules'] {
  const rules = ctx.config.extract.siteRules;
  const selector = job.page?.bodySelector;
  if (!selector || !URL.canParse(pageUrl)) return rules;
  const host = new URL(pageUrl).hostname.toLowerCase();
  return { ...rules, [host]: { ...rules[host], body: selector } };
}

/** Lines this article's domain repeats on many pages (empty when learning is off). */
async function learnedLinesFor(ctx: PipelineContext, url: string): Promise<string[]> {
  const cfg = ctx.config.extract.learnedBoilerplate;
  const domain = boilerplateDomain(url);
  if (!cfg.enabled || !domain) return [];
  return ctx.learnedLines.getOrLoad(domain, () => learnedBoilerplate(ctx.redis, ctx.keys, domain, cfg));
}

async function fetchAndExtract(
  ctx: PipelineContext,
  job: ArticleJob,
  isLastAttempt: boolean,
): Promise<Outcome> {
  if (job.ingest === 'feed') return fromFeedOnly(ctx, job);
  let failure: string;
  let pageResult: (ExtractedArticle & { charset: string }) | null = null;
  const learned = await learnedLinesFor(ctx, job.url);
  try {
    // Per-host politeness and robots.txt; a disallowed page fails here and the feed's text may stand in.
    const res = await politeFetch(
      ctx.gate,
      job.url,
      {
        ...fetchOptionsFor(ctx.fetchOptions, job.page),
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
        allowedContentTypes: HTML_TYPES,
      },
      { robots: true },
    );
    // On a worker thread with a time and heap budget: a hostile page fails alone.
    const page = await extractPoolFor(ctx.config).extractPage(res.body, {
      url: res.url,
      contentType: res.contentType,
      boilerplate: boilerplatePhrases(ctx.config),
      siteRules: siteRulesFor(ctx, job, res.url),
      learnedBoilerplate: learned,
    });
    if (page.status === 'ok') return { extracted: page, source: 'page', charset: page.charset };
    failure = page.reason ?? `extract: page is ${page.status}`;
    pageResult = page;
  } catch (err) {
    // The worker delays the job, no attempt spent: a busy host or Redis refusing writes is not the page's fault.
    if (err instanceof HostBusyError || infraCause(err)) throw err;
    // A transient failure is retried by BullMQ before the feed's text stands in.
    if (err instanceof FetchError && err.retryable && !isLastAttempt) throw err;
    failure = err instanceof Error ? err.message : String(err);
  }
  const fallback = await fromFeedItem(ctx, job);
  if (fallback) return { extracted: fallback, source: 'feed', charset: 'utf-8', failure };
  return failedOutcome(job, failure, pageResult);
}

/** An item whose feed text is the article (no link, or a trusted feed): no page is fetched. */
async function fromFeedOnly(ctx: PipelineContext, job: ArticleJob): Promise<Outcome> {
  const extracted = await fromFeedItem(ctx, job, 1);
  if (extracted) return { extracted, source: 'feed', charset: 'utf-8' };
  return failedOutcome(job, "feeds: the item's text holds no article text", null);
}

function failedOutcome(
  job: ArticleJob,
  failure: string,
  pageResult: (ExtractedArticle & { charset: string }) | null,
): Outcome {
  // The page was read but holds no article: record its own state ('empty' or 'failed') and reason.
  if (pageResult)
    return {
      extracted: { ...pageResult, title: pageResult.title || job.item.title || null },
      source: 'page',
      charset: pageResult.charset,
    };
  return {
    extracted: {
      ...failedArticle(failure),
      // What the feed said of it, so the failed article is still recognisable.
      title: job.item.title || null,
      byline: job.item.author,
      publishedAt: job.item.published,
    },
    source: 'feed',
    charset: '',
    failure,
  };
}

/**
 * An article stored with a status other than ok (empty, failed, not an
 * article): its job fails for good, and says with what status and source.
 */
export class ArticleNotUsable extends UnrecoverableError {
  readonly status: ArticleRecord['status'];
  readonly source: ArticleRecord['source'];
  constructor(message: string, record: Pick<ArticleRecord, 'status' | 'source'>) {
    super(message);
    this.status = record.status;
    this.source = record.source;
  }
}

/**
 * Fetch the page, extract its body, store the article and place it in its
 * cluster (the dedup step, in this job). A stored article is not fetched
 * again: a retried or duplicated job only makes sure its dedup job exists.
 */
export async function ingestArticle(
  ctx: PipelineContext,
  job: ArticleJob,
  attempt: { isLastAttempt: boolean; firstRun?: boolean },
): Promise<ArticleJobResult> {
  // A job's first run is for an article not yet taken in (the feed step checked): the save
  // refuses to overwrite an ok article should one be there after all, so only a job that ran
  // before spends a round trip to look, and saves the page's fetch when it finds one.
  if (!attempt.firstRun) {
    const existing = await getArticleFields(ctx.redis, ctx.keys, job.articleId, ['status', 'source']);
    if (existing?.status === 'ok') return alreadyStored(ctx, job.articleId, existing.source);
  }
  const { extracted, source, charset, failure } = await fetchAndExtract(ctx, job, attempt.isLastAttempt);
  const record: Omit<ArticleRecord, 'cluster'> = {
    id: job.articleId,
    url: job.url,
    canonicalUrl: job.canonicalUrl,
    feedId: job.feedId,
    feedUrl: job.feedUrl,
    outlet: job.outlet,
    title: extracted.title || job.item.title || '',
    byline: extracted.byline || job.item.author || '',
    publishedAt: extracted.publishedAt || job.item.published || '',
    lang: extracted.lang || '',
    agency: extracted.agency || '',
    status: extracted.status,
    reason:
      extracted.status === 'ok'
        ? failure
          ? `from feed: ${failure}`
          : ''
        : extracted.reason || failure || '',
    source,
    charset,
    words: wordCount(extracted.text),
    fetchedAt: new Date().toISOString(),
    truncated: extracted.truncated ? '1' : '',
  };
  const saved = await saveArticle(
    ctx.redis,
    ctx.keys,
    record,
    extracted.text,
    ctx.config.articles.bodyTtlHours * 3600,
    ctx.config.articles.retainDays * 86_400,
    { compressBody: ctx.config.articles.compressBodies },
  );
  if (!saved.written) return alreadyStored(ctx, job.articleId, saved.source);
  if (extracted.status !== 'ok') {
    // Stored so editors and `wiresift` can see why; failed so the dashboard shows it.
    throw new ArticleNotUsable(record.reason || `extract: article is ${extracted.status}`, record);
  }
  // Its lines are counted for learned boilerplate by the dedup step, under its cluster.
  return { status: 'ok', source, ...(await clusterNowOrLater(ctx, record, extracted.text)) };
}

/**
 * The dedup step in this job, with the body still in hand: a queue hop and a
 * read of the body fewer per article. Should it fail, the article is stored
 * but not clustered, so a dedup job does it later (with its own retries);
 * should queueing fail too, this job fails, and its retry finds the article
 * stored and queues it (`wiresift reconcile` is the net under both).
 */
async function clusterNowOrLater(
  ctx: PipelineContext,
  record: Omit<ArticleRecord, 'cluster'>,
  body: string,
): Promise<Pick<ArticleJobResult, 'clustered' | 'dedupQueued'>> {
  try {
    return { clustered: await placeArticle(ctx, record.id, record, body) };
  } catch (err) {
    // A Redis fault is told once per episode, by whatever fails next (the queueing, most likely).
    if (!infraCause(err))
      ctx.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'dedup step failed; queued on dedup',
      );
    await enqueueDedup(ctx, record.id);
    return { dedupQueued: true };
  }
}

/** An article stored ok before this job: only make sure its dedup job exists. */
async function alreadyStored(
  ctx: PipelineContext,
  articleId: string,
  source: ArticleSource,
): Promise<ArticleJobResult> {
  await enqueueDedup(ctx, articleId);
  return { status: 'ok', source, skipped: true };
}

async function enqueueDedup(ctx: PipelineContext, articleId: string): Promise<void> {
  await ctx.queues.dedup.add('dedup', { articleId }, { jobId: articleJobId(articleId) });
}
