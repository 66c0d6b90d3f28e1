/**
 * Small read-only helpers over the domhandler tree cheerio builds. Extraction walks
 * nodes directly instead of through cheerio wrappers: it is several times faster on
 * large pages and never mutates the document.
 */
import type { AnyNode, Element } from 'domhandler';

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

export const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * Words of an element's class, id and a few naming attributes, split on separators and
 * camelCase ("story__shareBar" -> story, share, bar), so hints match whole words.
 */
export function hintWords(el: Element): string[] {
  const a = el.attribs;
  const raw = `${a.class ?? ''} ${a.id ?? ''} ${a.role ?? ''} ${a['data-component'] ?? ''}`;
  if (!raw.trim()) return [];
  return raw
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Visible text of a subtree, inline-joined (for short things: titles, bylines, labels). */
export function textOf(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  if (node.type !== 'tag') return '';
  let out = '';
  for (const c of node.children) {
    out += textOf(c);
    if (c.type === 'tag' && (BLOCK_TAGS.has(c.name) || c.name === 'br')) out += ' ';
  }
  return out;
}

export function isAncestorOf(anc: Element, node: AnyNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p === anc) return true;
  return false;
}
