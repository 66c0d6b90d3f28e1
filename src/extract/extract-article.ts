import * as cheerio from 'cheerio/slim';
import type { Element } from 'domhandler';
import { bylineAgency, creditAgency, datelineAgency, isPhotoCredit, readDateline } from './agency.js';
import { bodyText } from './body-text.js';
import { compileBoilerplate } from './boilerplate.js';
import { isAncestorOf } from './dom.js';
import { failedArticle } from './failed-article.js';
import { readArticleLd } from './json-ld.js';
import { guessLanguage } from './language.js';
import { findMainContent, type MainContent } from './main-content.js';
import { readMetadata, resolveDates } from './metadata.js';
import { indexPage } from './page-index.js';
import { readStateBody } from './script-state.js';
import { siteRuleFor } from './site-rules.js';
import { leanMarkup } from './strip-inert.js';
import { findNoise, findNoiseAndSuspects, type Noise } from './structural-noise.js';
import { textOutsideTeasers, withoutTeasers } from './teasers.js';
import { linearize, type Skipped, type TextBlock } from './text-blocks.js';
import { normalizeText, wordCount } from './text-normalize.js';
import type { ExtractedArticle, ExtractOptions } from './types.js';

/**
 * htmlparser2 instead of cheerio's default parse5: about seven times faster on real news
 * pages, and its recovery from broken markup is good enough for text extraction. So the
 * modules import `cheerio/slim` (htmlparser2 alone): the full entry also loads parse5,
 * undici and encoding-sniffer, which every extraction thread paid for at start-up.
 */
const PARSER: cheerio.CheerioOptions = { xml: { xmlMode: false, decodeEntities: true } };

/** Shorter than this, a body is a teaser or page chrome, not an article. */
const MIN_BODY_CHARS = 80;
/** Without any article markup, a page needs this much text to count as an article. */
const MIN_UNMARKED_BODY_CHARS = 250;

function selectAll($: cheerio.CheerioAPI, selector: string): Element[] {
  try {
    return $(selector).toArray() as Element[];
  } catch {
    // A broken selector in one site rule must not cost the article: generic detection still runs.
    return [];
  }
}

/** Blocks the site rule's body selector points at, or null when it finds nothing. */
function siteRuleBlocks(
  $: cheerio.CheerioAPI,
  selector: string | undefined,
  removed: Element[],
): TextBlock[] | null {
  if (!selector) return null;
  const roots = selectAll($, selector);
  const blocks = roots.flatMap((r) => linearize(r, findNoise(r, removed)));
  return blocks.length ? blocks : null;
}

/** Text of the JSON-LD articleBody, for pages that ship the article only there. */
function articleBodyBlocks(articleBody: string, owner: Element): TextBlock[] {
  const parts = articleBody.includes('\n') ? articleBody.split(/\n\s*\n|\n/) : [articleBody];
  return parts
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text, index) => ({
      text,
      linkChars: 0,
      outsideLinks: text,
      owner,
      heading: false,
      index,
      links: 0,
    }));
}

/** Page text this many times shorter than the articleBody it declares is a caption or a teaser of it. */
const STATE_BODY_RATIO = 3;

/**
 * The article lives in the page's script state (JSON-LD articleBody) when the visible
 * HTML holds nothing, or only a caption or teaser several times shorter than it: apps
 * that render the story in the browser ship the HTML of a shell.
 */
function shipsArticleInState(paragraphs: string[], articleBody: string): boolean {
  if (!paragraphs.length) return articleBody.length >= MIN_BODY_CHARS;
  const visible = wordCount(paragraphs.join(' '));
  return articleBody.length >= MIN_UNMARKED_BODY_CHARS && visible * STATE_BODY_RATIO < wordCount(articleBody);
}

/** Page text this long is an article in its own right: the app state is not read. */
const MAX_SHELL_CHARS = 2000;

function visibleIsShort(paragraphs: string[]): boolean {
  let n = 0;
  for (const p of paragraphs) n += p.length;
  return n < MAX_SHELL_CHARS;
}

