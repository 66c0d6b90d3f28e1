import { firstDate } from './feed-dates.js';
import { nonEmpty } from './feed-item.js';
import { collapseSpace, untypedText } from './feed-text.js';
import { allChildren, firstChild, innerHtml, NS, textOf, type XmlElement } from './xml-tree.js';

/**
 * The namespaced elements every XML format may carry, read the same way in
 * each: Dublin Core, content:encoded, Media RSS, XHTML bodies. A format module
 * asks these when its own element is missing.
 */

const MODULE_NAMESPACES = new Set<string>([
  NS.dc,
  NS.dcterms,
  NS.content,
  NS.media,
  NS.xhtml,
  NS.rdf,
  NS.atom10,
  NS.atom03,
]);

/** An element of the format itself: no namespace, or one that is not an extension's. */
export function isCore(el: XmlElement): boolean {
  return !MODULE_NAMESPACES.has(el.ns);
}

export function coreChild(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find(
    (c): c is XmlElement => typeof c !== 'string' && isCore(c) && c.local.toLowerCase() === local,
  );
}

export function coreChildren(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter(
    (c): c is XmlElement => typeof c !== 'string' && isCore(c) && c.local.toLowerCase() === local,
  );
}

/** media:title directly, or inside media:group / media:content. */
function mediaTitle(el: XmlElement): string | null {
  const direct = nonEmpty(textOf(firstChild(el, [NS.media], 'title')));
  if (direct) return direct;
  for (const holder of [...allChildren(el, [NS.media], 'group'), ...allChildren(el, [NS.media], 'content')]) {
    const t = nonEmpty(textOf(firstChild(holder, [NS.media], 'title')));
    if (t) return t;
  }
  return null;
}

/** The title an extension gives when the format's own is missing or empty: dc:title, then media:title. */
export function fallbackTitle(el: XmlElement): string {
  const t = nonEmpty(textOf(firstChild(el, [NS.dc, NS.dcterms], 'title'))) ?? mediaTitle(el);
  return t ? untypedText(t) : '';
}

export function fallbackDate(el: XmlElement): string | null {
  return firstDate(
    textOf(firstChild(el, [NS.dc], 'date')),
    textOf(firstChild(el, [NS.dcterms], 'issued')),
    textOf(firstChild(el, [NS.dcterms], 'created')),
    textOf(firstChild(el, [NS.dcterms], 'modified')),
  );
}

export function fallbackAuthor(el: XmlElement): string | null {
  const creator = nonEmpty(textOf(firstChild(el, [NS.dc], 'creator')));
  return creator ? collapseSpace(creator) : null;
}

/** content:encoded, then an XHTML body (RSS 2.0 with xhtml:body), as HTML. */
export function extensionContent(el: XmlElement): string | null {
  const encoded = nonEmpty(textOf(firstChild(el, [NS.content], 'encoded')));
  if (encoded) return encoded;
  const body = firstChild(el, [NS.xhtml], 'body') ?? firstChild(el, [NS.xhtml], 'div');
  return body ? nonEmpty(innerHtml(body)) : null;
}

export function fallbackSummary(el: XmlElement): string | null {
  return (
    nonEmpty(textOf(firstChild(el, [NS.dc], 'description'))) ??
    nonEmpty(textOf(firstChild(el, [NS.media], 'description')))
  );
}

/** Atom links inside another format (RSS 2.0 channels and items carry atom:link). */
export function atomLinks(el: XmlElement): XmlElement[] {
  return allChildren(el, [NS.atom10, NS.atom03], 'link');
}

/** Link relations that never point at the article itself (Atom links, in Atom and in RSS). */
export const NON_ARTICLE_RELS = new Set([
  'self',
  'edit',
  'enclosure',
  'replies',
  'related',
  'via',
  'license',
  'hub',
]);

/** An RSS or RDF title: the format's own untyped <title>, else an extension's. */
export function untypedTitle(el: XmlElement): string {
  const own = nonEmpty(textOf(coreChild(el, 'title')));
  return own ? untypedText(own) : fallbackTitle(el);
}
