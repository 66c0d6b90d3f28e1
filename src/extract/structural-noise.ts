/**
 * Find the parts of a page that are never article text: navigation, chrome, forms,
 * media, hidden nodes and blocks whose class/id names them as sharing, ads, cookies,
 * related links, comments… They are collected in a set and skipped later, so the
 * document itself is never mutated or re-parsed.
 */
import type { AnyNode, Element } from 'domhandler';
import {
  BLOCK_TAGS,
  byName,
  HEADING_TAGS,
  hintSource,
  hintWords,
  isAncestorOf,
  isElement,
  isLink,
  textOf,
  wordsOf,
} from './dom.js';
import {
  ARTICLE_WORDS,
  COMMENT_WORDS,
  CREDIT_WORDS,
  EMBED_WORDS,
  GLUED_NOISE_WORDS,
  HIDDEN_CLASSES,
  HIDDEN_WORDS,
  NOISE_WORDS,
  OVERLAY_WORDS,
  SHARING_WORDS,
  STRONG_NOISE_WORDS,
} from './hint-words.js';
import type { Skipped } from './text-blocks.js';
import { matchKey } from './text-normalize.js';

/** Never text, whatever their size. */
const NOISE_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'svg',
  // A formula's TeX or XML source, never shown (its MathML tokens are, and are text).
  'annotation',
  'annotation-xml',
  'canvas',
  'object',
  'embed',
  'video',
  'audio',
  'picture',
  'img',
  'source',
  'track',
  'map',
  'button',
  'input',
  'select',
  'option',
  'textarea',
  'label',
  'link',
  'meta',
  'head',
  'title',
  'dialog',
]);

/** Page chrome, dropped unless the element holds most of the page's text (some sites wrap everything in a <form>). */
const CHROME_TAGS = new Set(['nav', 'header', 'footer', 'aside', 'form', 'figure', 'figcaption', 'menu']);

const CHROME_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'dialog',
  'alertdialog',
  'search',
  'menu',
  'menubar',
  'toolbar',
  'tablist',
  'button',
]);

/**
 * A word that starts with a noise word glued to another one, or ends with one. A word
 * that only extends it by a letter or two is another word: "shared" is not "share".
 */
function gluedNoise(word: string): boolean {
  for (const f of GLUED_NOISE_WORDS) {
    if (word.length <= f.length) continue;
    if (word.startsWith(f) && (word.length - f.length >= 3 || word.endsWith('s'))) return true;
    if (word.endsWith(f) && word.length - f.length >= 3) return true;
  }
  return false;
}

type NoiseName = 'none' | 'weak' | 'strong';

/** The first element child, past whitespace. */
function firstChildElement(el: Element): Element | null {
  for (const c of el.children) {
    if (isElement(c)) return c;
    if (c.type === 'text' && c.data.trim()) return null;
  }
  return null;
}

/**
 * A section id made from its own heading ("sharing-with-a-single-developer" over "Sharing
 * with a single developer", as Sphinx, Markdown and wiki renderers write them) names the
 * text, not a part of the page: its words are not class hints.
 */
function idIsHeadingSlug(el: Element): boolean {
  const id = el.attribs.id;
  if (!id?.includes('-')) return false;
  const first = firstChildElement(el);
  if (!first || !HEADING_TAGS.has(first.name)) return false;
  const slug = id
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join(' ');
  return slug.includes(' ') && slug === matchKey(textOf(first));
}

type NameVerdict = { noise: NoiseName; article: boolean; hidden: boolean };

const NAMELESS: NameVerdict = { noise: 'none', article: false, hidden: false };
/** Verdicts by hint source: pages repeat a few hundred names over thousands of elements. */
const verdicts = new Map<string, NameVerdict>();

function noiseName(el: Element): NameVerdict {
  const source = hintSource(el, !idIsHeadingSlug(el));
  if (source === null) return NAMELESS;
  return byName(verdicts, source, () => judgeName(wordsOf(source), el.attribs.class));
}

