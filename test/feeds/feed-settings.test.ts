import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { runOnce } from '../../src/app/run.js';
import { feedsCommand } from '../../src/cli/feeds.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { feedIdFor } from '../../src/feeds/feed-id.js';
import { createLogger } from '../../src/log.js';
import { pollFeed } from '../../src/pipeline/poll-feed.js';
import { keysFor } from '../../src/store/keys.js';
import { startHttpServer } from '../support/http-server.js';
import { loopbackConfig } from '../support/loopback-config.js';
import { connectTestRedis, dropPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

/** Per-feed settings: in the config file and as `feeds add` flags, honoured by the worker. */

const story = Array.from(
  { length: 6 },
  (_, n) =>
    `Le conseil départemental a voté jeudi le plan de rénovation des collèges, paragraphe ${n + 1} : ` +
    'douze établissements seront rénovés en quatre ans, pour un coût total de quatre-vingts millions.',
);
const comments = Array.from(
  { length: 30 },
  (_, n) =>
    `Commentaire ${n + 1} d'un lecteur qui donne longuement son avis sur la question des collèges, ` +
    'les transports scolaires, la cantine et le stationnement devant les grilles le matin.',
);

function page(): string {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Collèges</title></head><body>
<div class="story"><h1>Plan collèges</h1>${story.map((p) => `<p>${p}</p>`).join('')}</div>
<article class="comments">${comments.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
}

function rss(base: string, items: string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Fil</title><link>${base}/</link>${items.join('')}</channel></rss>`;
}

describe('per-feed settings', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('feedset');
  const userAgents: string[] = [];
  let server: Awaited<ReturnType<typeof startHttpServer>>;

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      userAgents.push(`${path} ${req.headers['user-agent']}`);
      if (path === '/cyrillic.xml') {
        // windows-1251 bytes under a latin-1 declaration: detection alone reads mojibake.
        const xml = `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Вести</title><item><title>Новости дня</title><link>${server.url}/p/1</link></item></channel></rss>`;
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(iconv.encode(xml, 'windows-1251'));
      } else if (path === '/slow.xml') {
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/rss+xml' });
          res.end(rss(server.url, []));
        }, 1500);
      } else if (path === '/text.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(
          rss(server.url, [
            `<item><title>Avec texte</title><link>${server.url}/p/text</link><description>Un texte complet ici.</description></item>`,
            `<item><title>Sans texte</title><link>${server.url}/p/bare</link></item>`,
          ]),
        );
      } else if (path === '/with-selector.xml' || path === '/without-selector.xml') {
        const which = path.startsWith('/with-') ? 'a' : 'b';
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(
          rss(server.url, [
            `<item><title>Collèges ${which}</title><link>${server.url}/pages/${which}.html</link></item>`,
          ]),
        );
      } else if (path.startsWith('/pages/')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page());
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  afterAll(async () => {
    await server?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  const config = () => loopbackConfig(prefix);

  it('are validated with the config, naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wiresift-feedset-'));
    try {
      const file = join(dir, 'c.yaml');
      const env = { REDIS_URL: testRedisUrl() };
      writeFileSync(file, 'feeds:\n  - url: https://a.example/rss\n    charset: x-klingon\n');
      expect(() => loadConfig({ file, env })).toThrow(/feeds\.0\.charset: is not a charset/);
      writeFileSync(file, 'feeds:\n  - url: https://a.example/rss\n    timeoutMs: 999999\n');
      expect(() => loadConfig({ file, env })).toThrow(
        /feeds\.0\.timeoutMs: must be below net\.politeness\.leaseMs/,
      );
      writeFileSync(file, 'feeds:\n  - url: https://a.example/rss\n    fetchPages: "no"\n');
      expect(() => loadConfig({ file, env })).toThrow(ConfigError);
      writeFileSync(
        file,
        'feeds:\n  - url: https://a.example/rss\n    name: A\n    intervalSeconds: 60\n    timeoutMs: 5000\n    charset: windows-1251\n    userAgent: "Bot/1"\n    fetchPages: false\n    bodySelector: ".story"\n',
      );
      expect(loadConfig({ file, env }).feeds[0]).toMatchObject({
        charset: 'windows-1251',
        fetchPages: false,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('charset, user agent and timeout reach the feed fetch; fetchPages false trusts the feed text', async () => {
    const ctx = createContext(config(), createLogger('silent'));
    try {
      const url = (p: string) => `${server.url}${p}`;
      await pollFeed(ctx, {
        feedId: 'cyr',
        url: url('/cyrillic.xml'),
        settings: { charset: 'windows-1251', userAgent: 'PlateauBot/2.0' },
      });
      const cyr = (await ctx.queues.articles.getJobs(['waiting'], 0, -1)).filter(
        (j) => j.data.feedId === 'cyr',
      );
      expect(cyr.map((j) => [j.data.item.title, j.data.outlet])).toEqual([['Новости дня', 'Вести']]);
      expect(userAgents).toContain('/cyrillic.xml PlateauBot/2.0');
      expect(cyr[0]?.data.page).toEqual({ userAgent: 'PlateauBot/2.0' });

      await expect(
        pollFeed(ctx, { feedId: 'slow', url: url('/slow.xml'), settings: { timeoutMs: 300 } }),
      ).rejects.toThrow(/^net: .*(timed out|timeout)/i);

      await pollFeed(ctx, { feedId: 'text', url: url('/text.xml'), settings: { fetchPages: false } });
      const text = (await ctx.queues.articles.getJobs(['waiting'], 0, -1)).filter(
        (j) => j.data.feedId === 'text',
      );
      expect(text.map((j) => [j.data.item.title, j.data.ingest ?? 'page', j.data.url]).sort()).toEqual([
        ['Avec texte', 'feed', url('/p/text')],
        ['Sans texte', 'page', url('/p/bare')],
      ]);
    } finally {
      await ctx.close();
    }
  });

  it('bodySelector picks the body on the feed pages, through the whole pipeline', {
    timeout: 60_000,
  }, async () => {
    // A prefix of its own: the polls above left article jobs of theirs in the queue.
    const own = `${prefix}pipeline:`;
    const c = loopbackConfig(own);
    c.feeds = [
      { url: `${server.url}/with-selector.xml`, bodySelector: '.story' },
      { url: `${server.url}/without-selector.xml` },
    ];
    const summary = await runOnce(c, createLogger('silent'), { role: 'all', once: true });
    expect(summary).toMatchObject({ articlesStored: 2, failures: 0 });
    const keys = keysFor(own);
    const bodyOf = async (name: string) => {
      for (const id of await redis.zrange(keys.articlesByTime, 0, -1))
        if ((await redis.hget(keys.article(id), 'url'))?.endsWith(`/pages/${name}.html`))
          return (await redis.get(keys.articleBody(id))) ?? '';
      return '';
    };
    const withSelector = await bodyOf('a');
    const without = await bodyOf('b');
    expect(withSelector).toContain('douze établissements seront rénovés');
    expect(withSelector).not.toContain("Commentaire 1 d'un lecteur");
    // The same page without the setting reads the comments: the selector is what made the difference.
    expect(without).toContain("Commentaire 1 d'un lecteur");
  });

  it('`feeds add` stores them from flags and `feeds list` shows them', async () => {
    const lines: string[] = [];
    const c = config();
    const url = `${server.url}/text.xml`;
    const code = await feedsCommand(
      'add',
      [url],
      {
        json: false,
        name: 'La Vallée',
        settingFlags: {
          interval: '120',
          timeout: '4000',
          charset: 'windows-1252',
          userAgent: 'ValBot',
          trustFeedText: true,
          bodySelector: 'main .texte',
        },
      },
      c,
      (s) => lines.push(s),
    );
    expect(code).toBe(0);
    await feedsCommand('list', [], { json: false }, c, (s) => lines.push(s));
    expect(lines.slice(0, 2)).toEqual(['Fil (rss 2.0): 2 items', feedIdFor(url)]);
    const row = lines.find((l) => l.startsWith(`${feedIdFor(url)}  added`)) ?? '';
    expect(row).toContain(feedIdFor(url));
    expect(row).toContain(
      'name="La Vallée"  every=120s timeout=4000ms charset=windows-1252 userAgent="ValBot" fetchPages=false body="main .texte"',
    );
    lines.length = 0;
    await feedsCommand('list', [], { json: true }, c, (s) => lines.push(s));
    const listed = JSON.parse(lines[0] ?? '{}').feeds.find((f: { url: string }) => f.url === url);
    expect(listed).toMatchObject({
      name: 'La Vallée',
      intervalSeconds: 120,
      settings: {
        timeoutMs: 4000,
        charset: 'windows-1252',
        userAgent: 'ValBot',
        fetchPages: false,
        bodySelector: 'main .texte',
      },
    });
    // Added again without --name, to change one setting: the name and the other settings stay.
    await feedsCommand('add', [url], { json: false, settingFlags: { interval: '300' } }, c, () => {});
    lines.length = 0;
    await feedsCommand('list', [], { json: true }, c, (s) => lines.push(s));
    const again = JSON.parse(lines[0] ?? '{}').feeds.find((f: { url: string }) => f.url === url);
    expect(again).toMatchObject({
      name: 'La Vallée',
      intervalSeconds: 300,
      settings: { charset: 'windows-1252' },
    });
    // Removing says what it removed.
    lines.length = 0;
    expect(await feedsCommand('remove', [feedIdFor(url)], { json: false }, c, (s) => lines.push(s))).toBe(0);
    expect(lines).toEqual([`removed ${feedIdFor(url)} "La Vallée" ${url}`]);
    expect(await feedsCommand('remove', [feedIdFor(url)], { json: false }, c, () => {})).toBe(1);
    await expect(
      feedsCommand('add', [url], { json: false, settingFlags: { charset: 'x-klingon' } }, c, () => {}),
    ).rejects.toThrow(/charset is not a charset/);
    await expect(
      feedsCommand('add', [url], { json: false, settingFlags: { interval: '5' } }, c, () => {}),
    ).rejects.toThrow(/--interval needs a whole number ≥ 10/);
  });
});
