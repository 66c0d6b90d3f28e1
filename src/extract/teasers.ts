/**
 * Teaser cards: the "related", "recent" or "you may also like" grids that link to other
 * articles. Each card is a linked headline followed by a short excerpt, alone in its own
 * element, and they come several to a page. Their excerpts read like prose, so without
 * this a grid of six cards can outscore a short article, or be taken as its continuation.
 */
import type { Element } from 'domhandler';
import type { TextBlock } from './text-blocks.js';

/** A headline is a block that is (almost) all link. */
const MIN_HEADLINE_CHARS = 10;
/** Longer than this, the text after a linked headline is an article section, not an excerpt. */
const MAX_EXCERPT_CHARS = 400;
/** Room for a date, an author or a category label beside headline and excerpt. */
const CARD_EXTRA_CHARS = 80;
/** One card is a box; a grid repeats. */
const MIN_CARDS = 3;
/** A row that links its first cell is table data (a list of films, of apps), not a card. */
const TABLE_PARTS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th']);

function parentElement(e: Element): Element | null {
  const p = e.parent;
  return p && p.type === 'tag' ? (p as Element) : null;
}

function isHeadline(b: TextBlock): boolean {
  return b.text.length >= MIN_HEADLINE_CHARS && b.linkChars >= b.text.length * 0.9;
}

/**
 * Elements that are teaser cards, each holding a linked headline and its excerpt and
 * little else, when the page has at least MIN_CARDS of them.
 */
export function findTeaserCards(blocks: TextBlock[], root: Element): Set<Element> {
  const cards = new Set<Element>();
  for (let i = 0; i + 1 < blocks.length; i++) {
    const head = blocks[i]!;
    const excerpt = blocks[i + 1]!;
    if (!isHeadline(head) || excerpt.text.length > MAX_EXCERPT_CHARS) continue;
    if (excerpt.linkChars > excerpt.text.length * 0.2) continue;
    // The card is the smallest element holding both.
    let card: Element | null = excerpt.owner;
    while (card && card !== root && !contains(card, head.owner)) card = parentElement(card);
    if (!card || card === root || TABLE_PARTS.has(card.name)) continue;
    // Blocks are in document order, so the card's are the run around the pair.
    let extra = 0;
    for (let j = i - 1; j >= 0 && extra <= CARD_EXTRA_CHARS && contains(card, blocks[j]!.owner); j--)
      extra += blocks[j]!.text.length;
    for (
      let j = i + 2;
      j < blocks.length && extra <= CARD_EXTRA_CHARS && contains(card, blocks[j]!.owner);
      j++
    )
      extra += blocks[j]!.text.length;
    if (extra <= CARD_EXTRA_CHARS) cards.add(card);
  }
  return cards.size >= MIN_CARDS ? cards : new Set();
}

function contains(anc: Element, node: Element): boolean {
  for (let p: Element | null = node; p; p = parentElement(p)) if (p === anc) return true;
  return false;
}

/** Blocks outside every teaser card, and the text outside links in the cards and out of them. */
function sortOutCards(blocks: TextBlock[], root: Element) {
  const cards = findTeaserCards(blocks, root);
  let cardText = 0;
  let restText = 0;
  if (!cards.size) {
    for (const b of blocks) restText += b.text.length - b.linkChars;
    return { cards, kept: blocks, cardText, restText };
  }
  const kept = blocks.filter((b) => {
    const plain = b.text.length - b.linkChars;
    for (let e: Element | null = b.owner; e; e = e === root ? null : parentElement(e))
      if (cards.has(e)) {
        cardText += plain;
        return false;
      }
    restText += plain;
    return true;
  });
  return { cards, kept, cardText, restText };
}

/**
 * The blocks outside every teaser card. When the cards hold more text than the rest of
 * the page, the page is the list (a round-up whose items are boxed), and nothing is cut.
 */
export function withoutTeasers(blocks: TextBlock[], root: Element): TextBlock[] {
  const { kept, cardText, restText } = sortOutCards(blocks, root);
  return cardText < restText ? kept : blocks;
}

/** Text outside links of the blocks that are in no teaser card. */
export function textOutsideTeasers(blocks: TextBlock[], root: Element): number {
  return sortOutCards(blocks, root).restText;
}