function judgeName(words: readonly string[], className: string | undefined): NameVerdict {
  if (!words.length) return NAMELESS;
  let noise: NoiseName = 'none';
  let article = false;
  let hidden = false;
  const embed = words.some((w) => EMBED_WORDS.has(w));
  const post = words.includes('tweet');
  for (const w of words) {
    if (embed && SHARING_WORDS.has(w)) continue;
    // A quoted post's wrapper ("article-widget article-tweet") is named for what it holds, not as chrome.
    if (post && !STRONG_NOISE_WORDS.has(w)) continue;
    if (STRONG_NOISE_WORDS.has(w)) noise = 'strong';
    else if (noise === 'none' && NOISE_WORDS.has(w)) noise = 'weak';
    if (ARTICLE_WORDS.has(w)) article = true;
    if (HIDDEN_WORDS.has(w)) hidden = true;
  }
  if (noise === 'none' && !embed && words.some(gluedNoise)) noise = 'weak';
  if (noise === 'none' && !embed) {
    const cls = (className ?? '').toLowerCase();
    if (HIDDEN_CLASSES.some((c) => cls.includes(c))) {
      noise = 'weak';
      hidden = true;
    }
  }
  return { noise, article, hidden };
}

/** The first non-blank text under an element, depth first. */
function firstTextOf(node: AnyNode, depth = 0): string | null {
  if (node.type === 'text') return node.data.trim() || null;
  if (!isElement(node) || depth > 6 || NOISE_TAGS.has(node.name)) return null;
  for (const c of node.children) {
    const t = firstTextOf(c, depth + 1);
    if (t) return t;
  }
  return null;
}

const GALLERY_COUNTER = /^(\d{1,3})\s*(?:\/|of|sur|von|de)\s*(\d{1,3})$/i;
/** Fewer counted items than this is a pair of pictures, not a gallery. */
const MIN_GALLERY_ITEMS = 3;

/**
 * A photo gallery: a list whose items open on a counter of one series ("1/50", "2 of 50").
 * Its items are captions, which are never body text, and a gallery of other stories
 * inside the article body would otherwise outweigh the article.
 */
function isGallery(list: Element): boolean {
  let items = 0;
  let counted = 0;
  let series: string | null = null;
  for (const c of list.children) {
    if (!isElement(c)) continue;
    items++;
    const m = firstTextOf(c)?.match(GALLERY_COUNTER);
    if (!m || (series !== null && m[2] !== series)) continue;
    series = m[2]!;
    counted++;
  }
  return counted >= MIN_GALLERY_ITEMS && counted >= items * 0.8;
}

/** Fewer captioned pictures than this side by side is an illustrated story, not a gallery. */
const MIN_GALLERY_FIGURES = 3;

/** The story an element is part of: its article (or main, or articleBody), else the whole root. */
function storyScope(el: Element, root: Element): Element {
  for (let p: Element | null = el; p && p !== root; p = p.parent as Element | null) {
    if (p.name === 'article' || p.name === 'main' || p.attribs.itemprop === 'articleBody') return p;
  }
  return root;
}

/**
 * Figures that are the page's body: three or more captioned pictures side by side
 * whose captions are most of their story's text (a photo gallery page, where the
 * captions tell the story). Elsewhere, a slideshow above prose included, a caption
 * illustrates the prose and is chrome.
 */
function galleryFigures(root: Element, plainOf: (el: Element) => number): Set<Element> {
  const found = new Set<Element>();
  const pending: Element[] = [root];
  while (pending.length) {
    const el = pending.pop()!;
    const figures: Element[] = [];
    let captions = 0;
    for (const c of el.children) {
      if (!isElement(c)) continue;
      if (c.name === 'figure') {
        const caption = c.children.find((f): f is Element => isElement(f) && f.name === 'figcaption');
        if (caption && plainOf(caption) > 0) {
          figures.push(c);
          captions += plainOf(caption);
        }
      } else pending.push(c);
    }
    if (figures.length >= MIN_GALLERY_FIGURES && captions > plainOf(storyScope(el, root)) * 0.5)
      for (const f of figures) found.add(f);
  }
  return found;
}

function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (a.hidden !== undefined || a['aria-hidden'] === 'true') return true;
  const style = a.style;
  return !!style && /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

type Size = { chars: number; plain: number };

/** What measureText met on its way: the elements some rules look for, so they need no walk of their own. */
type Measured = { total: Size; figcaptions: number; maths: Element[]; articles: Element[] };