/**
 * The main content's blocks. A class word never removes the article on its own: when an
 * element dropped on its name holds about as much text as what was found, the search runs
 * again with that element kept, and its answer wins if the article it picks is inside it
 * ("category-no-newsletter-rss", "o-section--has-ads", a Blogger "widget", an ASP.NET form).
 * When it holds the page's only <article>, and a story's worth of text in it, the page is
 * that story opened in an overlay (a "modal") over a stream of others: the search runs
 * inside it, however much text the stream behind has.
 */
function mainContent(
  body: Element,
  pageBlocks: TextBlock[],
  articleBody: string | null,
  removed: Element[],
  noise: Noise,
): { pageBlocks: TextBlock[]; blocks: TextBlock[] } {
  const overlay = noise.suspects.find((s) => s.articlePlain >= OVERLAY_STORY_CHARS);
  if (overlay) {
    const inside = findMainContent(
      linearize(overlay.el, findNoise(overlay.el, removed)),
      overlay.el,
      articleBody,
    );
    if (inside.blocks.length) return { pageBlocks, blocks: inside.blocks };
  }
  const first = findMainContent(withoutTeasers(pageBlocks, body), body, articleBody);
  let chars = 0;
  for (const b of first.blocks) chars += b.text.length;
  const suspect = noise.suspects
    .filter((s) => s.plain * RECHECK_RATIO >= chars)
    .sort((a, b) => b.plain - a.plain)[0];
  if (suspect && holdsText(suspect.el, noise.dropped, chars)) {
    const again = linearize(body, noise.sparing(suspect.el));
    const second = findMainContent(withoutTeasers(again, body), body, articleBody);
    const inside = second.containers.some((c) => c === suspect.el || isAncestorOf(suspect.el, c));
    if (inside) return { pageBlocks: again, blocks: second.blocks };
    if (extendsWithPart(first.blocks, second, suspect.el))
      return { pageBlocks: again, blocks: second.blocks };
  }
  return { pageBlocks, blocks: first.blocks };
}

/**
 * What a suspect holds outside teaser cards is text enough to be the article, or a part
 * of it: a grid of links to other stories ("related", "most-read") never is, however much
 * of their excerpts it shows, and is not worth a second search of the page. Read before
 * the filter looks inside it (`dropped` holds nothing under it): the noise inside counts too,
 * so it errs towards a second look.
 */
function holdsText(suspect: Element, dropped: Skipped, found: number): boolean {
  return textOutsideTeasers(linearize(suspect, dropped), suspect) * RECHECK_RATIO >= found;
}

/**
 * The second search kept everything the first found and took the dropped element in
 * beside it, and the element reads as a section of text, several paragraphs of prose: it
 * is a part of the article whose name sounds like a box ("more-features", a "tools"
 * chapter of a manual). A box of links, or an author's note of a paragraph or two, is not.
 */
function extendsWithPart(first: TextBlock[], second: MainContent, part: Element): boolean {
  if (!second.containers.some((c) => isAncestorOf(c, part))) return false;
  const owners = new Set(second.blocks.map((b) => b.owner));
  if (!first.every((b) => owners.has(b.owner))) return false;
  let chars = 0;
  let linkChars = 0;
  let paragraphs = 0;
  for (const b of second.blocks)
    if (b.owner === part || isAncestorOf(part, b.owner)) {
      chars += b.text.length;
      linkChars += b.linkChars;
      if (b.text.length >= PART_PARAGRAPH_CHARS && b.linkChars < b.text.length * 0.3) paragraphs++;
    }
  return paragraphs >= MIN_PART_PARAGRAPHS && linkChars < chars * 0.3;
}

/** A section of the article has this many paragraphs of this much text, at least. */
const MIN_PART_PARAGRAPHS = 3;
const PART_PARAGRAPH_CHARS = 80;

/** A dropped element with half the text of what was found, or more, may hold the article. */
const RECHECK_RATIO = 2;
/** Text of an <article> that makes it a story rather than a teaser or a box. */
const OVERLAY_STORY_CHARS = 500;

