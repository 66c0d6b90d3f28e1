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