/**
 * Visible characters of every element and how many of them are outside links ("plain"):
 * menus and link lists have almost no plain text, articles have most of the page's.
 */
function measureText(root: Element, sizes: Map<Element, Size>): Measured {
  const measured: Measured = { total: { chars: 0, plain: 0 }, figcaptions: 0, maths: [], articles: [] };
  if (NOISE_TAGS.has(root.name)) return measured;
  // Each frame is the size of its element too (one object an element).
  type Frame = Size & { el: Element; link: boolean; next: number };
  const stack: Frame[] = [{ el: root, link: isLink(root), chars: 0, plain: 0, next: 0 }];
  // Post-order with an explicit stack: a page nests as deep as it likes.
  for (;;) {
    const f = stack[stack.length - 1]!;
    const c: AnyNode | undefined = f.el.children[f.next++];
    if (c === undefined) {
      stack.pop();
      sizes.set(f.el, f);
      if (f.el.name === 'article') measured.articles.push(f.el);
      const parent = stack[stack.length - 1];
      if (!parent) {
        measured.total = f;
        return measured;
      }
      parent.chars += f.chars;
      parent.plain += f.plain;
    } else if (c.type === 'text') {
      const n = c.data.trim().length;
      f.chars += n;
      if (!f.link) f.plain += n;
    } else if (isElement(c) && !NOISE_TAGS.has(c.name)) {
      const name = c.name;
      if (name === 'figcaption') measured.figcaptions++;
      else if (name === 'math') measured.maths.push(c);
      stack.push({ el: c, link: f.link || (name === 'a' && isLink(c)), chars: 0, plain: 0, next: 0 });
    }
  }
}

/**
 * Whether some text article is neither `outer`, nor above it, nor inside it: counted
 * (articles inside each element, bottom-up once; those above, by climbing) rather
 * than tested article by article, which was quadratic on a page of many articles.
 */
function textArticlesElsewhere(
  textArticles: Element[],
  sizes: Map<Element, Size>,
): (outer: Element) => boolean {
  const isText = new Set(textArticles);
  const inside = new Map<Element, number>();
  // `sizes` is in post-order: children come before their parent.
  for (const el of sizes.keys()) {
    let n = 0;
    for (const c of el.children) if (isElement(c)) n += (inside.get(c) ?? 0) + (isText.has(c) ? 1 : 0);
    if (n) inside.set(el, n);
  }
  const memo = new Map<Element, boolean>();
  return (outer) => {
    let hit = memo.get(outer);
    if (hit !== undefined) return hit;
    let related = (inside.get(outer) ?? 0) + (isText.has(outer) ? 1 : 0);
    for (let p = outer.parent; p; p = p.parent) if (isText.has(p as Element)) related++;
    hit = textArticles.length > related;
    memo.set(outer, hit);
    return hit;
  };
}

/** How far above a <math> element a formula renderer's wrappers go (MathJax, KaTeX). */
const FORMULA_WRAPPER_LEVELS = 3;

/**
 * The wrappers formula renderers put around a <math> element: they are named for the
 * widget ("MathJax CtxtMenu_Attached_0" for the context menu it opens), not as chrome.
 */
function formulaWrappers(maths: Element[]): Set<Element> {
  const found = new Set<Element>();
  for (const el of maths) {
    let p = el.parent;
    for (let level = 0; p && isElement(p) && level < FORMULA_WRAPPER_LEVELS; level++, p = p.parent)
      found.add(p);
  }
  return found;
}

/** The elements dropped so far, added to as the filter goes. */
type Verdicts = { has(el: Element): boolean; add(el: Element): void };

/** An element to visit, the <article> it is in, and whether it is a story header's wrapper. */
type Visit = [Element, Element | null, boolean];

/** A story header's standfirst: a paragraph of prose, not a label, a byline or a date. */
const STANDFIRST_CHARS = 80;

function hasOwnText(el: Element): boolean {
  for (const c of el.children) if (c.type === 'text' && c.data.trim()) return true;
  return false;
}

function underMain(el: Element, root: Element): boolean {
  for (let p = el.parent; p && p !== root; p = p.parent) if (isElement(p) && p.name === 'main') return true;
  return false;
}

