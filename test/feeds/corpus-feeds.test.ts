import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/charset/charset.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus', 'dev');
const available = existsSync(path.join(corpus, 'truth.json'));

type FeedTruth = {
  outlet: string;
  url: string;
  format: string;
  items: number;
  pages: number;
  duplicateGuids: boolean;
};

if (!available) console.warn(`corpus feeds test skipped: ${corpus} is missing`);

describe.skipIf(!available)('shared dev corpus feeds', () => {
  const truth: FeedTruth[] = available
    ? JSON.parse(readFileSync(path.join(corpus, 'truth.json'), 'utf8')).feeds
    : [];

  it('has the 8 feeds the corpus promises', () => {
    expect(truth).toHaveLength(8);
  });

  it.each(truth.map((t) => [t.outlet, t] as const))(
    '%s parses with absolute, unique links',
    async (_name, t) => {
      const feedUrl = new URL(t.url, 'http://127.0.0.1:8080').href;
      const bytes = readFileSync(path.join(corpus, 'feeds', path.basename(t.url)));
      const { text } = decodeBytes(bytes, { kind: 'xml' });
      const feed = await parseFeed(text, feedUrl);

      expect(feed.format).toBe(t.format === 'atom' ? 'atom' : 'rss');
      // `items` counts entries in the file, every one listed; `pages` counts distinct articles,
      // a repeated guid being listed as skipped.
      expect(feed.items).toHaveLength(t.items);
      const skipped = feed.items.filter((i) => i.ingest === 'skip');
      expect(skipped.every((i) => i.reason?.startsWith('same guid as item'))).toBe(true);
      expect(feed.items.length - skipped.length).toBe(t.pages);
      if (!t.duplicateGuids) expect(skipped).toEqual([]);
      expect(feed.title).not.toMatch(/[<>]|Ã|�/);
      const pages = feed.items.filter((i) => i.ingest === 'page');
      expect(pages).toHaveLength(t.pages);
      for (const item of pages) {
        expect(item.link).toMatch(/^http:\/\/127\.0\.0\.1:8080\/pages\/[^/]+\/[^/]+\.html$/);
        expect(item.title.length).toBeGreaterThan(0);
        expect(item.title).not.toMatch(/Ã|�/);
        expect(item.published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      expect(new Set(pages.map((i) => i.guid)).size).toBe(pages.length);
      expect(new Set(pages.map((i) => i.link)).size).toBe(pages.length);
    },
  );
});
