/**
 * Find the parts of a page that are never article text: navigation, chrome, forms,
 * media, hidden nodes and blocks whose class/id names them as sharing, ads, cookies,
 * related links, comments… They are collected in a set and skipped later, so the
 * document itself is never mutated or re-parsed.
 */
import type { AnyNode, Element } from 'domhandler';
import { hintWords, isElement } from './dom.js';

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
  'math',
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

/** Whole words of class/id that name non-article parts, English and French. */
const NOISE_WORDS = new Set([
  // sharing and social
  'share',
  'shares',
  'sharing',
  'sharebar',
  'social',
  'socials',
  'partage',
  'partager',
  'reseaux',
  // newsletters, subscriptions, paywall prompts
  'newsletter',
  'newsletters',
  'subscribe',
  'subscription',
  'signup',
  'abonnement',
  'abonnez',
  'inscription',
  'popin',
  'popup',
  'modal',
  'overlay',
  // cookies and consent
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'cmp',
  'rgpd',
  // related / recommended links
  'related',
  'recommended',
  'recommendations',
  'recirc',
  'trending',
  'popular',
  'most',
  'more',
  'outbrain',
  'taboola',
  'lire',
  'aussi',
  'meme',
  'sujet',
  'readmore',
  'teaser',
  'teasers',
  // advertising and promotion
  'ad',
  'ads',
  'adv',
  'advert',
  'adverts',
  'advertisement',
  'advertising',
  'adslot',
  'dfp',
  'pub',
  'publicite',
  'sponsor',
  'sponsored',
  'promo',
  'promotion',
  'marketing',
  // comments
  'comment',
  'comments',
  'commentaire',
  'commentaires',
  'disqus',
  'reactions',
  // navigation and page chrome
  'breadcrumb',
  'breadcrumbs',
  'ariane',
  'sidebar',
  'footer',
  'nav',
  'navbar',
  'navigation',
  'menu',
  'masthead',
  'header',
  'toolbar',
  'tools',
  'outils',
  'print',
  'pagination',
  'pager',
  'skip',
  // article furniture that is not body text
  'byline',
  'author',
  'auteur',
  'signature',
  'caption',
  'legende',
  'tags',
  'keywords',
  'hidden',
  'hide',
  'invisible',
  'widget',
  'banner',
  'bandeau',
  'alert',
]);

/** Class fragments met glued to other words ("socialShareBar", "newsletterbox", "sr-only"). */
const NOISE_FRAGMENTS = [
  'share',
  'social',
  'newsletter',
  'cookie',
  'consent',
  'breadcrumb',
  'sidebar',
  'advert',
  'sponsor',
  'outbrain',
  'taboola',
  'disqus',
  'sr-only',
  'screen-reader',
  'visually-hidden',
  'visuallyhidden',
];

/**
 * Words that are never used for an article wrapper, unlike "sidebar", "hidden" or
 * "author", which also show up in wrapper names ("has-sidebar", "author-jane-doe").
 */
const STRONG_NOISE_WORDS = new Set([
  'share',
  'shares',
  'sharing',
  'sharebar',
  'social',
  'socials',
  'partage',
  'partager',
  'newsletter',
  'newsletters',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'cmp',
  'rgpd',
  'related',
  'recommended',
  'outbrain',
  'taboola',
  'comment',
  'comments',
  'commentaire',
  'commentaires',
  'disqus',
  'breadcrumb',
  'breadcrumbs',
  'ariane',
  'ad',
  'ads',
  'advert',
  'advertisement',
  'advertising',
  'dfp',
  'pub',
  'publicite',
  'sponsor',
  'sponsored',
  'promo',
]);

/** Words that name the article itself: with them, a weak noise word is a modifier ("article modal-enabled"). */
const ARTICLE_WORDS = new Set([
  'article',
  'articlebody',
  'body',
  'content',
  'contenu',
  'corps',
  'entry',
  'main',
  'post',
  'story',
  'text',
  'texte',
  'txt',
]);

type NoiseName = 'none' | 'weak' | 'strong';

/**
 * Words of an embedded post quoted in the article ("social-media-embed", "twitter-tweet"):
 * with them, the sharing words name the quoted network, not a share bar.
 */
const EMBED_WORDS = new Set(['embed', 'embedded', 'tweet', 'oembed']);
const SOCIAL_WORDS = new Set(['social', 'socials', 'share', 'shares', 'sharing']);

