import type { CheerioAPI } from 'cheerio/slim';
import type { Element } from 'domhandler';
import { bestDate } from './dates.js';
import { textOf } from './dom.js';
import type { ArticleLd } from './json-ld.js';
import { primaryLanguage } from './language.js';
import { indexPage, type PageIndex } from './page-index.js';
import { collapseInline, matchKey, tidyLine, wordCount } from './text-normalize.js';

export type PageMetadata = {
  title: string | null;
  byline: string | null;
  /** Raw date strings, best source first; resolved once the language is known. */
  publishedCandidates: string[];
  updatedCandidates: string[];
  declaredLang: string | null;
  siteName: string | null;
  /** og:type / JSON-LD say this is an article. */
  articleEvidence: boolean;
};

/** `<meta>` content by lowercased name, property, itemprop or http-equiv; the first one wins. */
function readMetaTags(idx: PageIndex): Map<string, string> {
  const metas = new Map<string, string>();
  for (const el of idx.metas) {
    const a = el.attribs;
    const key = (a.property ?? a.name ?? a.itemprop ?? a['http-equiv'])?.trim().toLowerCase();
    const value = a.content?.trim();
    if (key && value && !metas.has(key)) metas.set(key, value);
  }
  return metas;
}

// Anchored at the start of a space run: otherwise every position inside a long run of
// no-break spaces would rescan the run, quadratic in its length.
const TITLE_SEPARATORS = /(?<!\s)\s+(?:[|–—·•-]|::)\s+/g;

/** Drop a " - Site" / " | Site" suffix (or "Site | " prefix) naming the site. */
export function stripSiteName(title: string, siteName: string | null): string {
  const t = tidyLine(title);
  const seps = [...t.matchAll(TITLE_SEPARATORS)];
  if (!seps.length) return t;
  const site = siteName ? matchKey(siteName) : '';
  const lastSep = seps[seps.length - 1]!;
  const head = t.slice(0, lastSep.index).trim();
  const tail = t.slice(lastSep.index + lastSep[0].length).trim();
  if (site && matchKey(tail) === site && head) return head;
  const firstSep = seps[0]!;
  const lead = t.slice(0, firstSep.index).trim();
  const rest = t.slice(firstSep.index + firstSep[0].length).trim();
  if (site && matchKey(lead) === site && rest) return rest;
  // Without a known site name, only a short "|" or long-dash suffix is taken for one.
  if (!site && /[|—–·•]/.test(lastSep[0]) && wordCount(tail) <= 5 && wordCount(head) >= 3) return head;
  return t;
}

/** A site name shared as a suffix by <title>: "Headline - Le Quotidien du Sud". */
function siteFromDocTitle(docTitle: string | null): string | null {
  if (!docTitle) return null;
  const seps = [...docTitle.matchAll(TITLE_SEPARATORS)];
  const last = seps[seps.length - 1];
  if (!last) return null;
  const tail = docTitle.slice(last.index + last[0].length).trim();
  return wordCount(tail) <= 5 && wordCount(docTitle.slice(0, last.index)) >= 3 ? tail : null;
}

/**
 * A first or last <title> segment that spells the page's host name is the site name
 * ("Le Courrier du Midi – Headline" on lecourrierdumidi.fr), on old pages that declare
 * no og:site_name and put the name first.
 */
function siteFromHost(docTitle: string | null, url: string | undefined): string | null {
  if (!docTitle || !url) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  const labels = host.replace(/^www\d*\./, '').split('.');
  const seps = [...docTitle.matchAll(TITLE_SEPARATORS)];
  if (!seps.length) return null;
  const first = docTitle.slice(0, seps[0]!.index).trim();
  const last = seps[seps.length - 1]!;
  const tail = docTitle.slice(last.index + last[0].length).trim();
  for (const seg of [first, tail]) {
    const glued = matchKey(seg).replace(/ /g, '');
    if (glued.length >= 4 && labels.some((l) => l.replace(/-/g, '') === glued)) return seg;
  }
  return null;
}

function firstText(els: Element[]): string | null {
  for (const el of els) {
    const t = tidyLine(textOf(el));
    if (t) return t;
  }
  return null;
}

