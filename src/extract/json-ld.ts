import type { CheerioAPI } from 'cheerio/slim';
import { textOf } from './dom.js';
import { indexPage, type PageIndex } from './page-index.js';

/** The fields of a schema.org Article we use, from the page's JSON-LD. */
export type ArticleLd = {
  headline: string | null;
  articleBody: string | null;
  datePublished: string | null;
  dateModified: string | null;
  authors: string[];
  inLanguage: string | null;
};

const ARTICLE_TYPES =
  /^(?:Article|NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BackgroundNewsArticle|ReviewNewsArticle|BlogPosting|LiveBlogPosting|Report|TechArticle|ScholarlyArticle|SocialMediaPosting)$/;

function typesOf(o: Record<string, unknown>): string[] {
  const t = o['@type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

/** JSON nests as deep as the page likes; real values are a level or two down. */
const MAX_VALUE_DEPTH = 8;

function str(v: unknown, depth = 0): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (depth > MAX_VALUE_DEPTH) return null;
  if (Array.isArray(v)) return str(v[0], depth + 1);
  if (v && typeof v === 'object' && '@value' in v)
    return str((v as { '@value': unknown })['@value'], depth + 1);
  return null;
}

function names(v: unknown, depth = 0): string[] {
  if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
  if (depth > MAX_VALUE_DEPTH) return [];
  if (Array.isArray(v)) return v.flatMap((x) => names(x, depth + 1));
  if (v && typeof v === 'object') return names((v as { name?: unknown }).name, depth + 1);
  return [];
}

/** Depth-first over arrays, @graph and nested objects; the first Article-typed object wins. */
function findArticle(v: unknown, depth = 0): Record<string, unknown> | null {
  if (depth > 6 || !v || typeof v !== 'object') return null;
  if (Array.isArray(v)) {
    for (const x of v) {
      const hit = findArticle(x, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  const o = v as Record<string, unknown>;
  if (typesOf(o).some((t) => ARTICLE_TYPES.test(t))) return o;
  for (const key of ['@graph', 'mainEntity', 'mainEntityOfPage', 'itemListElement']) {
    const hit = findArticle(o[key], depth + 1);
    if (hit) return hit;
  }
  return null;
}

function parseLoose(raw: string): unknown {
  const s = raw
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, '');
  try {
    return JSON.parse(s);
  } catch {
    // Raw newlines and tabs inside strings are the usual breakage in hand-made JSON-LD.
    try {
      return JSON.parse(s.replace(/[\u0000-\u001F]+/g, ' '));
    } catch {
      return null;
    }
  }
}

export function readArticleLd($: CheerioAPI, index?: PageIndex): ArticleLd | null {
  const scripts = (index ?? indexPage($.root()[0]!)).jsonLd;
  for (const el of scripts) {
    const data = parseLoose(el.children.map(textOf).join(''));
    const a = findArticle(data);
    if (!a) continue;
    return {
      headline: str(a.headline) ?? str(a.name),
      articleBody: str(a.articleBody) ?? str(a.text),
      datePublished: str(a.datePublished) ?? str(a.dateCreated),
      dateModified: str(a.dateModified),
      authors: names(a.author),
      inLanguage: str(a.inLanguage) ?? str(a.language),
    };
  }
  return null;
}
