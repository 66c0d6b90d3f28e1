import { readFile } from 'node:fs/promises';
import * as cheerio from 'cheerio/slim';

export type FeedRef = { url: string; title?: string };

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Reads the feeds out of an OPML export. Outlines nest (folders), so every
 * outline with an xmlUrl counts wherever it sits; the first of two equal URLs wins.
 */
export function parseOpml(xml: string): FeedRef[] {
  const text = xml.replace(/^\uFEFF/, '').trim();
  // htmlparser2 forgives anything; a truncated export must still fail loudly.
  if (!/<opml[\s>]/i.test(text)) throw new Error('feeds: not an OPML document (no <opml> element)');
  if (!/<\/opml\s*>\s*$/i.test(text)) throw new Error('feeds: malformed OPML (missing closing </opml>)');
  const $ = cheerio.load(text, { xml: true });
  if ($('opml > body').length === 0) throw new Error('feeds: malformed OPML (no <body>)');
  const feeds: FeedRef[] = [];
  const seen = new Set<string>();
  $('opml > body outline').each((_, el) => {
    const outline = $(el);
    const url = (outline.attr('xmlUrl') ?? outline.attr('xmlurl') ?? '').trim();
    if (!url) return;
    const title = (outline.attr('title') ?? outline.attr('text') ?? '').trim();
    if (!isHttpUrl(url)) {
      throw new Error(
        `feeds: OPML outline ${JSON.stringify(title || url)} has an invalid xmlUrl ${JSON.stringify(url)}`,
      );
    }
    if (seen.has(url)) return;
    seen.add(url);
    // toOpml writes the URL as the label of an untitled feed; do not read it back as a title.
    feeds.push(title && title !== url ? { url, title } : { url });
  });
  return feeds;
}

/**
 * A feed list is either OPML or plain text with one URL per line; `#` starts a
 * comment (at line start, or after whitespace so URL fragments survive).
 */
/** A line up to its comment: a `#` that opens the line or follows whitespace (one forward scan). */
function withoutComment(line: string): string {
  for (let i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1))
    if (i === 0 || /\s/.test(line[i - 1]!)) return line.slice(0, i);
  return line;
}

export function parseFeedList(text: string): FeedRef[] {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('<')) return parseOpml(body);
  const feeds: FeedRef[] = [];
  const seen = new Set<string>();
  body.split(/\r?\n/).forEach((line, index) => {
    const url = withoutComment(line).trim();
    if (!url) return;
    if (!isHttpUrl(url)) {
      throw new Error(`feeds: line ${index + 1}: not an http(s) URL: ${JSON.stringify(url)}`);
    }
    if (seen.has(url)) return;
    seen.add(url);
    feeds.push({ url });
  });
  return feeds;
}

export async function readFeedList(path: string): Promise<FeedRef[]> {
  const text = await readFile(path, 'utf8');
  try {
    return parseFeedList(text);
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/^feeds: /, '') : String(err);
    throw new Error(`feeds: ${path}: ${message}`, { cause: err });
  }
}

export function toOpml(feeds: FeedRef[], title: string): string {
  const outlines = feeds.map((feed) => {
    const label = escapeXml(feed.title ?? feed.url);
    return `    <outline type="rss" text="${label}" title="${label}" xmlUrl="${escapeXml(feed.url)}"/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(title)}</title>`,
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
