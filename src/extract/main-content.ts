/**
 * Pick the element that holds the article, readability-style: every paragraph-sized
 * text block scores its container and, less and less, the ancestors above; a container
 * loses what its link text weighs and gains or loses by its class/id words. The best
 * container is then widened to its siblings that score well or read as paragraphs.
 * JSON-LD articleBody, when present, doubles the weight of the blocks it contains.
 */
import type { Element } from 'domhandler';
import { byName, hintSource, wordsOf } from './dom.js';
import { NEGATIVE_WORDS, POSITIVE_WORDS } from './hint-words.js';
import type { TextBlock } from './text-blocks.js';
import { matchKey } from './text-normalize.js';

const MIN_BLOCK_CHARS = 25;
/** Text a sibling of the chosen container's own class needs to be a part of the article. */
const SIBLING_PART_CHARS = 200;
/** A run of entries (live posts, blog entries) needs this many, each with this much text. */
const MIN_ENTRIES = 3;
const ENTRY_CHARS = 120;
/** Text an element needs for its tag and class names to count in full. */
const NAMED_TEXT_CHARS = 250;

function parentElement(e: Element): Element | null {
  const p = e.parent;
  return p && p.type === 'tag' ? (p as Element) : null;
}

/** Weights of class names by hint source (pages repeat a few hundred names over thousands of elements). */
const nameWeights = new Map<string, number>();

function classWeight(e: Element): number {
  const source = hintSource(e);
  let w =
    source === null
      ? 0
      : byName(nameWeights, source, () => {
          const words = wordsOf(source);
          return (
            (words.some((x) => POSITIVE_WORDS.has(x)) ? 25 : 0) -
            (words.some((x) => NEGATIVE_WORDS.has(x)) ? 25 : 0)
          );
        });
  if (e.attribs.itemprop === 'articleBody') w += 50;
  return w;
}

function tagWeight(e: Element): number {
  switch (e.name) {
    case 'div':
    case 'article':
    case 'section':
    case 'main':
      return 5;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      return -5;
    default:
      return 0;
  }
}

type Stats = { chars: number; linkChars: number };

export type MainContent = {
  /** Elements whose blocks make the article, in document order. */
  containers: Element[];
  /** Blocks inside those containers, in document order. */
  blocks: TextBlock[];
};

function commaCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44 || c === 0xff0c || c === 0x3001) n++;
  }
  return n;
}