function noiseName(el: Element): { noise: NoiseName; article: boolean } {
  const words = hintWords(el);
  if (!words.length) return { noise: 'none', article: false };
  let noise: NoiseName = 'none';
  let article = false;
  const embed = words.some((w) => EMBED_WORDS.has(w));
  const post = words.includes('tweet');
  for (const w of words) {
    if (embed && SOCIAL_WORDS.has(w)) continue;
    // A quoted post's wrapper ("article-widget article-tweet") is named for what it holds, not as chrome.
    if (post && !STRONG_NOISE_WORDS.has(w)) continue;
    if (STRONG_NOISE_WORDS.has(w)) noise = 'strong';
    else if (noise === 'none' && NOISE_WORDS.has(w)) noise = 'weak';
    if (ARTICLE_WORDS.has(w)) article = true;
  }
  if (noise === 'none' && !embed) {
    const raw = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`.toLowerCase();
    if (NOISE_FRAGMENTS.some((f) => raw.includes(f))) noise = 'weak';
  }
  return { noise, article };
}

function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (a.hidden !== undefined || a['aria-hidden'] === 'true') return true;
  const style = a.style;
  return !!style && /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

type Size = { chars: number; plain: number };

/**
 * Visible characters of every element and how many of them are outside links ("plain"):
 * menus and link lists have almost no plain text, articles have most of the page's.
 */
function measureText(root: Element, sizes: Map<Element, Size>): Size {
  if (NOISE_TAGS.has(root.name)) return { chars: 0, plain: 0 };
  type Frame = { el: Element; link: boolean; size: Size; next: number };
  const stack: Frame[] = [{ el: root, link: root.name === 'a', size: { chars: 0, plain: 0 }, next: 0 }];
  // Post-order with an explicit stack: a page nests as deep as it likes.
  for (;;) {
    const f = stack[stack.length - 1]!;
    const c: AnyNode | undefined = f.el.children[f.next++];
    if (c === undefined) {
      stack.pop();
      sizes.set(f.el, f.size);
      const parent = stack[stack.length - 1];
      if (!parent) return f.size;
      parent.size.chars += f.size.chars;
      parent.size.plain += f.size.plain;
    } else if (c.type === 'text') {
      const n = c.data.trim().length;
      f.size.chars += n;
      if (!f.link) f.size.plain += n;
    } else if (isElement(c) && !NOISE_TAGS.has(c.name))
      stack.push({ el: c, link: f.link || c.name === 'a', size: { chars: 0, plain: 0 }, next: 0 });
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

/**
 * Elements to skip under `root`. Chrome tags, hidden flags and noise names do not drop
 * an element that holds most of the page's plain text: such names on a wrapper
 * ("layout has-sidebar", an ASP.NET <form>) say nothing about the article inside. A
 * weak noise word next to an article word ("article-body pagination-first") does not
 * drop a text-bearing element either.
 */
export function findNoise(root: Element, extraDropped: Iterable<Element> = []): Set<Element> {
  const sizes = new Map<Element, Size>();
  const total = measureText(root, sizes).plain;
  const dropped = new Set<Element>(extraDropped);
  const plainOf = (el: Element) => sizes.get(el)?.plain ?? 0;
  const holdsThePage = (el: Element) => {
    const n = plainOf(el);
    return n >= 300 && n > total * 0.5;
  };

  // Articles that hold text of their own, for telling a list of related posts (the story is
  // another article) from a live blog's entries (the story is the list).
  const textArticles: Element[] = [];
  for (const [el, size] of sizes) if (el.name === 'article' && size.plain >= 200) textArticles.push(el);
  const elsewhere = textArticlesElsewhere(textArticles, sizes);

  const visit = (el: Element, outer: Element | null, later: Array<[Element, Element | null]>) => {
    // Per the HTML spec, articles nested in an article are its comments or related entries;
    // several side by side, with the story in an article of its own, are a list of other posts.
    let nested = 0;
    if (outer && textArticles.length > 1) {
      for (const c of el.children) if (isElement(c) && c.name === 'article') nested++;
      if (nested >= 2 && !elsewhere(outer)) nested = 0;
    }
    for (const c of el.children) {
      if (!isElement(c) || dropped.has(c)) continue;
      const tag = c.name;
      if (NOISE_TAGS.has(tag)) {
        dropped.add(c);
        continue;
      }
      const role = c.attribs.role;
      const name = noiseName(c);
      const chrome = CHROME_TAGS.has(tag) || (role !== undefined && CHROME_ROLES.has(role)) || isHidden(c);
      let drop = chrome || name.noise !== 'none';
      // A caption is never body text, even when its class says "article-img".
      const figure = tag === 'figure' || tag === 'figcaption';
      if (drop && !figure && name.noise !== 'strong' && name.article && plainOf(c) >= 200) drop = false;
      if (tag === 'article' && nested >= 2) drop = true;
      if (drop && holdsThePage(c)) drop = false;
      if (drop && tag !== 'body' && tag !== 'html') {
        dropped.add(c);
        continue;
      }
      later.push([c, tag === 'article' ? c : outer]);
    }
  };
  // Depth-first with an explicit stack (a page nests as deep as it likes); each element's
  // verdict depends only on its own measures, so the order of visits does not matter.
  const pending: Array<[Element, Element | null]> = [[root, null]];
  while (pending.length) {
    const [el, outer] = pending.pop()!;
    visit(el, outer, pending);
  }
  return dropped;
}
