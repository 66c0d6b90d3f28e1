import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFeed } from '../../src/cli/feeds.js';
import { pollFeed } from '../../src/pipeline/poll-feed.js';
import { runCli } from '../support/cli.js';
import { withPipeline } from './with-pipeline.js';

/**
 * One fixture per format and quirk (test/fixtures/feed-formats, our own
 * text), read three ways that must agree: `feeds check FILE`, `feeds check
 * URL` (the worker's fetch path) and a real poll by the feeds worker.
 */

const dir = fileURLToPath(new URL('../fixtures/feed-formats/', import.meta.url));
type Expected = {
  format: string;
  title: string;
  hubs?: string[];
  items: Array<[string, string, string | null, string?]>;
};
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>;
const files = readdirSync(dir).filter((f) => f !== 'expected.json');

// Served as a careless server would: JSON as plain application/json, CDF and RDF as XML.
const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.rdf': 'application/rdf+xml',
  '.cdf': 'text/xml',
  '.xml': 'application/xml',
};

describe('every supported format and fallback', () => {
  const p = withPipeline('formats', {
    serve: (req, res) => {
      const name = (req.url ?? '/').slice(1);
      if (!files.includes(name)) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'text/xml' });
      res.end(readFileSync(join(dir, name)));
    },
  });

  it('has a fixture for each format, and an expectation for each fixture', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
    expect(new Set(Object.values(expected).map((e) => e.format))).toEqual(
      new Set([
        'rss 0.90',
        'rss 0.91',
        'rss 0.92',
        'rss 0.94',
        'rss 2.0',
        'rss 1.0',
        'atom 0.3',
        'atom 1.0',
        'json feed 1',
        'json feed 1.1',
        'cdf',
        'news sitemap',
      ]),
    );
  });

  const view = (
    items: Array<{ ingest: string; title: string; link: string | null; published: string | null }>,
    withDates: boolean[],
  ) => items.map((i, n) => [i.ingest, i.title, i.link, ...(withDates[n] ? [i.published] : [])]);

  it.each(files)('%s: feeds check FILE and feeds check URL agree with the spec', async (file) => {
    const e = expected[file] as Expected;
    const url = `${p.url}/${file}`;
    const want = e.items.map((i) => i.map((v) => (typeof v === 'string' ? v.replace('{{BASE}}', p.url) : v)));
    const withDates = e.items.map((i) => i.length > 3);
    for (const r of [
      await checkFeed(join(dir, file), p.config(), { url }),
      await checkFeed(url, p.config()),
    ]) {
      expect(r.error).toBeNull();
      expect(r.format).toBe(e.format);
      expect(r.title).toBe(e.title);
      expect(r.hubs).toEqual(e.hubs ?? []);
      expect(view(r.items, withDates)).toEqual(want);
    }
  });

  it.each(files)('%s: the feeds worker enqueues one article per page or feed item', async (file) => {
    const e = expected[file] as Expected;
    const feedUrl = `${p.url}/${file}`;
    const result = await pollFeed(p.ctx, { feedId: `f-${file}`, url: feedUrl });
    const ingested = e.items.filter(([ingest]) => ingest !== 'skip');
    expect(result).toMatchObject({
      items: e.items.length,
      enqueued: ingested.length,
      fromFeed: ingested.filter(([i]) => i === 'feed').length,
    });
    const jobs = (await p.ctx.queues.articles.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1)).filter(
      (j) => j.data.feedUrl === feedUrl,
    );
    expect(jobs.map((j) => [j.data.ingest ?? 'page', j.data.item.title]).sort()).toEqual(
      ingested.map(([i, t]) => [i, t]).sort(),
    );
    for (const j of jobs)
      if (j.data.ingest === 'feed')
        expect(j.data.url).toMatch(new RegExp(`^${feedUrl.replace(/\./g, '\\.')}#item-[0-9a-f]{16}$`));
  });

  it('the CLI prints the same list (feeds check FILE --url U --json)', { timeout: 60_000 }, async () => {
    const r = await runCli([
      'feeds',
      'check',
      join(dir, 'rss-092.xml'),
      '--url',
      'https://cote-sauvage.example/rss',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.format).toBe('rss 0.92');
    expect(out.items).toEqual([
      {
        title: '',
        link: null,
        guid: null,
        published: null,
        ingest: 'feed',
        reason: "no link: the feed's text is the article",
      },
      {
        title: 'Marée noire évitée au large',
        link: 'https://cote-sauvage.example/infos/maree.html',
        guid: 'https://cote-sauvage.example/infos/maree.html',
        published: null,
        ingest: 'page',
      },
    ]);
  });
});
