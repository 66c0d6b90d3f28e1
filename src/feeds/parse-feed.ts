import * as cheerio from 'cheerio/slim';
import Parser from 'rss-parser';
import { blankInvalidAtomDates, repairEntities, stripDoctype, xhtmlToHtmlConstructs } from './xml-repair.js';
import { attributesOf, findRootElement, localName, type RootElement, startTagEnd } from './xml-scan.js';

export type FeedItem = {
  title: string;
  /** Absolute, resolved against xml:base, the item's base and the feed URL. */
  link: string;
  /** guid or Atom id; the link when the feed gives neither. */
  guid: string;
  /** ISO 8601 UTC. */
  published: string | null;
  /** content:encoded or Atom content. */
  contentHtml: string | null;
  summary: string | null;
  author: string | null;
};

export type ParsedFeed = {
  title: string;
  link: string | null;
  items: FeedItem[];
  format: 'rss' | 'atom' | 'rdf';
};

export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(`feeds: ${message}`, options);
  }
}

/** xml2js nodes: text, or an object whose `_` is the text and `$` the attributes. */
type XmlNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown };

type RawItem = {
  title?: unknown;
  link?: string;
  guid?: unknown;
  id?: string;
  'rdf:about'?: string;
  isoDate?: string;
  content?: string;
  summary?: string;
  'content:encoded'?: string;
  creator?: unknown;
  author?: unknown;
  xmlAttrs?: Record<string, string>;
  rawLinks?: XmlNode[];
  rawGuid?: XmlNode[];
  rawContent?: XmlNode[];
};

const ITEM_FIELDS: [string, string, { keepArray: boolean }][] = [
  ['$', 'xmlAttrs', { keepArray: true }],
  ['link', 'rawLinks', { keepArray: true }],
  ['guid', 'rawGuid', { keepArray: true }],
  ['content', 'rawContent', { keepArray: true }],
];

function detectFormat(root: RootElement | null): ParsedFeed['format'] {
  if (!root) throw new FeedParseError('no root element found, not an XML feed');
  const local = localName(root.name);
  if (local === 'rss') return 'rss';
  if (local === 'feed') return 'atom';
  if (local === 'rdf') return 'rdf';
  if (local === 'html' || root.doctype?.toLowerCase() === 'html') {
    throw new FeedParseError('this resource is an HTML page, not a feed');
  }
  throw new FeedParseError(`root element <${root.name}> is not RSS, Atom or RDF`);
}

function decodeXmlAttr(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function rootXmlBase(xml: string, root: RootElement): string | undefined {
  const end = startTagEnd(xml, root.start);
  if (end < 0) return undefined;
  const base = attributesOf(xml.slice(root.start, end + 1)).find((a) => a.name === 'xml:base')?.value;
  return base ? decodeXmlAttr(base) : undefined;
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object') {
    const n = node as Record<string, unknown>;
    if (typeof n._ === 'string') return n._;
    return Object.keys(n)
      .filter((k) => k !== '$')
      .map((k) => textOf(n[k]))
      .join(' ');
  }
  return '';
}

/**
 * Markup removed by one forward scan, text kept: a DOM built for this
 * overflowed the stack on a title nested 10,000 tags deep, failing the feed.
 * Only a `<` that opens a tag (letter, `/`, `!`, `?`) starts markup.
 */
function stripTags(html: string): string {
  const out: string[] = [];
  let noMoreClose = false;
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    let end = -1;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      end = close < 0 ? html.length : close + 3;
    } else if (!noMoreClose && /[A-Za-z/!?]/.test(html.charAt(lt + 1))) {
      const close = html.indexOf('>', lt + 1);
      noMoreClose = close < 0;
      end = close + 1;
    }
    if (end <= 0) {
      out.push(html.slice(i, lt + 1));
      i = lt + 1;
      continue;
    }
    out.push(html.slice(i, lt));
    i = end;
  }
  out.push(html.slice(i));
  return out.join('');
}

/** Titles are often HTML, sometimes double-escaped: reduce them to plain text. */
function plainText(value: unknown): string {
  const raw = textOf(value);
  const stripped = raw.includes('<') ? stripTags(raw) : raw;
  // What is left is text: cheerio only decodes its entities (a flat text node, however long).
  const text = stripped.includes('&')
    ? cheerio.load(stripped.replace(/</g, '&lt;'), null, false).text()
    : stripped;
  return text.replace(/\s+/g, ' ').trim();
}

function nonEmpty(value: unknown): string | null {
  const s = typeof value === 'string' ? value.trim() : textOf(value).trim();
  return s === '' ? null : s;
}

