import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/feeds/parse-feed.js';
import { decodeBytes } from '../../src/net/charset.js';

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
      // `items` counts entries in the file; `pages` counts distinct articles once duplicate guids collapse.
      expect(feed.items).toHaveLength(t.pages);
      if (!t.duplicateGuids) expect(feed.items).toHaveLength(t.items);
      expect(feed.title).not.toMatch(/[<>]|Ã|�/);
      for (const item of feed.items) {
        expect(item.link).toMatch(/^http:\/\/127\.0\.0\.1:8080\/pages\/[^/]+\/[^/]+\.html$/);
        expect(item.title.length).toBeGreaterThan(0);
        expect(item.title).not.toMatch(/Ã|�/);
        expect(item.published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      expect(new Set(feed.items.map((i) => i.guid)).size).toBe(feed.items.length);
      expect(new Set(feed.items.map((i) => i.link)).size).toBe(feed.items.length);
    },
  );
});