export function findMainContent(blocks: TextBlock[], root: Element, articleBody: string | null): MainContent {
  // Text and link text under each element, from the blocks it contains: summed on the
  // owners, then bottom-up once over the elements that hold a block and their ancestors
  // (climbing from every block would cost blocks x depth on a deep page, walking the whole
  // tree visits every element of the chrome).
  const stats = new Map<Element, Stats>();
  const blocksPerOwner = new Map<Element, number>();
  for (const b of blocks) {
    blocksPerOwner.set(b.owner, (blocksPerOwner.get(b.owner) ?? 0) + 1);
    const s = stats.get(b.owner);
    if (s) {
      s.chars += b.text.length;
      s.linkChars += b.linkChars;
    } else stats.set(b.owner, { chars: b.text.length, linkChars: b.linkChars });
  }
  for (const level of levelsBelow(root, blocksPerOwner.keys()).reverse())
    for (const e of level) {
      const s = stats.get(e)!;
      const p = e.parent as Element;
      const ps = stats.get(p);
      if (ps) {
        ps.chars += s.chars;
        ps.linkChars += s.linkChars;
      } else stats.set(p, { chars: s.chars, linkChars: s.linkChars });
    }
  const linkDensity = (e: Element) => {
    const s = stats.get(e);
    return s?.chars ? s.linkChars / s.chars : 0;
  };

  const ldKey = articleBody && articleBody.length >= 200 ? matchKey(articleBody) : null;
  const scores = new Map<Element, number>();
  for (const b of blocks) {
    const len = b.text.length;
    if (b.heading || len < MIN_BLOCK_CHARS || b.linkChars > len * 0.5) continue;
    let score = 1 + commaCount(b.text) + Math.min(Math.floor(len / 100), 3);
    if (ldKey?.includes(matchKey(b.text))) score *= 2;
    // A block alone in its element is a paragraph: its container is the parent.
    let e: Element | null =
      blocksPerOwner.get(b.owner) === 1 && b.owner !== root ? parentElement(b.owner) : b.owner;
    for (let level = 0; e && level < 5; level++, e = e === root ? null : parentElement(e)) {
      // A name says little about an element with little text: the settings menu of a video
      // player named "options-main" is not the article.
      const base =
        scores.get(e) ??
        (tagWeight(e) + classWeight(e)) * Math.min(1, (stats.get(e)?.chars ?? 0) / NAMED_TEXT_CHARS);
      scores.set(e, base + score / (level === 0 ? 1 : level === 1 ? 2 : level * 3));
    }
  }

  const ranked: Array<[Element, number]> = [];
  for (const [e, s] of scores) ranked.push([e, s * (1 - linkDensity(e))]);
  ranked.sort((a, b) => b[1] - a[1]);
  const finalScore = new Map(ranked);
  const first = ranked[0];
  if (!first) return { containers: [root], blocks: blocks.filter((b) => !b.heading) };

  let [top, topScore] = first;
  // Several near-best candidates under one ancestor: the article is that ancestor.
  const alternatives = ranked.slice(1, 6).filter(([, s]) => s >= topScore * 0.75);
  if (alternatives.length >= 3) {
    for (let p = parentElement(top); p && p !== root; p = parentElement(p)) {
      let inside = 0;
      for (const [alt] of alternatives) if (isUnder(alt, p)) inside++;
      if (inside >= 3) {
        top = p;
        break;
      }
    }
  }
  // Climb while the parent scores better: the paragraphs were split across sub-containers.
  let lastScore = finalScore.get(top) ?? topScore;
  const threshold = lastScore / 3;
  for (let p = parentElement(top); p && p !== root; p = parentElement(p)) {
    const ps = finalScore.get(p);
    if (ps === undefined) continue;
    if (ps < threshold) break;
    if (ps > lastScore) {
      top = p;
      break;
    }
    lastScore = ps;
  }
  // One entry of a run of entries built alike (a live page's posts, a blog's entries, the
  // items of a gallery): the article is the run, not its longest entry. Entries are told by
  // their shared tag and class and by prose (teaser cards are mostly links, so they stay out).
  for (let item: Element | null = top, depth = 0; item && item !== root && depth < 3; depth++) {
    const parent = parentElement(item);
    if (!parent) break;
    const cls = item.attribs.class;
    if (cls) {
      let peers = 0;
      let prose = 0;
      for (const c of parent.children) {
        if (c.type !== 'tag') continue;
        const el = c as Element;
        if (el.name !== item.name || el.attribs.class !== cls) continue;
        peers++;
        const st = stats.get(el);
        if (st && st.chars >= ENTRY_CHARS && linkDensity(el) < 0.3) prose++;
      }
      if (prose >= MIN_ENTRIES && prose >= peers * 0.6) {
        top = parent;
        break;
      }
    }
    item = parent;
  }
  // An only child says nothing: its parent is the container. Nothing above the root counts:
  // a bare page's text sits directly under <body>, and <html> holds no block of its own.
  if (top !== root)
    for (let p = parentElement(top); p && textChildren(p, stats) === 1; p = parentElement(p)) {
      top = p;
      if (p === root) break;
    }
  topScore = finalScore.get(top) ?? topScore;

  const containers = [top];
  const parent = top === root ? null : parentElement(top);
  if (parent) {
    const siblingThreshold = Math.max(10, topScore * 0.2);
    const topClass = top.attribs.class ?? '';
    const ownBlocks = blocksByTopElement(blocks, parent);
    containers.length = 0;
    for (const c of parent.children) {
      if (c.type !== 'tag') continue;
      const sib = c as Element;
      if (sib === top) {
        containers.push(sib);
        continue;
      }
      const sameClass = !!topClass && sib.attribs.class === topClass;
      let s = finalScore.get(sib) ?? -Infinity;
      if (sameClass) s += topScore * 0.2;
      // A part of the article built like the chosen one, with its paragraphs nested too deep
      // for their scores to reach it, is told by its text.
      const sibStats = stats.get(sib);
      const prose = sameClass && !!sibStats && sibStats.chars >= SIBLING_PART_CHARS && linkDensity(sib) < 0.3;
      if (s >= siblingThreshold || prose) {
        containers.push(sib);
        continue;
      }
      // A lone paragraph next to the article belongs to it when it reads like text.
      const own = ownBlocks.get(sib);
      if (sib.name === 'p' && own && own.length === 1) {
        const text = own[0]!.text;
        const ld = own[0]!.linkChars / text.length;
        if ((text.length > 80 && ld < 0.25) || (ld === 0 && /[.!?»"”](?:\s|$)/.test(text)))
          containers.push(sib);
      }
    }
  }

  const chosen = new Set(containers);
  const underChosen = new Map<Element, boolean>();
  const inside = blocks.filter((b) => isUnderChosen(b.owner, root, chosen, underChosen));
  return { containers, blocks: inside };
}

/**
 * The elements strictly under `root` that are `owners` or hold one, by depth below root
 * (index 0: its children). Each element is climbed once: a climb stops at one already met.
 * Owners not under `root` are left out.
 */
function levelsBelow(root: Element, owners: Iterable<Element>): Element[][] {
  const depth = new Map<Element, number>([[root, 0]]);
  const levels: Element[][] = [];
  const path: Element[] = [];
  for (const owner of owners) {
    path.length = 0;
    let e: Element | null = owner;
    while (e && !depth.has(e)) {
      path.push(e);
      e = parentElement(e);
    }
    const known = e ? depth.get(e)! : -1;
    for (let i = path.length - 1, d = known + 1; i >= 0; i--, d++) {
      const el = path[i]!;
      depth.set(el, known < 0 ? -1 : d);
      if (known < 0) continue;
      const level = levels[d - 1];
      if (level) level.push(el);
      else levels[d - 1] = [el];
    }
  }
  return levels;
}

/** `e` is in `chosen` or under one of them (not climbing past `root`); memoised, so each element is climbed once. */
function isUnderChosen(
  e: Element,
  root: Element,
  chosen: Set<Element>,
  memo: Map<Element, boolean>,
): boolean {
  const path: Element[] = [];
  let answer = false;
  for (let p: Element | null = e; p; p = p === root ? null : parentElement(p)) {
    const known = memo.get(p);
    if (known !== undefined) {
      answer = known;
      break;
    }
    path.push(p);
    if (chosen.has(p)) {
      answer = true;
      break;
    }
  }
  for (const p of path) memo.set(p, answer);
  return answer;
}

function isUnder(node: Element, anc: Element): boolean {
  for (let p: Element | null = node; p; p = parentElement(p)) if (p === anc) return true;
  return false;
}

/** Children that hold any text block (skipped chrome does not count). */
function textChildren(e: Element, stats: Map<Element, Stats>): number {
  let n = 0;
  for (const c of e.children) if (c.type === 'tag' && stats.has(c as Element)) n++;
  return n;
}

/** Blocks grouped by the child of `parent` they sit under. */
function blocksByTopElement(blocks: TextBlock[], parent: Element): Map<Element, TextBlock[]> {
  const out = new Map<Element, TextBlock[]>();
  // Each element is climbed once: its answer is remembered for the blocks below it.
  const topOf = new Map<Element, Element | null>();
  for (const b of blocks) {
    const path: Element[] = [];
    let e: Element | null = b.owner;
    while (e && e.parent !== parent) {
      const known = topOf.get(e);
      if (known !== undefined) {
        e = known;
        break;
      }
      path.push(e);
      e = parentElement(e);
    }
    for (const p of path) topOf.set(p, e);
    if (!e) continue;
    const list = out.get(e);
    if (list) list.push(b);
    else out.set(e, [b]);
  }
  return out;
}
