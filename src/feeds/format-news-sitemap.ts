import { firstDate } from './feed-dates.js';
import { decideIngest, type ItemDraft, resolvedUrl, resolveLink } from './feed-item.js';
import { collapseSpace } from './feed-text.js';
import type { ParsedFeed } from './feed-types.js';
import { firstChild, NS, textOf, type XmlElement } from './xml-tree.js';

/**
 * Sitemaps as a source (sitemaps.org 0.9 with Google's news extension):
 * a `<urlset>` lists articles, `<url><loc>` with `news:news/news:title` and
 * `news:publication_date`; a `<sitemapindex>` lists sitemaps, which the
 * loader fetches in turn (fetch-and-parse-feed.ts). Outlets publish these for search
 * engines, often before their RSS.
 */

// Sitemaps are written with and without their namespace.
const SITEMAP = [NS.sitemap, ''];

function sitemapChild(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find(
    (c): c is XmlElement => typeof c !== 'string' && c.local === local && SITEMAP.includes(c.ns),
  );
}

function sitemapChildren(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter(
    (c): c is XmlElement => typeof c !== 'string' && c.local === local && SITEMAP.includes(c.ns),
  );
}

function draft(url: XmlElement): ItemDraft {
  const loc = sitemapChild(url, 'loc');
  const r = resolveLink(textOf(loc), loc?.base ?? url.base);
  const news = firstChild(url, [NS.news], 'news');
  const title = news ? collapseSpace(textOf(firstChild(news, [NS.news], 'title'))) : '';
  const link = r && 'url' in r ? r.url : null;
  return {
    title,
    link,
    ...(!link ? { linkProblem: r && 'problem' in r ? r.problem : 'no <loc>' } : {}),
    guid: link,
    published: firstDate(
      news ? textOf(firstChild(news, [NS.news], 'publication_date')) : '',
      textOf(sitemapChild(url, 'lastmod')),
    ),
    contentHtml: null,
    summary: null,
    author: null,
  };
}

export function parseSitemap(root: XmlElement): ParsedFeed {
  if (root.local === 'sitemapindex') {
    const sitemaps = sitemapChildren(root, 'sitemap')
      .map((s) => {
        const loc = sitemapChild(s, 'loc');
        return resolvedUrl(textOf(loc), loc?.base ?? s.base);
      })
      .filter((u): u is string => u !== null);
    return {
      title: '',
      link: null,
      items: [],
      format: 'sitemap',
      version: 'sitemap index',
      hubs: [],
      sitemaps,
    };
  }
  const urls = sitemapChildren(root, 'url');
  const isNews = urls.some((u) => firstChild(u, [NS.news], 'news'));
  const first = urls.map((u) => firstChild(u, [NS.news], 'news')).find(Boolean);
  const publication = first && firstChild(first, [NS.news], 'publication');
  return {
    title: publication ? collapseSpace(textOf(firstChild(publication, [NS.news], 'name'))) : '',
    link: null,
    items: decideIngest(urls.map(draft)),
    format: 'sitemap',
    version: isNews ? 'news sitemap' : 'sitemap',
    hubs: [],
  };
}
