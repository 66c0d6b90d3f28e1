import { maxAgeSeconds } from '../net/cache-control.js';
import { type FetchOptions, type FetchResponse, safeFetch } from '../net/fetch.js';
import { type CappedFeed, type FeedParsePool, sharedFeedParsePool } from './parse-pool.js';

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

/** Where the bytes are parsed (the process-wide pool by default) and how many items one poll keeps. */
export type FeedParsing = { pool?: FeedParsePool; maxItems?: number };

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/**
 * Feeds are served under every XML type, as text/*, and by misconfigured
 * servers as octet-stream or HTML; only types that cannot be a feed are refused
 * before download (images, PDF, audio, video, JSON, archives).
 */
export const FEED_CONTENT_TYPES =
  /^\s*(?:text\/[\w.+-]+|application\/(?:[\w.+-]*xml|[\w.+-]*\+xml|rss|atom|rdf|octet-stream))\s*(?:;|$)/i;

/**
 * The feed worker's fetch: conditional GET through the SSRF-guarded client,
 * charset decoding, then parsing against the final URL (relative links in a
 * redirected feed are relative to where it actually lives).
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
  const pool = parsing.pool ?? sharedFeedParsePool();
  const feed = await pool.parse(
    res.body,
    res.contentType,
    res.url,
    parsing.maxItems === undefined ? {} : { maxItems: parsing.maxItems },
  );
  return { notModified: false, feed, finalUrl: res.url, ...validators };
}
