import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchAndParseFeed } from '../../src/feeds/fetch-and-parse-feed.js';
import { FeedParseError } from '../../src/feeds/parse-feed.js';
import { DEFAULT_NETWORK_POLICY } from '../../src/net/address-policy.js';
import type { FetchOptions } from '../../src/net/fetch.js';
import { FetchError } from '../../src/net/fetch-error.js';
import { startHttpServer } from '../support/http-server.js';

const RSS = `<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Écho</title><link>/</link>
<item><title>Été précoce</title><link>/articles/ete.html</link><guid>ete-1</guid></item>
</channel></rss>`;

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/feed.xml': (req, res) => {
    if (req.headers['if-none-match'] === '"f1"') {
      res.writeHead(304, { etag: '"f1"' });
      return res.end();
    }
    res.writeHead(200, {
      'content-type': 'application/rss+xml',
      'content-encoding': 'gzip',
      etag: '"f1"',
      'last-modified': 'Tue, 14 Oct 2025 06:30:00 GMT',
    });
    res.end(gzipSync(iconv.encode(RSS, 'latin1')));
  },
  '/old-feed': (_req, res) => {
    res.writeHead(301, { location: '/moved/feed.xml' });
    res.end();
  },
  '/moved/feed.xml': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/xml; charset=iso-8859-1' });
    res.end(iconv.encode(RSS.replace('<link>/articles/ete.html</link>', '<link>ete.html</link>'), 'latin1'));
  },
  '/page.html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><html><head><title>Accueil</title></head><body>Bienvenue</body></html>');
  },
  '/feed-as-html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(iconv.encode(RSS, 'latin1'));
  },
  '/logo.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.alloc(64));
  },
  '/doc.pdf': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pdf' });
    res.end(Buffer.alloc(64));
  },
};

let server: Awaited<ReturnType<typeof startHttpServer>>;
const opts = (o: Partial<FetchOptions> = {}): FetchOptions => ({
  timeoutMs: 2000,
  maxBytes: 1024 * 1024,
  maxRedirects: 3,
  userAgent: 'wiresift-test',
  policy: { allowPrivateNetworks: true, allowHosts: [] },
  ...o,
});

beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) return route(req, res);
    res.writeHead(404);
    res.end();
  });
});
afterAll(async () => {
  await server.close();
});

describe('fetchAndParseFeed', () => {
  it('fetches, gunzips, decodes Latin-1 and parses a feed', async () => {
    const r = await fetchAndParseFeed(`${server.url}/feed.xml`, opts());
    expect(r.notModified).toBe(false);
    expect(r.etag).toBe('"f1"');
    expect(r.lastModified).toBe('Tue, 14 Oct 2025 06:30:00 GMT');
    expect(r.finalUrl).toBe(`${server.url}/feed.xml`);
    expect(r.feed?.title).toBe('Écho');
    expect(r.feed?.items).toEqual([
      expect.objectContaining({
        title: 'Été précoce',
        link: `${server.url}/articles/ete.html`,
        guid: 'ete-1',
      }),
    ]);
  });

  it('returns notModified on a conditional hit', async () => {
    const r = await fetchAndParseFeed(`${server.url}/feed.xml`, opts({ etag: '"f1"' }));
    expect(r).toEqual({ notModified: true, feed: null, etag: '"f1"', finalUrl: `${server.url}/feed.xml` });
  });

  it('resolves relative links against the final URL after a redirect', async () => {
    const r = await fetchAndParseFeed(`${server.url}/old-feed`, opts());
    expect(r.finalUrl).toBe(`${server.url}/moved/feed.xml`);
    expect(r.feed?.items[0]?.link).toBe(`${server.url}/moved/ete.html`);
  });

  it('says so when the URL is an HTML page', async () => {
    await expect(fetchAndParseFeed(`${server.url}/page.html`, opts())).rejects.toThrow(
      new FeedParseError('this resource is an HTML page, not a feed'),
    );
  });

  it('still parses a real feed mislabelled text/html', async () => {
    const r = await fetchAndParseFeed(`${server.url}/feed-as-html`, opts());
    expect(r.feed?.items).toHaveLength(1);
  });

  it.each(['/logo.png', '/doc.pdf'])('refuses %s by content type', async (p) => {
    const err = await fetchAndParseFeed(`${server.url}${p}`, opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('bad_content_type');
  });

  it('goes through the SSRF guard', async () => {
    const err = await fetchAndParseFeed(
      `${server.url}/feed.xml`,
      opts({ policy: DEFAULT_NETWORK_POLICY }),
    ).catch((e: unknown) => e);
    expect((err as FetchError).code).toBe('ssrf_blocked');
  });
});
