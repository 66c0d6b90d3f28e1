/**
 * One walk over the document collecting every element metadata reading needs. A CSS
 * selector walks the whole tree once per query; the dozen queries metadata makes cost
 * more than the rest of extraction on a large page.
 */
import type { Document, Element } from 'domhandler';
import { walkElements } from './dom.js';
import { BYLINE_WORDS } from './hint-words.js';

export type PageIndex = {
  html: Element | null;
  body: Element | null;
  metas: Element[];
  titles: Element[];
  h1s: Element[];
  /** `<time datetime>` elements, document order. */
  times: Element[];
  /** Elements the byline selector of readability-like extractors would match, document order. */
  bylines: Element[];
  /** First element with itemprop="datePublished" / "dateModified". */
  itempropPublished: Element | null;
  itempropModified: Element | null;
  /** `<script type="application/ld+json">` elements. */
  jsonLd: Element[];
  /** An `<article>` or itemprop="articleBody" element exists. */
  hasArticleMarkup: boolean;
};

function hasClassWord(cls: string | undefined): boolean {
  if (!cls) return false;
  for (const w of cls.split(/\s+/)) if (BYLINE_WORDS.has(w)) return true;
  return false;
}

export function indexPage(root: Document | Element): PageIndex {
  const idx: PageIndex = {
    html: null,
    body: null,
    metas: [],
    titles: [],
    h1s: [],
    times: [],
    bylines: [],
    itempropPublished: null,
    itempropModified: null,
    jsonLd: [],
    hasArticleMarkup: false,
  };
  walkElements(root, false, (el, inAuthor) => {
    const a = el.attribs;
    switch (el.name) {
      case 'html':
        idx.html ??= el;
        break;
      case 'body':
        idx.body ??= el;
        break;
      case 'meta':
        idx.metas.push(el);
        break;
      case 'title':
        idx.titles.push(el);
        break;
      case 'h1':
        idx.h1s.push(el);
        break;
      case 'time':
        if (a.datetime !== undefined) idx.times.push(el);
        break;
      case 'article':
        idx.hasArticleMarkup = true;
        break;
      case 'script':
        if (a.type?.trim().toLowerCase() === 'application/ld+json') idx.jsonLd.push(el);
        return undefined;
      case 'style':
        return undefined;
    }
    const itemprop = a.itemprop;
    if (itemprop === 'articleBody') idx.hasArticleMarkup = true;
    else if (itemprop === 'datePublished') idx.itempropPublished ??= el;
    else if (itemprop === 'dateModified') idx.itempropModified ??= el;
    const isAuthor = itemprop === 'author';
    if (isAuthor || (inAuthor && itemprop === 'name') || a.rel === 'author' || hasClassWord(a.class))
      idx.bylines.push(el);
    return inAuthor || isAuthor;
  });
  return idx;
}
