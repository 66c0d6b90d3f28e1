import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/feeds/parse-feed.js';
import { FeedParsePool } from '../../src/feeds/parse-pool.js';
import { stripDoctype } from '../../src/feeds/xml-repair.js';
import { ATTACKS, rss } from './attack-inputs.js';

const BASE = 'https://flux.example';
// The per-case time bound: a scan that backtracks hits it in seconds, not after minutes.
const BOUND_MS = 5000;

describe('feeds that attacked the pre-parse regexes parse in linear time (issue 18)', () => {
  const pool = new FeedParsePool({ timeoutMs: BOUND_MS, maxHeapMb: 512, threads: 2 });
  afterAll(() => pool.close());
  // Both threads started before the clock runs: a cold thread's start-up is not the feed's parse time.
  beforeAll(
    () => Promise.all([1, 2].map(() => pool.parse(Buffer.from(rss(BASE, '')), undefined, BASE))),
    60_000,
  );

  it.each(ATTACKS.map((a) => [a.id, a] as const))('%s', { timeout: 60_000 }, async (_id, attack) => {
    const body = Buffer.from(attack.body(BASE));
    const started = performance.now();
    const outcome = await pool.parse(body, attack.contentType, `${BASE}/rss`).then(
      (feed) => ({ feed, error: undefined }),
      (error: Error) => ({ feed: undefined, error }),
    );
    const ms = performance.now() - started;
    console.log(`${attack.id}: ${outcome.error ? outcome.error.message : 'read'} in ${Math.round(ms)} ms`);
    expect(outcome.error?.message ?? '').not.toMatch(/took longer than/);
    if (attack.expect === 'ok') {
      expect(outcome.error).toBeUndefined();
      expect(outcome.feed?.items.map((i) => i.link)).toEqual([`${BASE}/breve/0`, `${BASE}/breve/1`]);
    } else expect(outcome.error?.message).toMatch(/^feeds: /);
  });
});

describe('item titles are reduced to text without a DOM', () => {
  it('a title of HTML nested 100,000 tags deep reads as its text', { timeout: 60_000 }, async () => {
    const pool = new FeedParsePool({ timeoutMs: BOUND_MS, maxHeapMb: 512, threads: 1 });
    try {
      const deep = `${'&lt;b&gt;'.repeat(100_000)}Fin &amp;amp; suite${'&lt;/b&gt;'.repeat(100_000)}`;
      const xml = rss(BASE, '').replace('<title>Brève 0</title>', `<title>${deep}</title>`);
      const feed = await pool.parse(Buffer.from(xml), 'application/rss+xml', `${BASE}/rss`);
      expect(feed.items.map((i) => i.title)).toEqual(['Fin & suite', 'Brève 1']);
    } finally {
      await pool.close();
    }
  });
});

describe('the DOCTYPE strip honours the internal subset', () => {
  it('a ] or > inside an entity value, comment or PI does not end the DOCTYPE', () => {
    const doc = `<!DOCTYPE rss [<!ENTITY x "a]b>c"><!-- ] > --><?pi ]>?><!ENTITY y 'd]'>]><rss/>`;
    expect(stripDoctype(doc)).toBe('<rss/>');
  });

  it('leaves DOCTYPE-looking text inside CDATA and comments alone, and an unterminated one in place', () => {
    const doc = '<rss><![CDATA[<!DOCTYPE html>]]><!-- <!DOCTYPE x> --></rss><!DOCTYPE y [';
    expect(stripDoctype(doc)).toBe(doc);
  });
});

describe('xhtml constructs', () => {
  const atom = (entry: string) =>
    `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>e</id><link href="/e"/>${entry}</entry></feed>`;

  it('become HTML in document order, the wrapper div dropped', async () => {
    const feed = await parseFeed(
      atom(
        '<content xml:lang="fr" type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Un <b>mot</b> puis <i>deux</i>.</div></content>',
      ),
      'https://a.example/feed',
    );
    expect(feed.items[0]?.contentHtml).toBe('Un <b>mot</b> puis <i>deux</i>.');
  });

  it('an xhtml construct 100,000 elements deep is read as text below the depth cap', {
    timeout: 30_000,
  }, async () => {
    const deep = `${'<span>'.repeat(100_000)}fond${'</span>'.repeat(100_000)}`;
    const feed = await parseFeed(
      atom(`<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${deep}</div></title>`),
      'https://a.example/feed',
    );
    expect(feed.items[0]?.title).toBe('fond');
  });
});
