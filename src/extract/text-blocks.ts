/**
 * Linearise a page into text blocks: one block per run of inline content between
 * block-level boundaries, and a paragraph break at "<br><br>" (sites that build
 * articles out of one <div> and line breaks). Each block remembers the element that
 * owns it and how much of its text is link text.
 */
import type { AnyNode, Element } from 'domhandler';
import { BLOCK_TAGS, HEADING_TAGS, isElement, isLink } from './dom.js';
import { collapseInline } from './text-normalize.js';

export type TextBlock = {
  /** Inline text; single <br> kept as "\n". */
  text: string;
  /** Characters of the block that sit inside links. */
  linkChars: number;
  /** Text outside links ("Lire aussi" in "Lire aussi <a>…</a>"). */
  outsideLinks: string;
  /** Nearest block-level ancestor (or the element whose direct text this is). */
  owner: Element;
  heading: boolean;
  /** Position in document order. */
  index: number;
  /** Links with text in the block. */
  links: number;
};

type Acc = {
  owner: Element;
  text: string;
  outside: string;
  linkChars: number;
  links: number;
  pendingBr: boolean;
};

/**
 * No paragraph is this long: past it a block's text is cut, so one 10 MB text node
 * costs what a long article does in every pass after this one.
 */
export const MAX_BLOCK_CHARS = 250_000;

/**
 * MathML tokens (identifiers, numbers, operators, text): a formula renders them apart,
 * and its markup seldom has spaces between them ("<mi>a</mi><mi>x</mi>" is "a x", not "ax").
 * A space goes before each token, so punctuation after the formula stays on it.
 */
const MATH_TOKENS = new Set(['mi', 'mn', 'mo', 'ms', 'mtext']);

function endsWithSpace(s: string): boolean {
  const c = s.charCodeAt(s.length - 1);
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c;
}

const SOURCE_BREAKS = /[\r\n]/g;

/** Elements a walk leaves out: a Set, or a view over one (see Noise.sparing). */
export type Skipped = { has(el: Element): boolean };

export function linearize(root: Element, skip: Skipped): TextBlock[] {
  const blocks: TextBlock[] = [];

  const flush = (acc: Acc) => {
    if (!/\S/.test(acc.text)) {
      acc.text = acc.outside = '';
      acc.linkChars = 0;
      acc.links = 0;
      return;
    }
    // Most blocks have no <br>: one line, collapsed once (and their text outside links is
    // the same string when they have no link either).
    const oneLine = !acc.text.includes('\n');
    const text = oneLine
      ? collapseInline(acc.text)
      : acc.text.split('\n').map(collapseInline).filter(Boolean).join('\n');
    if (text) {
      blocks.push({
        text,
        linkChars: Math.min(acc.linkChars, text.length),
        outsideLinks: oneLine && acc.outside === acc.text ? text : collapseInline(acc.outside),
        owner: acc.owner,
        heading: HEADING_TAGS.has(acc.owner.name),
        index: blocks.length,
        links: acc.links,
      });
    }
    acc.text = acc.outside = '';
    acc.linkChars = 0;
    acc.links = 0;
    acc.pendingBr = false;
  };

  // Depth-first with an explicit stack (a page nests as deep as it likes). A block element
  // gets an accumulator of its own, flushed when its frame ends.
  type Frame = { node: Element; acc: Acc; inLink: boolean; pre: boolean; next: number; ownAcc: boolean };
  const rootAcc: Acc = { owner: root, text: '', outside: '', linkChars: 0, links: 0, pendingBr: false };
  const stack: Frame[] = [
    { node: root, acc: rootAcc, inLink: false, pre: root.name === 'pre', next: 0, ownAcc: true },
  ];
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    const { acc, inLink, pre } = f;
    const c: AnyNode | undefined = f.node.children[f.next++];
    if (c === undefined) {
      stack.pop();
      if (f.ownAcc) flush(acc);
      continue;
    }
    if (c.type === 'text') {
      if (acc.text.length >= MAX_BLOCK_CHARS) continue;
      // Spaces opening a block are never text (and must not fill its length cap).
      let data = acc.text ? c.data : c.data.trimStart();
      if (data.length > MAX_BLOCK_CHARS) data = data.slice(0, MAX_BLOCK_CHARS);
      // Outside <pre>, a line break in the source is a space: the page wraps its lines
      // where its author's editor did, and only <br> and blocks break the text.
      if (!pre && (data.includes('\n') || data.includes('\r'))) data = data.replace(SOURCE_BREAKS, ' ');
      acc.text += data;
      if (inLink) acc.linkChars += collapseInline(data).length;
      else acc.outside += data;
      if (acc.pendingBr && /\S/.test(data)) acc.pendingBr = false;
      continue;
    }
    if (!isElement(c) || skip.has(c)) continue;
    const tag = c.name;
    if (tag === 'br') {
      // A second <br> with nothing but spaces since the first one ends the paragraph.
      if (acc.pendingBr) flush(acc);
      else {
        acc.text += '\n';
        acc.pendingBr = true;
      }
      continue;
    }
    if (BLOCK_TAGS.has(tag)) {
      flush(acc);
      const inner: Acc = { owner: c, text: '', outside: '', linkChars: 0, links: 0, pendingBr: false };
      stack.push({
        node: c,
        acc: inner,
        inLink: inLink || (tag === 'a' && isLink(c)),
        pre: pre || tag === 'pre',
        next: 0,
        ownAcc: true,
      });
      continue;
    }
    const link = tag === 'a' && isLink(c);
    if (link && !inLink) acc.links++;
    if (MATH_TOKENS.has(tag) && acc.text && !endsWithSpace(acc.text)) {
      acc.text += ' ';
      acc.outside += ' ';
    }
    stack.push({ node: c, acc, inLink: inLink || link, pre, next: 0, ownAcc: false });
  }
  return blocks;
}
