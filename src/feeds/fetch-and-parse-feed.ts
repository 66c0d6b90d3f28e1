import { infraCause } from '../infra-errors/infra-errors.js';
import { maxAgeSeconds } from '../net/cache-control.js';
import { type FetchOptions, type FetchResponse, safeFetch } from '../net/fetch.js';
import { HostBusyError } from '../net/host-politeness.js';
import { type FeedItem, FeedParseError } from './feed-types.js';
import { type CappedFeed, type FeedParsePool, sharedFeedParsePool } from './parse-pool.js';
import type { ParseOptions } from './parse-request.js';

export type LoadedFeed = {
  notModified: boolean;
  feed: CappedFeed | null;
  etag?: string;
  lastModified?: string;
  /** Cache-Control max-age of the response (200 or 304), when it gave one. */
  maxAgeSeconds?: number;
  finalUrl: string;
};

/** How the bytes are got: safeFetch by default, the worker's politeness gate in the pipeline. */
export type FeedFetcher = (url: string, opts: FetchOptions) => Promise<FetchResponse>;

/** Where the bytes are parsed (the process-wide pool by default), how many items one poll keeps, the feed's settings. */
export type FeedParsing = ParseOptions & { pool?: FeedParsePool };

export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

/**
 * Feeds are served under every XML type, as text/*, JSON Feed as
 * application/(feed+)json, and by misconfigured servers as octet-stream or
 * HTML; only types that cannot be a feed are refused before download
 * (images, PDF, audio, video, archives).
 */
export const FEED_CONTENT_TYPES =
  /^\s*(?:text\/[\w.+-]+|application\/(?:[\w.+-]*xml|[\w.+-]*\+xml|rss|atom|rdf|json|feed\+json|octet-stream))\s*(?:;|$)/i;

/** Sitemaps of an index read per poll at most: an index of 50,000 sitemaps is not 50,000 fetches. */
export const MAX_SITEMAPS_PER_INDEX = 5;

/**
 * The feed worker's fetch: conditional GET through the SSRF-guarded client,
 * charset decoding, then parsing against the final URL (relative links in a
 * redirected feed are relative to where it actually lives). A sitemap index
 * is followed one level down: its first MAX_SITEMAPS_PER_INDEX sitemaps
 * (news ones first), read like the index, their items together.
 */
export async function fetchAndParseFeed(
  url: string,
  opts: FetchOptions,
  fetcher: FeedFetcher = safeFetch,
  parsing: FeedParsing = {},
): Promise<LoadedFeed> {
  const res = await fetcher(url, {
    ...opts,
    accept: opts.accept ?? FEED_ACCEPT,
    allowedContentTypes: opts.allowedContentTypes ?? FEED_CONTENT_TYPES,
  });
  const validators: { etag?: string; lastModified?: string; maxAgeSeconds?: number } = {
    ...(res.etag ? { etag: res.etag } : {}),
    ...(res.lastModified ? { lastModified: res.lastModified } : {}),
  };
  const maxAge = maxAgeSeconds(res.headers['cache-control']);
  if (maxAge !== undefined) validators.maxAgeSeconds = maxAge;
  if (res.notModified) return { notModified: true, feed: null, finalUrl: res.url, ...validators };
  const { pool: given, ...options } = parsing;
  const pool = given ?? sharedFeedParsePool();
  const feed = await pool.parse(res.body, res.contentType, res.url, options);
  if (feed.sitemaps?.length) {
    const { etag: _e, lastModified: _l, ...plain } = opts;
    feed.items = await readSitemaps(feed.sitemaps, plain, fetcher, pool, options);
  }
  return { notModified: false, feed, finalUrl: res.url, ...validators };
}

async function readSitemaps(
  urls: string[],
  opts: FetchOptions,
  fetcher: FeedFetcher,
  pool: FeedParsePool,
  options: ParseOptions,
): Promise<FeedItem[]> {
  const ranked = [...urls.filter((u) => /news/i.test(u)), ...urls.filter((u) => !/news/i.test(u))];
  const items: FeedItem[] = [];
  const failures: unknown[] = [];
  const chosen = ranked.slice(0, MAX_SITEMAPS_PER_INDEX);
  for (const url of chosen) {
    try {
      const res = await fetcher(url, {
        ...opts,
        accept: 'application/xml, text/xml;q=0.9, */*;q=0.5',
        allowedContentTypes: FEED_CONTENT_TYPES,
      });
      const child = await pool.parse(res.body, res.contentType, res.url, options);
      // One level only: an index inside an index is not followed.
      items.push(...child.items);
    } catch (err) {
      // Waiting for a host slot, or Redis refusing writes, is not the sitemap's fault: the poll is delayed.
      if (err instanceof HostBusyError || infraCause(err)) throw err;
      failures.push(err);
    }
  }
  // One broken sitemap does not hide the others; an index whose every sitemap fails does fail.
  if (failures.length > 0 && failures.length === chosen.length) {
    const first = failures[0];
    const reason = first instanceof Error ? first.message : String(first);
    throw new FeedParseError(`every sitemap of the index failed (${failures.length}), the first: ${reason}`, {
      cause: first,
    });
  }
  const max = options.maxItems;
  return max === undefined ? items : items.slice(0, max);
}
