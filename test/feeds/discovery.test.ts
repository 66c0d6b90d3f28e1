import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFeed, feedsCommand } from '../../src/cli/feeds.js';
import { feedLinksOf } from '../../src/feeds/discover-feeds.js';
import { activeFeeds } from '../../src/pipeline/feed-registry.js';
import { keysFor } from '../../src/store/keys.js';
import { startHttpServer } from '../support/http-server.js';
import { loopbackConfig } from '../support/loopback-config.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';

/** `feeds check URL` / `feeds add URL` given a site or article page find its feed. */

const rss = (title: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><item><title>Une</title><link>https://site.example/une</link></item></channel></rss>`;
const html = (head: string) =>
  `<!DOCTYPE html><html><head><title>Page</title>${head}</head><body><p>Un article.</p></body></html>`;

describe('feedLinksOf', () => {
  it('reads the alternate links of feed types, in order, against <base href>', () => {
    const page = html(
      `<link rel="stylesheet" href="/s.css"><base href="https://cdn.example/sub/">
       <LINK REL="alternate" TYPE="application/rss+xml" HREF="rss.xml" title="RSS">
       <link type="application/atom+xml" rel="alternate feed" href="/atom?x=1&amp;y=2">
       <link rel="alternate" type="application/feed+json" href="https://site.example/feed.json">
       <link rel="alternate" hreflang="en" href="/en/">
       <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">`,
    );
    expect(feedLinksOf(page, 'https://site.example/article/1')).toEqual([
      'https://cdn.example/sub/rss.xml',
      'https://cdn.example/atom?x=1&y=2',
      'https://site.example/feed.json',
    ]);
  });

  it('is linear on a page of unclosed tags', () => {
    const started = performance.now();
    expect(feedLinksOf('<link '.repeat(100_000), 'https://a.example/')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('discovery through feeds check and feeds add', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('discover');
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  const hits: string[] = [];
  const config = () => loopbackConfig(prefix);

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      const path = req.url ?? '/';
      hits.push(path);
      const routes: Record<string, [number, string, string]> = {
        '/article': [
          200,
          'text/html; charset=utf-8',
          html(
            '<link rel="alternate" type="application/rss+xml" href="/broken.rss"><link rel="alternate" type="application/rss+xml" href="/news.rss">',
          ),
        ],
        '/news.rss': [200, 'application/rss+xml', rss('Les nouvelles')],
        '/broken.rss': [404, 'text/plain', 'gone'],
        '/json-site/': [
          200,
          'text/html',
          html('<link rel="alternate" type="application/feed+json" href="feed.json">'),
        ],
        '/json-site/feed.json': [
          200,
          'application/feed+json',
          JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Fil JSON', items: [] }),
        ],
        '/plain/page': [200, 'text/html', html('')],
        '/rss.xml': [200, 'text/xml', rss('Au chemin habituel')],
        '/down.xml': [503, 'text/plain', 'busy'],
        '/list.opml': [200, 'text/xml', '<opml version="2.0"><body/></opml>'],
      };
      const [status, type, body] = routes[path] ?? [404, 'text/plain', 'not found'];
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  });
  afterAll(async () => {
    await server?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('a feed URL is read as is', async () => {
    const r = await checkFeed(`${server.url}/news.rss`, config());
    expect(r).toMatchObject({ ok: true, feed: `${server.url}/news.rss`, title: 'Les nouvelles' });
    expect(r.discovered).toBeUndefined();
  });

  it('an article page leads to the first of its alternate links that is a feed', async () => {
    const r = await checkFeed(`${server.url}/article`, config());
    expect(r).toMatchObject({ ok: true, feed: `${server.url}/news.rss`, title: 'Les nouvelles' });
    expect(r.discovered).toMatchObject({ from: `${server.url}/article`, how: 'link' });
    expect(
      r.discovered?.tried.map((t) => [t.url.replace(server.url, ''), t.error?.slice(0, 20) ?? 'ok']),
    ).toEqual([
      ['/article', 'feeds: this resource'],
      ['/broken.rss', expect.stringMatching(/^net: /)],
      ['/news.rss', 'ok'],
    ]);
  });

  it('a JSON Feed link, relative to the page', async () => {
    const r = await checkFeed(`${server.url}/json-site/`, config());
    expect(r).toMatchObject({ ok: true, feed: `${server.url}/json-site/feed.json`, format: 'json feed 1.1' });
  });

  it('a page without links: the common paths of its site', async () => {
    const r = await checkFeed(`${server.url}/plain/page`, config());
    expect(r).toMatchObject({ ok: true, feed: `${server.url}/rss.xml`, title: 'Au chemin habituel' });
    expect(r.discovered?.how).toBe('path');
    expect(r.discovered?.tried.map((t) => t.url.replace(server.url, ''))).toEqual([
      '/plain/page',
      '/feed',
      '/rss',
      '/rss.xml',
    ]);
  });

  it('`feeds add` stores the feed a page leads to, and says which', async () => {
    const lines: string[] = [];
    expect(
      await feedsCommand('add', [`${server.url}/article`], { json: false }, config(), (s) => lines.push(s)),
    ).toBe(0);
    expect(lines[0]).toBe(
      `${server.url}/article is a page; using the feed ${server.url}/news.rss (found through its <link rel="alternate">, 3 URLs tried)`,
    );
    expect(lines[1]).toBe('Les nouvelles (rss 2.0): 1 items');
    const feeds = await activeFeeds(redis, keysFor(prefix), config());
    expect(feeds.filter((f) => f.origin === 'added').map((f) => f.url)).toContain(`${server.url}/news.rss`);
  });

  it('`feeds add` warns on 4xx/5xx and on a page that is not a feed, and adds it anyway', async () => {
    const lines: string[] = [];
    await feedsCommand('add', [`${server.url}/down.xml`], { json: true }, config(), (s) => lines.push(s));
    expect(JSON.parse(lines[0] ?? '{}').warning).toMatch(
      /^the feed answered HTTP 503 \(net: .*\); added anyway/,
    );
    lines.length = 0;
    await feedsCommand('add', [`${server.url}/list.opml`], { json: true }, config(), (s) => lines.push(s));
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      url: `${server.url}/list.opml`,
      warning: expect.stringMatching(/^this is not a feed \(feeds: root element <opml> is not RSS/),
    });
    const feeds = await activeFeeds(redis, keysFor(prefix), config());
    expect(feeds.map((f) => f.url)).toEqual(
      expect.arrayContaining([`${server.url}/down.xml`, `${server.url}/list.opml`]),
    );
  });
});
