import { decodeBytes } from '../net/charset.js';
import { FeedParseError, type ParsedFeed, parseFeed } from './parse-feed.js';

function looksLikeHtml(contentType: string | undefined, text: string): boolean {
  if (contentType && /^\s*text\/html/i.test(contentType)) {
    // Some servers label real feeds text/html; the root element decides.
    return !/^\s*(?:<\?xml[\s\S]*?\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?(?:rss|feed|RDF)\b/.test(text);
  }
  return /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!DOCTYPE\s+html|html[\s>])/i.test(text);
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
