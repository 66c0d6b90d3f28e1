import { firstDate } from './feed-dates.js';
import { fallbackAuthor, fallbackDate, fallbackTitle, NON_ARTICLE_RELS } from './feed-extensions.js';
import { decideIngest, type ItemDraft, nonEmpty, resolvedUrl, resolveLink } from './feed-item.js';
import { collapseSpace, escapeHtml, htmlToText } from './feed-text.js';
import type { ParsedFeed } from './feed-types.js';
import { attr, childElements, innerHtml, textOf, type XmlElement } from './xml-tree.js';

/**
 * Atom 1.0 (RFC 4287) and Atom 0.3. Both name their elements alike; they
 * differ in text constructs (1.0: type text | html | xhtml; 0.3: a MIME type
 * and a mode, xml | escaped | base64) and dates (0.3: issued, modified,
 * created).
 */

type Construct = { html: string } | { text: string };

const MAX_BASE64_CHARS = 4 * 1024 * 1024;

function atomChild(el: XmlElement, local: string, atomNs: string): XmlElement | undefined {
  return el.children.find(
    (c): c is XmlElement => typeof c !== 'string' && c.local === local && c.ns === atomNs,
  );
}

function atomChildren(el: XmlElement, local: string, atomNs: string): XmlElement[] {
  return el.children.filter(
    (c): c is XmlElement => typeof c !== 'string' && c.local === local && c.ns === atomNs,
  );
}

/** Inline XHTML: the children of the wrapping xhtml:div the spec asks for, or all of them. */
function xhtmlOf(el: XmlElement): string {
  const elements = childElements(el);
  const onlyDiv =
    elements.length === 1 &&
    elements[0]?.local.toLowerCase() === 'div' &&
    el.children.every((c) => typeof c !== 'string' || c.trim() === '');
  return (onlyDiv ? innerHtml(elements[0] as XmlElement) : innerHtml(el)).trim();
}

function decodeBase64(text: string): string {
  const compact = text.replace(/\s+/g, '');
  if (compact.length > MAX_BASE64_CHARS) return '';
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** A text construct, as the spec of its version reads it. */
function construct(el: XmlElement, v03: boolean): Construct {
  const type = (attr(el, 'type') ?? '').trim().toLowerCase();
  if (v03) {
    const mode = (attr(el, 'mode') ?? 'xml').trim().toLowerCase();
    const isHtml = type.includes('html');
    if (mode === 'base64') {
      const decoded = decodeBase64(textOf(el));
      return isHtml ? { html: decoded } : { text: decoded };
    }
    if (mode === 'escaped') return isHtml ? { html: textOf(el) } : { text: textOf(el) };
    if (type.includes('xhtml') || (isHtml && childElements(el).length > 0)) return { html: xhtmlOf(el) };
    return isHtml ? { html: textOf(el) } : { text: textOf(el) };
  }
  if (type === 'xhtml' || type === 'application/xhtml+xml') return { html: xhtmlOf(el) };
  if (type === 'html' || type === 'text/html') return { html: textOf(el) };
  return { text: textOf(el) };
}

function constructText(el: XmlElement | undefined, v03: boolean): string {
  if (!el) return '';
  const c = construct(el, v03);
  return 'html' in c ? htmlToText(c.html) : collapseSpace(c.text);
}

function constructHtml(el: XmlElement | undefined, v03: boolean): string | null {
  if (!el) return null;
  // Out-of-line content (src=…) has nothing inline to read.
  if (attr(el, 'src') !== undefined && textOf(el).trim() === '') return null;
  const c = construct(el, v03);
  return nonEmpty('html' in c ? c.html : c.text.trim() ? escapeHtml(c.text.trim()) : '');
}

const IANA_RELATIONS = 'http://www.iana.org/assignments/relation/';

/** A link's relation; a missing one means alternate, and the IANA IRI form names the same relations (RFC 4287 §4.2.7.2). */
function rel(l: XmlElement): string {
  const value = (attr(l, 'rel') ?? 'alternate').trim().toLowerCase();
  return value.startsWith(IANA_RELATIONS) ? value.slice(IANA_RELATIONS.length) : value;
}

/** The alternate link (a missing rel means alternate), an HTML one first; else any link that may be the article. */
function entryLink(entry: XmlElement, atomNs: string): { link: string | null; problem?: string } {
  const links = atomChildren(entry, 'link', atomNs);
  const alternates = links.filter((l) => rel(l) === 'alternate');
  const html = alternates.filter((l) => (attr(l, 'type') ?? 'text/html').toLowerCase().includes('html'));
  const others = links.filter((l) => rel(l) !== 'alternate' && !NON_ARTICLE_RELS.has(rel(l)));
  let problem: string | undefined;
  for (const l of [...html, ...alternates, ...others]) {
    const r = resolveLink(attr(l, 'href'), l.base);
    if (r && 'url' in r) return { link: r.url };
    problem ??= r?.problem;
  }
  return problem ? { link: null, problem } : { link: null };
}

function authorOf(el: XmlElement, atomNs: string): string | null {
  const author = atomChild(el, 'author', atomNs);
  const name = author && nonEmpty(textOf(atomChild(author, 'name', atomNs)));
  return name ? collapseSpace(name) : null;
}

function draft(entry: XmlElement, atomNs: string, v03: boolean, feedAuthor: string | null): ItemDraft {
  const { link, problem } = entryLink(entry, atomNs);
  const date = (local: string) => textOf(atomChild(entry, local, atomNs));
  return {
    title: constructText(atomChild(entry, 'title', atomNs), v03) || fallbackTitle(entry),
    link,
    ...(problem ? { linkProblem: problem } : {}),
    guid: nonEmpty(textOf(atomChild(entry, 'id', atomNs))),
    published:
      firstDate(date('published'), date('issued'), date('updated'), date('modified'), date('created')) ??
      fallbackDate(entry),
    contentHtml: constructHtml(atomChild(entry, 'content', atomNs), v03),
    summary: constructHtml(atomChild(entry, 'summary', atomNs), v03),
    author: authorOf(entry, atomNs) ?? fallbackAuthor(entry) ?? feedAuthor,
  };
}

export function parseAtom(root: XmlElement): ParsedFeed {
  const atomNs = root.ns;
  const v03 = attr(root, 'version')?.trim() === '0.3' || atomNs === 'http://purl.org/atom/ns#';
  const links = atomChildren(root, 'link', atomNs);
  const alternate = links.find((l) => rel(l) === 'alternate');
  const feedAuthor = authorOf(root, atomNs);
  const selfLink = links.find((l) => rel(l) === 'self');
  const self = selfLink ? resolvedUrl(attr(selfLink, 'href'), selfLink.base) : null;
  return {
    ...(self ? { self } : {}),
    title: constructText(atomChild(root, 'title', atomNs), v03) || fallbackTitle(root),
    link: alternate ? resolvedUrl(attr(alternate, 'href'), alternate.base) : null,
    items: decideIngest(atomChildren(root, 'entry', atomNs).map((e) => draft(e, atomNs, v03, feedAuthor))),
    format: 'atom',
    version: v03 ? 'atom 0.3' : 'atom 1.0',
    hubs: links
      .filter((l) => rel(l) === 'hub')
      .map((l) => resolvedUrl(attr(l, 'href'), l.base))
      .filter((u): u is string => u !== null),
  };
}
