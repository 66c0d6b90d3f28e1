import { feedDate } from './feed-dates.js';
import { decideIngest, type ItemDraft, nonEmpty, resolvedUrl, resolveLink } from './feed-item.js';
import { collapseSpace, escapeHtml } from './feed-text.js';
import { FeedParseError, type ParsedFeed } from './feed-types.js';

/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). Every field is
 * read by type and a field of the wrong type counts as absent: a JSON Feed
 * is as untrusted as XML, and `"title": {"x": …}` or `"items": 5` must not
 * reach code that expects a string or an array. JSON.parse itself is
 * iterative in V8 (deep nesting costs time, not stack), and nothing here
 * walks into fields it does not know.
 */

const VERSION_PREFIX = /^https?:\/\/jsonfeed\.org\/version\/(\d+(?:\.\d+)?)\/?$/;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(obj: Json, key: string): string | null {
  const v = Object.hasOwn(obj, key) ? obj[key] : undefined;
  return typeof v === 'string' ? nonEmpty(v) : null;
}

/** The spec asks readers to coerce a non-string id to a string; only finite numbers have a faithful one. */
function idOf(obj: Json): string | null {
  const v = Object.hasOwn(obj, 'id') ? obj.id : undefined;
  if (typeof v === 'string') return nonEmpty(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function authorName(obj: Json): string | null {
  const authors = Object.hasOwn(obj, 'authors') ? obj.authors : undefined;
  if (Array.isArray(authors))
    for (const a of authors.slice(0, 50)) {
      const name = isObject(a) ? str(a, 'name') : null;
      if (name) return collapseSpace(name);
    }
  const author = Object.hasOwn(obj, 'author') ? obj.author : undefined;
  const name = isObject(author) ? str(author, 'name') : null;
  return name ? collapseSpace(name) : null;
}

function draft(raw: unknown, base: string, feedAuthor: string | null): ItemDraft | string {
  if (!isObject(raw))
    return `item is ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : `a ${typeof raw}`}, not an object`;
  const url = resolveLink(str(raw, 'url'), base);
  const external = resolveLink(str(raw, 'external_url'), base);
  const link = url && 'url' in url ? url.url : external && 'url' in external ? external.url : null;
  const problem = !link
    ? (url && 'problem' in url && url.problem) ||
      (external && 'problem' in external && external.problem) ||
      undefined
    : undefined;
  const text = str(raw, 'content_text');
  const summary = str(raw, 'summary');
  return {
    title: collapseSpace(str(raw, 'title') ?? ''),
    link,
    ...(problem ? { linkProblem: problem } : {}),
    guid: idOf(raw),
    published: feedDate(str(raw, 'date_published')) ?? feedDate(str(raw, 'date_modified')),
    contentHtml: str(raw, 'content_html') ?? (text ? escapeHtml(text) : null),
    summary: summary ? escapeHtml(summary) : null,
    author: authorName(raw) ?? feedAuthor,
  };
}

/** Whether a parsed JSON document is a JSON Feed: its version says so, or the server's type does and it has items. */
function versionOf(doc: Json, contentType: string | undefined): string {
  const version = str(doc, 'version');
  const m = version ? VERSION_PREFIX.exec(version) : null;
  if (m) return `json feed ${m[1]}`;
  const items = Object.hasOwn(doc, 'items') ? doc.items : undefined;
  if (/^\s*application\/feed\+json/i.test(contentType ?? '') && Array.isArray(items)) return 'json feed';
  throw new FeedParseError(
    version
      ? `JSON document with version ${JSON.stringify(version.slice(0, 100))} is not a JSON Feed`
      : 'JSON document is not a JSON Feed (no jsonfeed.org version)',
  );
}

/** Where JSON.parse gave up, without the quoted snippet of input V8 puts in its message (bytes of anything). */
function jsonErrorWhere(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at) return `not valid JSON at position ${at}`;
  if (/end of JSON input|Unterminated/i.test(message)) return 'not valid JSON: it ends too early';
  return 'not valid JSON';
}

export function parseJsonFeed(text: string, feedUrl: string, contentType?: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FeedParseError(`malformed JSON Feed: ${jsonErrorWhere(err)}`, { cause: err });
  }
  if (!isObject(doc))
    throw new FeedParseError(
      `JSON document is not a JSON Feed (top level is ${Array.isArray(doc) ? 'an array' : typeof doc})`,
    );
  const version = versionOf(doc, contentType);
  const items = Object.hasOwn(doc, 'items') ? doc.items : undefined;
  if (!Array.isArray(items)) throw new FeedParseError('JSON Feed has no items array');
  // Relative URLs are not allowed, but a careful reader resolves them against where the feed lives.
  const self = resolvedUrl(str(doc, 'feed_url'), feedUrl);
  const base = self ?? feedUrl;
  const feedAuthor = authorName(doc);
  const drafts: ItemDraft[] = [];
  const broken = new Map<number, string>();
  items.forEach((raw, i) => {
    const d = draft(raw, base, feedAuthor);
    if (typeof d === 'string') {
      broken.set(i, d);
      drafts.push({
        title: '',
        link: null,
        guid: null,
        published: null,
        contentHtml: null,
        summary: null,
        author: null,
      });
    } else drafts.push(d);
  });
  const decided = decideIngest(drafts).map((item, i) => {
    const reason = broken.get(i);
    return reason ? { ...item, ingest: 'skip' as const, reason } : item;
  });
  const hubs = Object.hasOwn(doc, 'hubs') ? doc.hubs : undefined;
  return {
    ...(self ? { self } : {}),
    title: collapseSpace(str(doc, 'title') ?? ''),
    link: resolvedUrl(str(doc, 'home_page_url'), feedUrl),
    items: decided,
    format: 'json',
    version,
    hubs: Array.isArray(hubs)
      ? hubs
          .slice(0, 10)
          .map((h) => (isObject(h) ? resolvedUrl(str(h, 'url'), feedUrl) : null))
          .filter((u): u is string => u !== null)
      : [],
  };
}
