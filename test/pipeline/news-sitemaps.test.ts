import { describe, expect, it } from 'vitest';
import { checkFeed } from '../../src/cli/feeds.js';
import { pollFeed } from '../../src/pipeline/poll-feed.js';
import { withPipeline } from './with-pipeline.js';

/** A news sitemap, or an index of sitemaps, polled like a feed. */

const NS =
  'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"';
const url = (loc: string, title: string, date: string) =>
  `<url><loc>${loc}</loc><news:news><news:publication><news:name>La Rivière</news:name><news:language>fr</news:language></news:publication><news:publication_date>${date}</news:publication_date><news:title>${title}</news:title></news:news></url>`;

describe('news sitemaps as a source', () => {
  const fetched: string[] = [];
  const p = withPipeline('sitemaps', {
    serve: (req, res) => {
      const path = req.url ?? '/';
      fetched.push(path);
      const b = p.url;
      const bodies: Record<string, string> = {
        '/sitemap.xml': `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${[
          '/sitemap-pages.xml',
          '/sitemap-news.xml',
          '/sitemap-gone.xml',
          ...Array.from({ length: 20 }, (_, n) => `/sitemap-archive-${n}.xml`),
        ]
          .map((p) => `<sitemap><loc>${b}${p}</loc></sitemap>`)
          .join('')}</sitemapindex>`,
        '/sitemap-news.xml': `<urlset ${NS}>${url(`${b}/2026/03/02/crue.html`, 'Crue éclair', '2026-03-02T07:10:00+01:00')}${url(`${b}/2026/03/02/listes.html`, 'Les listes déposées', '2026-03-02')}</urlset>`,
        '/sitemap-pages.xml': `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${b}/contact</loc><lastmod>2025-01-01</lastmod></url></urlset>`,
      };
      const body = bodies[path];
      if (body === undefined && path.startsWith('/sitemap-archive-')) {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(`<urlset ${NS}></urlset>`);
        return;
      }
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/xml' });
      res.end(body ?? 'not found');
    },
  });

  it('an index is read one level down: news sitemaps first, at most 5, a missing one passed over', async () => {
    const r = await checkFeed(`${p.url}/sitemap.xml`, p.config());
    expect(r.error).toBeNull();
    expect(r.format).toBe('sitemap index');
    expect(r.items.map((i) => [i.title, i.link?.replace(p.url, ''), i.published, i.ingest])).toEqual([
      ['Crue éclair', '/2026/03/02/crue.html', '2026-03-02T06:10:00.000Z', 'page'],
      ['Les listes déposées', '/2026/03/02/listes.html', '2026-03-02T00:00:00.000Z', 'page'],
      ['', '/contact', '2025-01-01T00:00:00.000Z', 'page'],
    ]);
    const sitemapsRead = fetched.filter((p) => p !== '/sitemap.xml' && p.startsWith('/sitemap'));
    expect(sitemapsRead).toEqual([
      '/sitemap-news.xml',
      '/sitemap-pages.xml',
      '/sitemap-gone.xml',
      '/sitemap-archive-0.xml',
      '/sitemap-archive-1.xml',
    ]);
  });

  it('the feeds worker enqueues its articles like a feed', async () => {
    const result = await pollFeed(p.ctx, { feedId: 'riviere', url: `${p.url}/sitemap.xml` });
    expect(result).toMatchObject({ items: 3, enqueued: 3 });
    const jobs = await p.ctx.queues.articles.getJobs(['waiting'], 0, -1);
    expect(jobs.map((j) => j.data.item.title).sort()).toEqual(['', 'Crue éclair', 'Les listes déposées']);
  });
});
