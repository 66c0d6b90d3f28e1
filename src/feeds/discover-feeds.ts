import type { FetchOptions } from '../net/fetch.js';
import {
  type FeedFetcher,
  type FeedParsing,
  fetchAndParseFeed,
  type LoadedFeed,
} from './fetch-and-parse-feed.js';
import { attributesOf, nameAt, startTagEnd } from './xml-scan.js';

/**
 * From a site or article page to its feed, as readers do it: the page's
 * `<link rel="alternate">` of a feed type first (the publisher's own
 * answer), then the paths most sites serve one at. Every candidate is read
 * through the worker's own fetch and parse, so what is picked is a feed the
 * worker can read.
 */

export type DiscoveredFeed = {
  /** The feed picked. */
  url: string;
  /** given: the URL was a feed; link: a <link rel="alternate"> of the page; path: a common path of the site. */
  how: 'given' | 'link' | 'path';
  /** Every URL tried, in order, with why the ones before the pick were passed over. */
  tried: Array<{ url: string; error?: string }>;
  loaded: LoadedFeed;
};

const FEED_TYPES =
  /^\s*application\/(?:rss\+xml|atom\+xml|rdf\+xml|feed\+json|json|xml)\s*(?:;|$)|^\s*text\/xml\s*(?:;|$)/i;

/** Where feeds usually are, in the order they are tried. */
export const COMMON_FEED_PATHS = [
  '/feed',
  '/rss',
  '/rss.xml',
  '/feed.xml',
  '/atom.xml',
  '/index.xml',
  '/feed.json',
  '/feeds/posts/default',
  '/?feed=rss2',
];

/** A page's head is enough: links past this many characters are not looked for. */
const HEAD_SCAN_CHARS = 512 * 1024;
const MAX_LINK_CANDIDATES = 5;

function decodeAttr(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The feed links a page announces, resolved against its <base href> and
 * URL, in document order. One forward scan over the tags (a hostile page
 * costs linear time); markup beyond HEAD_SCAN_CHARS is not read.
 */
export function feedLinksOf(html: string, pageUrl: string): string[] {
  const text = html.slice(0, HEAD_SCAN_CHARS);
  let base = pageUrl;
  const links: string[] = [];
  for (let lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
    const name = nameAt(text, lt + 1)?.toLowerCase();
    if (name !== 'link' && name !== 'base') continue;
    const end = startTagEnd(text, lt);
    if (end < 0) break;
    const attrs = new Map(
      attributesOf(text.slice(lt, end + 1)).map((a) => [a.name.toLowerCase(), decodeAttr(a.value)]),
    );
    const href = attrs.get('href')?.trim();
    if (!href) continue;
    if (name === 'base') {
      if (URL.canParse(href, pageUrl)) base = new URL(href, pageUrl).href;
      continue;
    }
    const rels = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
    if (!rels.includes('alternate') || !FEED_TYPES.test(attrs.get('type') ?? '')) continue;
    if (!URL.canParse(href, base)) continue;
    const url = new URL(href, base);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !links.includes(url.href))
      links.push(url.href);
  }
  return links;
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * `url` itself when it is a feed; else the first candidate that reads as
 * one. Throws with every attempt's reason when none does.
 */
export async function discoverFeed(
  url: string,
  opts: FetchOptions,
  fetcher: FeedFetcher,
  parsing: FeedParsing,
): Promise<DiscoveredFeed> {
  const tried: DiscoveredFeed['tried'] = [];
  let page: { body: string; url: string } | undefined;
  // The page is fetched once: the worker's path decides whether it is a feed, and keeps its bytes if not.
  const keepingPage: FeedFetcher = async (u, o) => {
    const res = await fetcher(u, o);
    page = { body: res.body.subarray(0, HEAD_SCAN_CHARS * 4).toString('latin1'), url: res.url };
    return res;
  };
  try {
    return {
      url,
      how: 'given',
      tried: [{ url }],
      loaded: await fetchAndParseFeed(url, opts, keepingPage, parsing),
    };
  } catch (err) {
    tried.push({ url, error: reasonOf(err) });
    if (!page || !/HTML page, not a feed/.test(reasonOf(err))) throw err;
  }
  const fromPage = page as { body: string; url: string };
  const candidates: Array<[string, DiscoveredFeed['how']]> = [
    ...feedLinksOf(fromPage.body, fromPage.url)
      .slice(0, MAX_LINK_CANDIDATES)
      .map((u): [string, 'link'] => [u, 'link']),
    ...COMMON_FEED_PATHS.map((p): [string, 'path'] => [new URL(p, fromPage.url).href, 'path']),
  ];
  for (const [candidate, how] of candidates) {
    if (tried.some((t) => t.url === candidate)) continue;
    try {
      const loaded = await fetchAndParseFeed(candidate, opts, fetcher, parsing);
      tried.push({ url: candidate });
      return { url: candidate, how, tried, loaded };
    } catch (err) {
      tried.push({ url: candidate, error: reasonOf(err) });
    }
  }
  throw new DiscoveryError(url, tried);
}

export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
  constructor(
    readonly url: string,
    readonly tried: DiscoveredFeed['tried'],
  ) {
    super(
      `feeds: ${url} is an HTML page and no feed was found: no <link rel="alternate"> of a feed type led to one, nor ${COMMON_FEED_PATHS.length} common paths (tried ${tried.length} URLs)`,
    );
  }
}
