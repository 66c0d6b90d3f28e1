/**
 * Extraction over the shared dev corpus (fictional AFP/Reuters/AP pages republished by
 * eight outlets). Skipped when ../shared is not there. Token F1 and the boilerplate-leak
 * rule are computed as /work/shared/corpus/score.mjs computes them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract-page.js';
import { ALL_PHRASES, repoRoot } from './fixtures.js';

const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus', 'dev');
const truthPath = path.join(corpusDir, 'truth.json');
const haveCorpus = fs.existsSync(truthPath);
if (!haveCorpus) console.warn(`dev corpus not found at ${truthPath}: skipping the corpus extraction test`);

type TruthPage = {
  body: string;
  title: string;
  published: string;
  lang: string;
  agency: string | null;
  boilerplate: string[];
};

const tokens = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

function tokenF1(pred: string, gold: string): number {
  const p = tokens(pred);
  const g = tokens(gold);
  if (!p.length && !g.length) return 1;
  if (!p.length || !g.length) return 0;
  const bag = new Map<string, number>();
  for (const t of g) bag.set(t, (bag.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of p) {
    const n = bag.get(t) ?? 0;
    if (n > 0) {
      overlap++;
      bag.set(t, n - 1);
    }
  }
  const precision = overlap / p.length;
  const recall = overlap / g.length;
  return precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
}

const normText = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[“”«»]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

function countOccurrences(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + 1)) {
    const okLeft = !isWordChar(needle[0]) || !isWordChar(hay[i - 1]);
    const okRight = !isWordChar(needle[needle.length - 1]) || !isWordChar(hay[i + needle.length]);
    if (okLeft && okRight) n++;
  }
  return n;
}

/** Boilerplate lines found more often in the prediction than in the truth body. */
function leaks(pred: string, gold: string, lines: string[]): string[] {
  const p = normText(pred);
  const g = normText(gold);
  return lines.filter((l) => {
    const n = normText(l);
    return n && countOccurrences(p, n) > countOccurrences(g, n);
  });
}

describe.skipIf(!haveCorpus)('dev corpus extraction', () => {
  const truth = haveCorpus
    ? (JSON.parse(fs.readFileSync(truthPath, 'utf8')) as { pages: Record<string, TruthPage> })
    : { pages: {} };
  const urls = Object.keys(truth.pages).sort();

  it('mean token F1 >= 0.97, no boilerplate leak, metadata mostly right', () => {
    let sumF1 = 0;
    const leaked: string[] = [];
    const wrong = { title: 0, published: 0, lang: 0, agency: 0 };
    for (const url of urls) {
      const page = truth.pages[url]!;
      const r = extractPage(fs.readFileSync(path.join(corpusDir, url)), {
        url: `http://127.0.0.1:8080${url}`,
        boilerplate: ALL_PHRASES,
      });
      sumF1 += tokenF1(r.text, page.body);
      const l = leaks(r.text, page.body, page.boilerplate);
      if (l.length) leaked.push(`${url}: ${l.join(' | ')}`);
      if (r.title !== page.title) wrong.title++;
      if (r.publishedAt !== page.published) wrong.published++;
      if (r.lang !== page.lang) wrong.lang++;
      if (r.agency !== page.agency) wrong.agency++;
    }
    const meanF1 = sumF1 / urls.length;
    expect(urls.length).toBeGreaterThan(100);
    expect(meanF1).toBeGreaterThanOrEqual(0.97);
    expect(leaked).toEqual([]);
    // Metadata floors: 95% of pages right on every field.
    for (const [field, n] of Object.entries(wrong))
      expect(n, field).toBeLessThanOrEqual(Math.floor(urls.length * 0.05));
  });
});
