import iconv from 'iconv-lite';
import { decodeBytes } from '../charset/charset.js';
import { FeedParseError, isFeedRoot, looksLikeJson, type ParsedFeed, parseFeed } from './parse-feed.js';
import { findRootElement, localName } from './xml-scan.js';

function looksLikeHtml(contentType: string | undefined, text: string): boolean {
  const root = findRootElement(text);
  // Some servers label real feeds text/html; the root element decides.
  if (contentType && /^\s*text\/html/i.test(contentType)) return !(root && isFeedRoot(localName(root.name)));
  return root?.doctype?.toLowerCase() === 'html' || (root !== null && localName(root.name) === 'html');
}

export type DecodeOptions = {
  /** A charset to read the bytes in, whatever they declare (a feed setting, for sites that declare the wrong one). */
  charset?: string;
};

function decode(body: Uint8Array, contentType: string | undefined, opts: DecodeOptions): string {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (opts.charset) {
    if (!iconv.encodingExists(opts.charset))
      throw new FeedParseError(`unknown charset ${JSON.stringify(opts.charset)} (feed setting charset)`);
    return iconv.decode(buf, opts.charset).replace(/^\uFEFF/, '');
  }
  return decodeBytes(buf, { kind: 'xml', ...(contentType ? { contentType } : {}) }).text;
}

/** Bytes as served → decoded text → parsed feed, against the URL the feed actually lives at. */
export async function feedFromBytes(
  body: Uint8Array,
  contentType: string | undefined,
  url: string,
  opts: DecodeOptions = {},
): Promise<ParsedFeed> {
  const text = decode(body, contentType, opts).replace(/^\uFEFF/, '');
  if (!looksLikeJson(text, contentType) && looksLikeHtml(contentType, text)) {
    throw new FeedParseError('this resource is an HTML page, not a feed');
  }
  return parseFeed(text, url, contentType);
}