function extractOrThrow(
  html: string,
  opts: ExtractOptions,
  stripped: boolean,
  stateScript: string | null,
): ExtractedArticle {
  if (typeof html !== 'string') throw new Error('html is not a string');
  let lean = html;
  let state = stateScript;
  if (!stripped) {
    const markup = leanMarkup(html, opts.limits);
    lean = markup.html;
    state = markup.stateScript;
  }
  let $ = cheerio.load(lean, PARSER);
  let index = indexPage($.root()[0]!);
  // htmlparser2 builds no <body> for a bare fragment: give it one so every step has a root element.
  if (!index.body) {
    $ = cheerio.load(`<html><body>${lean}</body></html>`, PARSER);
    index = indexPage($.root()[0]!);
  }
  const ld = readArticleLd($, index);
  const meta = readMetadata($, ld, index, opts.url);
  const body = index.body;
  if (!body) return { ...failedArticle('extract: document has no body', 'empty'), title: meta.title };

  const rule = siteRuleFor(opts.url, opts.siteRules);
  const removed = (rule?.remove ?? []).flatMap((sel) => selectAll($, sel));
  const noise = findNoiseAndSuspects(body, removed);
  let pageBlocks = linearize(body, noise.dropped);
  let mainBlocks = siteRuleBlocks($, rule?.body, removed);
  if (!mainBlocks) {
    const found = mainContent(body, pageBlocks, ld?.articleBody ?? null, removed, noise);
    pageBlocks = found.pageBlocks;
    mainBlocks = found.blocks;
  }

  const boilerplate = compileBoilerplate(opts.boilerplate, opts.learnedBoilerplate);
  const ctx = { boilerplate, title: meta.title, byline: meta.byline };
  let extracted = bodyText(mainBlocks, ctx);
  const stateBody =
    ld?.articleBody ?? (state && visibleIsShort(extracted.paragraphs) ? readStateBody(state) : null);
  if (stateBody && shipsArticleInState(extracted.paragraphs, stateBody)) {
    const fromState = bodyText(articleBodyBlocks(stateBody, body), ctx);
    if (fromState.paragraphs.length) extracted = fromState;
  }
  const text = normalizeText(extracted.paragraphs.join('\n\n'));

  const lang = meta.declaredLang ?? guessLanguage(text);
  const { publishedAt, updatedAt } = resolveDates(meta, lang);
  const agency =
    (extracted.paragraphs[0] ? datelineAgency(extracted.paragraphs[0]) : null) ??
    extracted.creditedAgencies[0] ??
    (meta.byline ? bylineAgency(meta.byline) : null) ??
    pageCreditAgency(pageBlocks);

  const result: ExtractedArticle = {
    status: 'ok',
    title: meta.title,
    text,
    byline: meta.byline,
    publishedAt,
    updatedAt,
    lang,
    agency,
    dateline: extracted.paragraphs[0] ? readDateline(extracted.paragraphs[0]) : null,
  };
  const minChars = meta.articleEvidence ? MIN_BODY_CHARS : MIN_UNMARKED_BODY_CHARS;
  if (text.length < minChars) {
    return {
      ...result,
      status: 'empty',
      reason: `extract: no article body found (${wordCount(text)} words of text)`,
      text,
    };
  }
  return result;
}

/** A credit line anywhere on the page ("source : AFP" under the article), photo credits aside. */
function pageCreditAgency(blocks: TextBlock[]): string | null {
  for (const b of blocks) {
    if (b.text.length > 120 || isPhotoCredit(b.text)) continue;
    const a = creditAgency(b.text);
    if (a) return a;
  }
  return null;
}

/**
 * Main text and metadata of an article page. Never throws: an internal error becomes
 * status 'failed' with an "extract: …" reason; a page without a body is 'empty'.
 */
export function extractArticle(html: string, opts: ExtractOptions): ExtractedArticle {
  return extractLean(html, opts, false, null);
}

/**
 * extractArticle for callers that already cut scripts, styles and comments out (see
 * strip-inert.ts); they pass the app-state script they read before cutting (script-state.ts).
 */
export function extractLean(
  html: string,
  opts: ExtractOptions,
  stripped: boolean,
  stateScript: string | null,
): ExtractedArticle {
  try {
    return extractOrThrow(html, opts, stripped, stateScript);
  } catch (err) {
    return failedArticle(`extract: ${err instanceof Error ? err.message : String(err)}`);
  }
}
