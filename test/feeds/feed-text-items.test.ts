import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnce } from '../../src/app/run.js';
import { checkFeed } from '../../src/cli/feeds.js';
import { createLogger } from '../../src/log.js';
import { listClusters } from '../../src/store/cluster-read.js';
import { keysFor } from '../../src/store/keys.js';
import { startHttpServer } from '../support/http-server.js';
import { loopbackConfig } from '../support/loopback-config.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';

/**
 * Items without a link but with their whole text (agency and wire feeds do
 * this) are articles like any other: stored from the feed's text and
 * clustered with the copies other outlets publish as pages.
 */

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/feed-text/${name}`, import.meta.url), 'utf8').trim();
const paragraphs = (text: string) => text.split('\n').map((p) => `<p>${p}</p>`);
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const crue = fixture('dispatch-a.txt');
const greve = fixture('dispatch-b.txt');

function agencyFeed(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Agence Vallées Presse</title><link>https://agence.example/</link>
  <item>
    <title>Crue de la Sorgeline : 400 habitants évacués à Valmeran</title>
    <guid isPermaLink="false">tag:agence.example,2026:crue-sorgeline</guid>
    <pubDate>Tue, 03 Mar 2026 09:12:00 GMT</pubDate>
    <content:encoded><![CDATA[${paragraphs(crue).join('')}]]></content:encoded>
  </item>
  <item>
    <title>Grève des contrôleurs sur la Ligne Ouest</title>
    <pubDate>Tue, 03 Mar 2026 10:40:00 GMT</pubDate>
    <description>${escapeXml(paragraphs(greve).join(''))}</description>
  </item>
  <item>
    <title>Flash : conférence de presse à 15 h</title>
  </item>
</channel></rss>`;
}

function outletFeed(base: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Le Courrier des Trois-Cols</title><link>${base}/</link>
  <item><title>Valmeran sous les eaux</title><link>${base}/pages/valmeran-crue.html</link>
  <guid>${base}/pages/valmeran-crue.html</guid><pubDate>Tue, 03 Mar 2026 11:00:00 GMT</pubDate></item>
</channel></rss>`;
}

function outletPage(): string {
  const body = paragraphs(crue.replace('a annoncé la préfecture', 'a fait savoir la préfecture')).join('\n');
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Valmeran sous les eaux</title></head>
<body><header><nav><a href="/">Accueil</a></nav></header>
<article><h1>Valmeran sous les eaux</h1>${body}</article>
<footer>Le Courrier des Trois-Cols</footer></body></html>`;
}

function jsonOutlet(): string {
  // A short version of the strike dispatch, with no url: only its text.
  const short = paragraphs(greve).slice(0, 3).join('');
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Ouest Rail Info',
    items: [{ id: 'ori-2026-0303-greve', title: 'Ligne Ouest : grève de 48 heures', content_html: short }],
  });
}

describe('link-less items with text, through the real pipeline', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('feedtext');
  let server: Awaited<ReturnType<typeof startHttpServer>>;

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const routes: Record<string, [string, () => string]> = {
        '/agency.rss': ['application/rss+xml', agencyFeed],
        '/outlet.rss': ['application/rss+xml', () => outletFeed(server.url)],
        '/outlet.json': ['application/feed+json', jsonOutlet],
        '/pages/valmeran-crue.html': ['text/html; charset=utf-8', outletPage],
      };
      const route = path ? routes[path] : undefined;
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': route[0] });
      res.end(route[1]());
    });
  });
  afterAll(async () => {
    await server?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  const config = () => loopbackConfig(prefix, 8);

  it('`feeds check --json` lists every item in document order with how it is ingested', async () => {
    const r = await checkFeed(`${server.url}/agency.rss`, config());
    expect(r.ok).toBe(true);
    expect(r.items).toEqual([
      {
        title: 'Crue de la Sorgeline : 400 habitants évacués à Valmeran',
        link: null,
        guid: 'tag:agence.example,2026:crue-sorgeline',
        published: '2026-03-03T09:12:00.000Z',
        ingest: 'feed',
        reason: "no link: the feed's text is the article",
      },
      {
        title: 'Grève des contrôleurs sur la Ligne Ouest',
        link: null,
        guid: null,
        published: '2026-03-03T10:40:00.000Z',
        ingest: 'feed',
        reason: "no link: the feed's text is the article",
      },
      {
        title: 'Flash : conférence de presse à 15 h',
        link: null,
        guid: null,
        published: null,
        ingest: 'skip',
        reason: 'no link and no text',
      },
    ]);
  });

  it('stores them from the feed text and clusters them with the page and JSON copies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-feedtext-'));
    const list = join(dir, 'feeds.txt');
    await writeFile(
      list,
      ['agency.rss', 'outlet.rss', 'outlet.json'].map((f) => `${server.url}/${f}`).join('\n'),
    );
    const summary = await runOnce(config(), createLogger('silent'), {
      role: 'all',
      once: true,
      feedsList: list,
    });
    expect(summary).toMatchObject({ feeds: 3, items: 5, articlesStored: 4, clusters: 2, failures: 0 });

    const keys = keysFor(prefix);
    const clusters = await listClusters(redis, keys);
    const groups = clusters.map((c) => c.members.map((m) => m.title).sort()).sort();
    expect(groups).toEqual([
      ['Crue de la Sorgeline : 400 habitants évacués à Valmeran', 'Valmeran sous les eaux'],
      ['Grève des contrôleurs sur la Ligne Ouest', 'Ligne Ouest : grève de 48 heures'],
    ]);
    for (const c of clusters)
      for (const m of c.members) {
        const a = await redis.hgetall(keys.article(m.id));
        const fromFeed = !a.url?.endsWith('.html');
        expect(a.source).toBe(fromFeed ? 'feed' : 'page');
        if (fromFeed)
          expect(a.url).toMatch(new RegExp(`^${server.url}/(agency\\.rss|outlet\\.json)#item-[0-9a-f]{16}$`));
        expect((await redis.get(keys.articleBody(m.id)))?.length).toBeGreaterThan(400);
      }

    // A second poll of the same feeds adds nothing: the link-less items keep their ids.
    const again = await runOnce(config(), createLogger('silent'), {
      role: 'all',
      once: true,
      feedsList: list,
    });
    expect(again).toMatchObject({ articlesStored: 0, clusters: 2, failures: 0 });
  }, 60_000);
});
