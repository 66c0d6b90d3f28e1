import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { bylineAgency, creditAgency, datelineAgency, isPhotoCredit, readDateline } from './agency.js';
import { bodyText } from './body-text.js';
import { compileBoilerplate } from './boilerplate.js';
import { readArticleLd } from './json-ld.js';
import { guessLanguage } from './language.js';
import { findMainContent } from './main-content.js';
import { readMetadata, resolveDates } from './metadata.js';
import { indexPage } from './page-index.js';
import { siteRuleFor } from './site-rules.js';
import { stripInert } from './strip-inert.js';
import { findNoise } from './structural-noise.js';
import { withoutTeasers } from './teasers.js';
import { linearize, type TextBlock } from './text-blocks.js';
import { normalizeText, wordCount } from './text-normalize.js';
import type { ExtractedArticle, ExtractOptions } from './types.js';

/**
 * htmlparser2 instead of cheerio's default parse5: about seven times faster on real news
 * pages, and its recovery from broken markup is good enough for text extraction.
 */
const PARSER: cheerio.CheerioOptions = { xml: { xmlMode: false, decodeEntities: true } };

/** Shorter than this, a body is a teaser or page chrome, not an article. */
const MIN_BODY_CHARS = 80;
/** Without any article markup, a page needs this much text to count as an article. */
const MIN_UNMARKED_BODY_CHARS = 250;

function emptyArticle(status: ExtractedArticle['status'], reason: string): ExtractedArticle {
  return {
    status,
    reason,
    title: null,
    text: '',
    byline: null,
    publishedAt: null,
    updatedAt: null,
    lang: null,
    agency: null,
  };
}

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

function extractOrThrow(html: string, opts: ExtractOptions, stripped: boolean): ExtractedArticle {
  if (typeof html !== 'string') throw new Error('html is not a string');
  const lean = stripped ? html : stripInert(html, opts.limits);
  let $ = cheerio.load(lean, PARSER);
  let index = indexPage($.root()[0]!);
  // htmlparser2 builds no <body> for a bare fragment: give it one so every step has a root element.
  if (!index.body) {
    $ = cheerio.load(`<html><body>${lean}</body></html>`, PARSER);
    index = indexPage($.root()[0]!);
  }
  const ld = readArticleLd($, index);
  const meta = readMetadata($, ld, index);
  const body = index.body;
  if (!body) return { ...emptyArticle('empty', 'extract: document has no body'), title: meta.title };

  const rule = siteRuleFor(opts.url, opts.siteRules);
  const removed = (rule?.remove ?? []).flatMap((sel) => selectAll($, sel));
  const noise = findNoise(body, removed);
  const pageBlocks = linearize(body, noise);
  const articleBlocks = withoutTeasers(pageBlocks, body);
  const mainBlocks =
    siteRuleBlocks($, rule?.body, removed) ??
    findMainContent(articleBlocks, body, ld?.articleBody ?? null).blocks;

  const boilerplate = compileBoilerplate(opts.boilerplate, opts.learnedBoilerplate);
  const ctx = { boilerplate, title: meta.title, byline: meta.byline };
  let extracted = bodyText(mainBlocks, ctx);
  if (!extracted.paragraphs.length && ld?.articleBody && ld.articleBody.length >= MIN_BODY_CHARS) {
    extracted = bodyText(articleBodyBlocks(ld.articleBody, body), ctx);
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
  return extractLean(html, opts, false);
}

/** extractArticle for callers that already cut scripts, styles and comments out (see strip-inert.ts). */
export function extractLean(html: string, opts: ExtractOptions, stripped: boolean): ExtractedArticle {
  try {
    return extractOrThrow(html, opts, stripped);
  } catch (err) {
    return emptyArticle('failed', `extract: ${err instanceof Error ? err.message : String(err)}`);
  }
}