function resolveUrl(href: string | undefined, base: string): string | null {
  if (!href?.trim()) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function withBase(attrs: Record<string, string> | undefined, base: string): string {
  const declared = attrs?.['xml:base'];
  return (declared && resolveUrl(declared, base)) || base;
}

const NON_ARTICLE_RELS = new Set(['self', 'edit', 'enclosure', 'replies', 'related', 'via', 'license']);

function itemLink(raw: RawItem, base: string): string | null {
  const links = raw.rawLinks ?? [];
  for (const node of links) {
    if (typeof node === 'string') {
      const url = resolveUrl(node, base);
      if (url) return url;
      continue;
    }
    const attrs = node.$;
    if (attrs?.href !== undefined) {
      // Atom: the article is the alternate link (a missing rel means alternate).
      if (attrs.rel && NON_ARTICLE_RELS.has(attrs.rel)) continue;
      const url = resolveUrl(attrs.href, withBase(attrs, base));
      if (url) return url;
    } else if (typeof node._ === 'string') {
      const url = resolveUrl(node._, withBase(attrs, base));
      if (url) return url;
    }
  }
  // RSS lets a permalink guid stand in for the link.
  const guid = raw.rawGuid?.[0];
  if (guid !== undefined) {
    const isPermaLink = typeof guid === 'string' || guid.$?.isPermaLink?.toLowerCase() !== 'false';
    if (isPermaLink) {
      const url = resolveUrl(textOf(guid), base);
      if (url && /^https?:\/\//i.test(textOf(guid).trim())) return url;
    }
  }
  const about = raw['rdf:about'];
  return about ? resolveUrl(about, base) : null;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function itemContentHtml(raw: RawItem, format: ParsedFeed['format']): string | null {
  if (format !== 'atom') return nonEmpty(raw['content:encoded']);
  const node = raw.rawContent?.[0];
  const type = typeof node === 'object' ? node.$?.type?.toLowerCase() : undefined;
  const content = nonEmpty(raw.content);
  if (content === null) return null;
  return type === undefined || type === 'text' ? escapeHtml(content) : content;
}

function toFeedItem(raw: RawItem, base: string, format: ParsedFeed['format']): FeedItem | null {
  const itemBase = withBase(raw.xmlAttrs, base);
  const link = itemLink(raw, itemBase);
  if (!link) return null;
  const guid = nonEmpty(raw.guid) ?? nonEmpty(raw.id) ?? nonEmpty(raw['rdf:about']) ?? link;
  return {
    title: plainText(raw.title),
    link,
    guid,
    published: raw.isoDate ?? null,
    contentHtml: itemContentHtml(raw, format),
    summary: format === 'atom' ? nonEmpty(raw.summary) : nonEmpty(raw.content),
    author: nonEmpty(raw.creator) ?? nonEmpty(raw.author),
  };
}

async function parseWithRepairs(xml: string): Promise<Parser.Output<RawItem>> {
  const parser = () =>
    new Parser<Record<string, unknown>, RawItem>({ defaultRSS: 2, customFields: { item: ITEM_FIELDS } });
  const cleaned = xhtmlToHtmlConstructs(blankInvalidAtomDates(stripDoctype(xml.replace(/^\uFEFF/, ''))));
  try {
    return await parser().parseString(cleaned);
  } catch (firstError) {
    const malformed = () => {
      const reason = firstError instanceof Error ? firstError.message : String(firstError);
      return new FeedParseError(`malformed feed XML: ${reason.split('\n')[0]}`, { cause: firstError });
    };
    // Only repair when strict parsing fails: valid XML must come through untouched. A repair that
    // changes nothing would fail the same way, at the cost of a second parse.
    const repaired = repairEntities(cleaned);
    if (repaired === cleaned) throw malformed();
    try {
      return await parser().parseString(repaired);
    } catch {
      throw malformed();
    }
  }
}

/**
 * Parses an already-decoded feed document. Items without a usable link are
 * dropped; a guid repeated within the feed is kept once (first wins).
 */
export async function parseFeed(xml: string, feedUrl: string): Promise<ParsedFeed> {
  if (!URL.canParse(feedUrl)) throw new FeedParseError(`invalid feed URL ${JSON.stringify(feedUrl)}`);
  const root = findRootElement(xml);
  const format = detectFormat(root);
  const raw = await parseWithRepairs(xml);
  const base = withBase({ 'xml:base': (root && rootXmlBase(xml, root)) ?? '' }, feedUrl);
  const seen = new Set<string>();
  const items: FeedItem[] = [];
  for (const rawItem of raw.items ?? []) {
    const item = toFeedItem(rawItem, base, format);
    if (!item || seen.has(item.guid)) continue;
    seen.add(item.guid);
    items.push(item);
  }
  return {
    title: plainText(raw.title),
    link: resolveUrl(typeof raw.link === 'string' ? raw.link : undefined, base),
    items,
    format,
  };
}
