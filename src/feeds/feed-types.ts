/** How an item becomes an article: its page is fetched, its feed text stands for it, or it is left out. */
export type Ingest = 'page' | 'feed' | 'skip';

export type FeedItem = {
  /** Plain text, entities decoded once. */
  title: string;
  /** Absolute http(s), resolved against xml:base, the item's base and the feed URL; null when none is usable. */
  link: string | null;
  /** guid, Atom id, rdf:about or JSON Feed id; the link when the feed gives neither; null when there is neither. */
  guid: string | null;
  /** ISO 8601 UTC. */
  published: string | null;
  /** content:encoded, Atom or JSON Feed content, as HTML. */
  contentHtml: string | null;
  summary: string | null;
  author: string | null;
  ingest: Ingest;
  /** Why an item is not read from its page (always given for 'feed' and 'skip'). */
  reason?: string;
};

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json' | 'sitemap' | 'cdf';

export type ParsedFeed = {
  title: string;
  link: string | null;
  /** Every item, in document order, skipped ones included. */
  items: FeedItem[];
  format: FeedFormat;
  /** What the document says it is: "rss 2.0", "atom 0.3", "json feed 1.1"… */
  version: string;
  /** WebSub hubs the feed names (`<link rel="hub">`, JSON Feed hubs). */
  hubs: string[];
  /** The URL the feed says it lives at (`rel="self"`, JSON Feed feed_url): the WebSub topic. */
  self?: string;
  /** A sitemap index lists sitemaps, not articles: the loader follows these. */
  sitemaps?: string[];
};

export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(`feeds: ${message}`, options);
  }
}
