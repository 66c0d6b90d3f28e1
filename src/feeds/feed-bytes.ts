import { decodeBytes } from '../net/charset.js';
import { FeedParseError, type ParsedFeed, parseFeed } from './parse-feed.js';
import { findRootElement, localName } from './xml-scan.js';

const FEED_ROOTS = new Set(['rss', 'feed', 'rdf']);

function looksLikeHtml(contentType: string | undefined, text: string): boolean {
  const root = findRootElement(text);
  // Some servers label real feeds text/html; the root element decides.
  if (contentType && /^\s*text\/html/i.test(contentType))
    return !(root && FEED_ROOTS.has(localName(root.name)));
  return root?.doctype?.toLowerCase() === 'html' || (root !== null && localName(root.name) === 'html');
}

/** Bytes as served → decoded text → parsed feed, against the URL the feed actually lives at. */
export async function feedFromBytes(
  body: Uint8Array,
  contentType: string | undefined,
  url: string,
): Promise<ParsedFeed> {
  const { text } = decodeBytes(Buffer.from(body.buffer, body.byteOffset, body.byteLength), {
    kind: 'xml',
    ...(contentType ? { contentType } : {}),
  });
  if (looksLikeHtml(contentType, text.replace(/^\uFEFF/, ''))) {
    throw new FeedParseError('this resource is an HTML page, not a feed');
  }
  return parseFeed(text, url);
}
