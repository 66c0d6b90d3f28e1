import sax from 'sax';

/**
 * A feed document as a small, ordered element tree, built from sax events.
 * The format modules read this instead of a generic XML-to-object mapping:
 * text and child elements stay in document order (mixed content reads right),
 * namespaces are resolved (so `dc:title` is found under any prefix), and each
 * element carries the xml:base in scope, already resolved.
 *
 * The tree is bounded, because the document is not to be trusted: elements
 * deeper than MAX_DEPTH, or past MAX_ELEMENTS, are not kept as elements, only
 * their text is (added to the deepest element kept). Every walk over the tree
 * is then at most MAX_DEPTH deep, and a nesting bomb costs text, not objects.
 */

export type XmlChild = XmlElement | string;

export type XmlAttr = { name: string; local: string; ns: string; value: string };

export type XmlElement = {
  /** As written, prefix included. */
  name: string;
  local: string;
  /** The namespace URI, '' when the element has none. */
  ns: string;
  attrs: XmlAttr[];
  children: XmlChild[];
  /** The xml:base in scope for this element, resolved; '' when none is known. */
  base: string;
};

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export const NS = {
  atom10: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rss10: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  media: 'http://search.yahoo.com/mrss/',
  xhtml: 'http://www.w3.org/1999/xhtml',
  sitemap: 'http://www.sitemaps.org/schemas/sitemap/0.9',
  news: 'http://www.google.com/schemas/sitemap-news/0.9',
} as const;

/**
 * Prefixes feeds use without declaring them (`dc:creator` with no xmlns:dc is
 * common): bound to the namespace everyone means by them. A declared prefix
 * always wins.
 */
const CONVENTIONAL_PREFIXES: Record<string, string> = {
  dc: NS.dc,
  dcterms: NS.dcterms,
  content: NS.content,
  media: NS.media,
  atom: NS.atom10,
  a10: NS.atom10,
  rdf: NS.rdf,
  xhtml: NS.xhtml,
  news: NS.news,
};

const MAX_DEPTH = 64;
const MAX_ELEMENTS = 2_000_000;

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

function resolveBase(value: string, parent: string): string {
  try {
    return parent ? new URL(value, parent).href : new URL(value).href;
  } catch {
    return parent;
  }
}

type Scope = Map<string, string>;

function lookup(scopes: Scope[], prefix: string): string {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const uri = scopes[i]?.get(prefix);
    if (uri !== undefined) return uri;
  }
  if (prefix === 'xml') return XML_NS;
  return CONVENTIONAL_PREFIXES[prefix.toLowerCase()] ?? '';
}

function splitName(name: string): [string, string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

/**
 * Parses `xml` strictly (sax in strict mode, only XML's own entities): a
 * syntax error throws XmlSyntaxError with sax's first message line. `baseUrl`
 * is the base of the root element (the feed's own URL).
 */
export function parseXmlTree(xml: string, baseUrl: string): XmlElement {
  const parser = sax.parser(true, { trim: false, normalize: false, strictEntities: true });
  const stack: XmlElement[] = [];
  const scopes: Scope[] = [];
  let root: XmlElement | undefined;
  let elements = 0;
  // Elements open below the kept tree (too deep, or past the budget), closed by count.
  let flattened = 0;

  const addText = (text: string): void => {
    const parent = stack[stack.length - 1];
    if (!parent || text === '') return;
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string' && last.length < 4096)
      parent.children[parent.children.length - 1] = last + text;
    else parent.children.push(text);
  };

  parser.onerror = (err) => {
    throw new XmlSyntaxError(err.message.split('\n')[0] ?? 'malformed XML');
  };
  parser.onopentag = (tag) => {
    if (flattened > 0 || stack.length >= MAX_DEPTH || elements >= MAX_ELEMENTS) {
      flattened++;
      return;
    }
    elements++;
    const scope: Scope = new Map();
    const raw = Object.entries(tag.attributes);
    for (const [name, value] of raw) {
      if (name === 'xmlns') scope.set('', value);
      else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
    }
    scopes.push(scope);
    const attrs: XmlAttr[] = [];
    for (const [name, value] of raw) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const [prefix, local] = splitName(name);
      attrs.push({ name, local, ns: prefix ? lookup(scopes, prefix) : '', value });
    }
    const [prefix, local] = splitName(tag.name);
    const parent = stack[stack.length - 1];
    const parentBase = parent ? parent.base : baseUrl;
    const declaredBase = attrs.find((a) => a.ns === XML_NS && a.local === 'base')?.value;
    const el: XmlElement = {
      name: tag.name,
      local,
      ns: lookup(scopes, prefix),
      attrs,
      children: [],
      base: declaredBase?.trim() ? resolveBase(declaredBase.trim(), parentBase) : parentBase,
    };
    if (parent) parent.children.push(el);
    else root ??= el;
    stack.push(el);
  };
  parser.onclosetag = () => {
    if (flattened > 0) {
      flattened--;
      return;
    }
    stack.pop();
    scopes.pop();
  };
  parser.ontext = addText;
  parser.oncdata = addText;
  parser.write(xml).close();
  if (!root) throw new XmlSyntaxError('no root element');
  return root;
}

/** Whether `el` is `local` in one of `namespaces` (local names compare case-insensitively). */
export function isElement(el: XmlChild, namespaces: readonly string[], local: string): el is XmlElement {
  return typeof el !== 'string' && el.local.toLowerCase() === local && namespaces.includes(el.ns);
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}

export function firstChild(
  el: XmlElement,
  namespaces: readonly string[],
  local: string,
): XmlElement | undefined {
  return el.children.find((c): c is XmlElement => isElement(c, namespaces, local));
}

export function allChildren(el: XmlElement, namespaces: readonly string[], local: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => isElement(c, namespaces, local));
}

/** An attribute without a namespace prefix, by local name (case-insensitive). */
export function attr(el: XmlElement, local: string): string | undefined {
  const lower = local.toLowerCase();
  return el.attrs.find((a) => a.ns === '' && a.local.toLowerCase() === lower)?.value;
}

export function nsAttr(el: XmlElement, ns: string, local: string): string | undefined {
  return el.attrs.find((a) => a.ns === ns && a.local === local)?.value;
}

/** All the text inside `el`, in document order (the tree is at most MAX_DEPTH deep). */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  const out: string[] = [];
  const walk = (node: XmlElement): void => {
    for (const c of node.children) {
      if (typeof c === 'string') out.push(c);
      else walk(c);
    }
  };
  walk(el);
  return out.join('');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'source', 'wbr', 'area', 'col']);

/** The children of `el` written back as HTML (inline XHTML content), prefixes dropped. */
export function innerHtml(el: XmlElement): string {
  const out: string[] = [];
  const write = (node: XmlElement): void => {
    for (const c of node.children) {
      if (typeof c === 'string') {
        out.push(escapeText(c));
        continue;
      }
      const name = c.local.toLowerCase();
      const attrs = c.attrs
        .filter((a) => a.ns === '')
        .map((a) => ` ${a.local}="${escapeText(a.value).replace(/"/g, '&quot;')}"`)
        .join('');
      out.push(`<${name}${attrs}>`);
      if (VOID_ELEMENTS.has(name)) continue;
      write(c);
      out.push(`</${name}>`);
    }
  };
  write(el);
  return out.join('');
}