/** The headline as the page shows it: og:title, JSON-LD, <h1>, then <title>, without the site name. */
function readTitle(
  idx: PageIndex,
  metas: Map<string, string>,
  ld: ArticleLd | null,
  siteName: string | null,
  url: string | undefined,
) {
  const h1 = firstText(idx.h1s);
  const docTitle = firstText(idx.titles);
  // A suffix shared by <title> and og:title is the site name even when og:site_name is missing.
  const site = siteName ?? siteFromHost(docTitle, url) ?? siteFromDocTitle(docTitle);
  for (const raw of [metas.get('og:title'), metas.get('twitter:title'), ld?.headline, h1, docTitle]) {
    if (!raw) continue;
    const t = stripSiteName(raw, site);
    if (t) return t;
  }
  return null;
}

function cleanByline(s: string | null | undefined): string | null {
  if (!s) return null;
  if (/^https?:\/\//i.test(s.trim())) return null;
  const t = collapseInline(s)
    .replace(/^(?:par|by|de|von|por|di)\s+/i, '')
    .replace(
      /(?<!\s)\s*[·|,–—-]\s*(?:publi|updated|mis à jour|le \d|\d{1,2}[/.]|\w+ \d{1,2}, \d{4})[\s\S]*$/i,
      '',
    )
    .trim();
  return t && t.length <= 200 ? t : null;
}

function readByline(idx: PageIndex, metas: Map<string, string>, ld: ArticleLd | null): string | null {
  const fromLd = ld?.authors.length ? ld.authors.join(', ') : null;
  for (const raw of [
    fromLd,
    metas.get('author'),
    metas.get('article:author'),
    metas.get('byline'),
    metas.get('byl'),
    metas.get('parsely-author'),
    metas.get('sailthru.author'),
    metas.get('dc.creator'),
  ]) {
    const b = cleanByline(raw);
    if (b) return b;
  }
  return cleanByline(firstText(idx.bylines));
}

function timeDatetimes(idx: PageIndex): string[] {
  const out: string[] = [];
  for (const el of idx.times) if (el.attribs.datetime) out.push(el.attribs.datetime);
  return out;
}

export function readMetadata(
  $: CheerioAPI,
  ld: ArticleLd | null,
  index?: PageIndex,
  url?: string,
): PageMetadata {
  const idx = index ?? indexPage($.root()[0]!);
  const metas = readMetaTags(idx);
  const siteName = metas.get('og:site_name') ?? null;
  const htmlLang = idx.html?.attribs.lang ?? idx.html?.attribs['xml:lang'];
  const declaredLang =
    primaryLanguage(htmlLang) ??
    primaryLanguage(metas.get('og:locale')) ??
    primaryLanguage(ld?.inLanguage) ??
    primaryLanguage(metas.get('content-language')) ??
    primaryLanguage(metas.get('dc.language'));
  const itempropPublished = idx.itempropPublished?.attribs.content ?? idx.itempropPublished?.attribs.datetime;
  const itempropModified = idx.itempropModified?.attribs.content ?? idx.itempropModified?.attribs.datetime;
  const publishedCandidates = [
    ld?.datePublished,
    metas.get('article:published_time'),
    itempropPublished,
    metas.get('og:published_time'),
    metas.get('parsely-pub-date'),
    metas.get('sailthru.date'),
    metas.get('publish-date'),
    metas.get('pubdate'),
    metas.get('date'),
    metas.get('dc.date.issued'),
    metas.get('dc.date'),
    ...timeDatetimes(idx),
  ].filter((x): x is string => !!x);
  const updatedCandidates = [
    ld?.dateModified,
    metas.get('article:modified_time'),
    itempropModified,
    metas.get('og:updated_time'),
    metas.get('last-modified'),
  ].filter((x): x is string => !!x);
  const ogType = metas.get('og:type');
  return {
    title: readTitle(idx, metas, ld, siteName, url),
    byline: readByline(idx, metas, ld),
    publishedCandidates,
    updatedCandidates,
    declaredLang,
    siteName,
    articleEvidence: !!ld || ogType === 'article' || publishedCandidates.length > 0 || idx.hasArticleMarkup,
  };
}

/** Zone for times printed without an offset: Paris for French pages, UTC otherwise. */
export function timeZoneFor(lang: string | null): string {
  return lang === 'fr' ? 'Europe/Paris' : 'UTC';
}

export function resolveDates(meta: PageMetadata, lang: string | null) {
  const tz = timeZoneFor(lang);
  return {
    publishedAt: bestDate(meta.publishedCandidates, tz),
    updatedAt: bestDate(meta.updatedCandidates, tz),
  };
}
