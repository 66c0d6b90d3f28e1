import type { ArticleJob } from '../../src/queues/jobs.js';

/**
 * An articles-queue job for the page at `base + path`, as a feed poll would
 * enqueue it: id from the path unless given, an empty feed item unless given.
 */
export function articleJobAt(
  base: string,
  path: string,
  opts: { articleId?: string; outlet?: string; item?: Partial<ArticleJob['item']> } = {},
): ArticleJob {
  const url = `${base}${path}`;
  return {
    articleId: opts.articleId ?? path.replace(/\W/g, ''),
    url,
    canonicalUrl: url,
    feedId: 'f1',
    feedUrl: `${base}/feed.xml`,
    outlet: opts.outlet ?? 'Test',
    item: { title: '', published: null, contentHtml: null, summary: null, author: null, ...opts.item },
  };
}