/** Chrome tags some sites wrap the whole page or article in (ASP.NET forms, article headers). */
const WRAPPER_TAGS = new Set(['form', 'header']);
/** Less plain text than this, a dropped element is a box, never the article. */
const RECHECK_PLAIN_CHARS = 300;

function hintsAny(el: Element, words: Set<string>): boolean {
  return hintWords(el).some((w) => words.has(w));
}

/**
 * An element dropped on a name alone that holds much text: the article may be inside.
 * `articlePlain`: for an overlay (a "modal"), the plain text of the page's only <article>
 * with text when it is inside (else 0).
 */
export type NoiseSuspect = { el: Element; plain: number; articlePlain: number };

/** What findNoise found, with a second look at what a class name dropped. */
export type Noise = {
  dropped: Set<Element>;
  suspects: NoiseSuspect[];
  /**
   * The elements to skip had one suspect been kept: the same verdicts elsewhere (each
   * rests on the element's own measures), and the suspect's subtree filtered as any other.
   */
  sparing(suspect: Element): Skipped;
};

/**
 * Elements to skip under `root`. Chrome tags, hidden flags and noise names do not drop
 * an element that holds most of the page's plain text: such names on a wrapper
 * ("layout has-sidebar", an ASP.NET <form>) say nothing about the article inside. A
 * weak noise word next to an article word ("article-body pagination-first") does not
 * drop a text-bearing element either.
 */
export function findNoise(root: Element, extraDropped: Iterable<Element> = []): Set<Element> {
  return filterNoise(root, extraDropped, false).dropped;
}

/** findNoise, and the elements a class name alone dropped with much text in them (see Noise). */
export function findNoiseAndSuspects(root: Element, extraDropped: Iterable<Element> = []): Noise {
  return filterNoise(root, extraDropped, true);
}

