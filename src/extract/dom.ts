/**
 * Small read-only helpers over the domhandler tree cheerio builds. Extraction walks
 * nodes directly instead of through cheerio wrappers: it is several times faster on
 * large pages and never mutates the document.
 */
import type { AnyNode, Element } from 'domhandler';
import { detached } from './text-normalize.js';

export function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

/** Elements that start a new line of text when rendered. */
export const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

/**
 * An <a> that is a link. One that a script drives ("javascript:") and that wraps
 * paragraphs is a toggle around text (an expander, an old accordion), not a link: its
 * text is the page's (Readability unwraps such links too). A "javascript:" share or close
 * button holds no paragraph, and stays a link.
 */
export function isLink(el: Element): boolean {
  if (el.name !== 'a') return false;
  const href = el.attribs.href;
  if (href === undefined || !/^\s*javascript:/i.test(href)) return true;
  for (const c of el.children) if (c.type === 'tag' && BLOCK_TAGS.has((c as Element).name)) return false;
  return true;
}

export const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * The naming attributes an element's hints are read from, one string (the same string
 * for elements named alike, so what is read from it is cached). `withId: false` leaves
 * the id out (a section id that slugs its heading, see structural-noise.ts). Null when
 * the element has no name at all.
 */
export function hintSource(el: Element, withId = true): string | null {
  const a = el.attribs;
  const cls = a.class;
  const id = withId ? a.id : undefined;
  const role = a.role;
  const component = a['data-component'];
  if (!id && !role && !component) return cls || null;
  // \u0001 between attributes: a separator for the words, and "class=a id=b" keys apart from
  // "class='a b'". A class alone is its own source (most elements: no string to build and hash).
  return `${cls ?? ''}\u0001${id ?? ''}\u0001${role ?? ''}\u0001${component ?? ''}`;
}

/** Past this many distinct names, a cache of what names say starts over (a hostile page has millions). */
const NAME_CACHE_LIMIT = 20_000;
/** Longer names are read again each time: a cache of them would hold what a page chose to make huge. */
const CACHED_NAME_CHARS = 200;

/**
 * What `source` says, from `cache` or worked out by `read` and kept: in a copy of the name
 * (see detached), within NAME_CACHE_LIMIT names of CACHED_NAME_CHARS characters at most.
 */
export function byName<T>(cache: Map<string, T>, source: string, read: () => T): T {
  const known = cache.get(source);
  if (known !== undefined) return known;
  const value = read();
  if (source.length <= CACHED_NAME_CHARS) {
    if (cache.size >= NAME_CACHE_LIMIT) cache.clear();
    cache.set(detached(source), value);
  }
  return value;
}

const wordsOfSource = new Map<string, readonly string[]>();
const NO_WORDS: readonly string[] = [];

/**
 * Words of an element's class, id and a few naming attributes, split on separators and
 * camelCase ("story__shareBar" -> story, share, bar), so hints match whole words.
 */
export function hintWords(el: Element, withId = true): readonly string[] {
  const source = hintSource(el, withId);
  return source === null ? NO_WORDS : wordsOf(source);
}

export function wordsOf(source: string): readonly string[] {
  return byName(wordsOfSource, source, () =>
    source
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
      .map(detached),
  );
}

/**
 * Visible text of a subtree, inline-joined (for short things: titles, bylines, labels).
 * Iterative, like every walk of extraction: a page nests as deep as it likes.
 */
export function textOf(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  if (node.type !== 'tag') return '';
  let out = '';
  const stack: Array<{ el: Element; next: number }> = [{ el: node, next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const c = top.el.children[top.next++];
    if (c === undefined) {
      stack.pop();
      const name = top.el.name;
      if (stack.length && (BLOCK_TAGS.has(name) || name === 'br')) out += ' ';
    } else if (c.type === 'text') out += c.data;
    else if (c.type === 'tag') stack.push({ el: c, next: 0 });
  }
  return out;
}

/**
 * Elements under `root` in document order, each with a value its parent's computed
 * (`enter` returns the value for the element's children, or undefined to skip them).
 * An explicit stack instead of recursion, so deep pages never overflow the call stack.
 */
export function walkElements<T>(
  root: { children: AnyNode[] },
  initial: T,
  enter: (el: Element, fromParent: T) => T | undefined,
): void {
  const stack: Array<{ nodes: AnyNode[]; next: number; value: T }> = [
    { nodes: root.children, next: 0, value: initial },
  ];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const n = top.nodes[top.next++];
    if (n === undefined) {
      stack.pop();
      continue;
    }
    if (!isElement(n)) continue;
    const value = enter(n, top.value);
    if (value !== undefined && n.children.length) stack.push({ nodes: n.children, next: 0, value });
  }
}

export function isAncestorOf(anc: Element, node: AnyNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p === anc) return true;
  return false;
}
