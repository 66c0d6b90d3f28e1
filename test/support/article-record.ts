import type { ArticleRecord } from '../../src/store/articles.js';

/** A stored article's record as the articles stage writes it, for store tests. */
export function articleRecord(
  id: string,
  fetchedAt = new Date().toISOString(),
): Omit<ArticleRecord, 'cluster'> {
  return {
    id,
    url: `https://example.org/${id}`,
    canonicalUrl: `https://example.org/${id}`,
    feedId: 'f1',
    feedUrl: 'https://example.org/feed',
    outlet: 'Example',
    title: id,
    byline: '',
    publishedAt: fetchedAt,
    lang: 'en',
    agency: '',
    status: 'ok',
    reason: '',
    source: 'page',
    charset: 'utf-8',
    words: 3,
    fetchedAt,
    truncated: '',
  };
}