function filterNoise(root: Element, extraDropped: Iterable<Element>, collect: boolean): Noise {
  const sizes = new Map<Element, Size>();
  const measured = measureText(root, sizes);
  const total = measured.total.plain;
  const dropped = new Set<Element>(extraDropped);
  const suspects: NoiseSuspect[] = [];
  // Where each suspect's own visit would have started, for `sparing`.
  const suspectVisits = new Map<Element, Visit>();
  const plainOf = (el: Element) => sizes.get(el)?.plain ?? 0;
  const holdsThePage = (el: Element) => {
    const n = plainOf(el);
    return n >= 300 && n > total * 0.5;
  };
  const gallery =
    measured.figcaptions >= MIN_GALLERY_FIGURES ? galleryFigures(root, plainOf) : new Set<Element>();
  const formulas = formulaWrappers(measured.maths);
  const inGallery = (el: Element) => {
    for (let p: Element | null = el; p; p = p.parent as Element | null) if (gallery.has(p)) return true;
    return false;
  };

  // Articles that hold text of their own, for telling a list of related posts (the story is
  // another article) from a live blog's entries (the story is the list).
  const textArticles: Element[] = [];
  for (const el of measured.articles) if (plainOf(el) >= 200) textArticles.push(el);
  // Asked only on pages of several text articles.
  const elsewhere = textArticles.length > 1 ? textArticlesElsewhere(textArticles, sizes) : () => false;

  // Inside a story's own <header> (in its <article> or <main>) only its standfirst is text:
  // kicker labels, bylines and dates beside the headline are short lines, and dropped.
  const isStandfirst = (el: Element) => {
    const size = sizes.get(el);
    return !!size && size.plain >= STANDFIRST_CHARS && size.plain >= size.chars * 0.7;
  };
  const visit = (
    el: Element,
    outer: Element | null,
    inHeader: boolean,
    later: Visit[],
    into: Verdicts,
    first: boolean,
  ) => {
    // Per the HTML spec, articles nested in an article are its comments or related entries;
    // several side by side, with the story in an article of its own, are a list of other posts.
    let nested = 0;
    if (outer && textArticles.length > 1) {
      for (const c of el.children) if (isElement(c) && c.name === 'article') nested++;
      if (nested >= 2 && !elsewhere(outer)) nested = 0;
    }
    // Words of a sentence: an inline element between text of its parent ("<a class=popup>").
    const inText = hasOwnText(el);
    for (const c of el.children) {
      if (!isElement(c) || into.has(c)) continue;
      const tag = c.name;
      if (NOISE_TAGS.has(tag) || (inHeader && !isStandfirst(c))) {
        into.add(c);
        continue;
      }
      const role = c.attribs.role;
      const name = noiseName(c);
      // A gallery page's captions are its text (but not their photo credits).
      const galleryItem = gallery.size > 0 && inGallery(c);
      const credit = galleryItem && tag !== 'figure' && tag !== 'figcaption' && hintsAny(c, CREDIT_WORDS);
      const storyHeader = tag === 'header' && (outer !== null || underMain(c, root));
      const chrome =
        (CHROME_TAGS.has(tag) && !storyHeader) ||
        (role !== undefined && CHROME_ROLES.has(role)) ||
        isHidden(c);
      let drop = chrome || name.noise !== 'none';
      if (drop && !chrome && name.noise === 'weak' && formulas.has(c)) drop = false;
      // A weak name does not cut words out of a sentence; a hidden one still does (screen-reader text).
      if (drop && !chrome && name.noise === 'weak' && !name.hidden && inText && !BLOCK_TAGS.has(tag))
        drop = false;
      // Its "caption"/"gallery" names and tags are what a gallery's text is made of.
      if (galleryItem) drop = credit || isHidden(c);
      // A caption is never body text, even when its class says "article-img".
      const figure = tag === 'figure' || tag === 'figcaption';
      if (drop && !figure && name.noise !== 'strong' && name.article && plainOf(c) >= 200) drop = false;
      // Dropped for what its name or wrapping tag says, not for what it holds.
      let named = drop && !figure && (name.noise !== 'none' || WRAPPER_TAGS.has(tag));
      if (tag === 'article' && nested >= 2) drop = true;
      if (drop && holdsThePage(c)) drop = false;
      // Captions however many: a gallery is dropped even when it outweighs the story.
      if ((tag === 'ul' || tag === 'ol') && isGallery(c)) drop = true;
      if (tag === 'article' && nested >= 2) named = false;
      if ((tag === 'ul' || tag === 'ol') && isGallery(c)) named = false;
      // Past the first element with text of its own (a paragraph), the filter stops: what is
      // inside a paragraph is its words.
      const next = (): Visit => [
        c,
        tag === 'article' ? c : outer,
        (storyHeader || inHeader) && !hasOwnText(c),
      ];
      if (drop && tag !== 'body' && tag !== 'html') {
        // Dropped on a name (or as a wrapping <form>/<header>) with much text of its own: the
        // article may be inside, which the container search can tell (see Noise).
        if (
          first &&
          collect &&
          named &&
          (!chrome || WRAPPER_TAGS.has(tag)) &&
          plainOf(c) >= RECHECK_PLAIN_CHARS &&
          !hintsAny(c, COMMENT_WORDS)
        ) {
          const only = textArticles.length === 1 ? textArticles[0]! : null;
          const overlay = only && hintsAny(c, OVERLAY_WORDS) && (only === c || isAncestorOf(c, only));
          const articlePlain = overlay ? plainOf(only) : 0;
          suspects.push({ el: c, plain: plainOf(c), articlePlain });
          suspectVisits.set(c, next());
        }
        into.add(c);
        continue;
      }
      later.push(next());
    }
  };
  // Depth-first with an explicit stack (a page nests as deep as it likes); each element's
  // verdict depends only on its own measures, so the order of visits does not matter.
  const filter = (start: Visit, into: Verdicts, first: boolean) => {
    const pending: Visit[] = [start];
    while (pending.length) {
      const [el, outer, inHeader] = pending.pop()!;
      visit(el, outer, inHeader, pending, into, first);
    }
  };
  filter([root, null, false], dropped, true);
  return {
    dropped,
    suspects,
    sparing(suspect) {
      const start = suspectVisits.get(suspect);
      if (!start) return dropped;
      // What its subtree drops, over the first verdicts (not a copy of them: they are many).
      const inside = new Set<Element>();
      filter(start, { has: (el) => inside.has(el) || dropped.has(el), add: (el) => inside.add(el) }, false);
      return { has: (el) => el !== suspect && (inside.has(el) || dropped.has(el)) };
    },
  };
}
