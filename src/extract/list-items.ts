/**
 * Items of a list of text. A list whose items are mostly sentences (release notes, a
 * how-to, the highlights of a post) is text, and so are the items of it that are only a
 * link ("Here's our Year in Review!", "Bug 1677080 – Fullscreen PiP window…") and the
 * sub-list an item of it opens ("In progress:" and the bugs under it). A list of links
 * alone (related stories, a menu) is not: it has no sentence to belong to.
 */
import type { Element } from 'domhandler';
import type { TextBlock } from './text-blocks.js';

/** Levels between a block's owner and the <li> it is in (a <p> or <div> inside the item). */
const ITEM_LEVELS = 3;
/** Words outside links that make an item's block a sentence rather than a label or a link. */
const PROSE_WORDS = 4;
/** A list of text has at least this many items of prose, and they are half its items or more. */
const MIN_PROSE_ITEMS = 2;

function isList(el: Element | null): boolean {
  return el?.name === 'ul' || el?.name === 'ol';
}

function itemOf(owner: Element): Element | null {
  let e: Element | null = owner;
  for (let i = 0; e && i <= ITEM_LEVELS; i++, e = e.parent as Element | null) {
    if (e.name === 'li') return e;
    if (isList(e)) return null;
  }
  return null;
}

/** An item that says something outside its links ("emalysz <a>fixed a performance issue</a>, and made…"). */
function isProse(b: TextBlock): boolean {
  let words = 0;
  for (const w of b.outsideLinks.split(' '))
    if (/[\p{L}\p{N}]/u.test(w) && ++words >= PROSE_WORDS) return true;
  return false;
}

/** Whether a block is an item of a list of text (or of a sub-list one of its items opens). */
export function listOfText(blocks: TextBlock[]): (b: TextBlock) => boolean {
  const proseItems = new Set<Element>();
  // Items mostly of plain text: a list of links each with a few words beside ("More stories:
  // YouTubers must unionize, <a>no matter what Google says</a>") has none.
  const plainItems = new Set<Element>();
  for (const b of blocks) {
    const item = itemOf(b.owner);
    if (!item || !isProse(b)) continue;
    proseItems.add(item);
    if (b.linkChars <= b.text.length * 0.5) plainItems.add(item);
  }
  const memo = new Map<Element, boolean>();
  const ofText = (list: Element): boolean => {
    let known = memo.get(list);
    if (known !== undefined) return known;
    let items = 0;
    let prose = 0;
    let plain = 0;
    for (const c of list.children)
      if (c.type === 'tag' && (c as Element).name === 'li') {
        items++;
        if (proseItems.has(c as Element)) prose++;
        if (plainItems.has(c as Element)) plain++;
      }
    known = prose >= MIN_PROSE_ITEMS && prose * 2 >= items && plain > 0;
    memo.set(list, known);
    return known;
  };
  return (b) => {
    const item = itemOf(b.owner);
    const list = item?.parent as Element | null;
    if (!list || !isList(list)) return false;
    if (ofText(list)) return true;
    const outer = list.parent as Element | null;
    return outer?.name === 'li' && isList(outer.parent as Element | null) && ofText(outer.parent as Element);
  };
}
