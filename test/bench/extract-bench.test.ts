/** `wiresift bench extract --json`: its former fields and every contender's timing, empties and failures. */
import { describe, expect, it } from 'vitest';
import { benchExtract } from '../../src/bench/extract-bench.js';
import { sharedDir } from '../../src/bench/shared-data.js';
import { testConfig, uniquePrefix } from '../support/redis.js';

const shared = sharedDir();
if (!shared) console.warn('shared corpora not found: skipping the bench extract test');

describe.skipIf(!shared)('bench extract', () => {
  it('times our extractor and readability on jsdom and on linkedom over the same pages', async () => {
    const config = testConfig(uniquePrefix('extract-bench'));
    const r = await benchExtract(config, () => {}, { rounds: 2, maxPages: 3 });
    for (const f of [
      'oursPagesPerSec',
      'readabilityPagesPerSec',
      'ratio',
      'offThreadPagesPerSec',
      'offThreadRatio',
    ])
      expect(r[f as keyof typeof r], f).toBeGreaterThan(0);
    expect(r.pages).toBe(3);
    expect(r.rounds).toBe(2);
    expect(Object.keys(r.contenders).sort()).toEqual([
      'ours',
      'oursOffThread',
      'readabilityJsdom',
      'readabilityLinkedom',
    ]);
    for (const c of Object.values(r.contenders)) {
      expect(c.pagesPerSec.min).toBeGreaterThan(0);
      expect(c.pagesPerSec.min).toBeLessThanOrEqual(c.pagesPerSec.median);
      expect(c.pagesPerSec.median).toBeLessThanOrEqual(c.pagesPerSec.max);
      expect(c.empty + c.failed).toBeLessThanOrEqual(r.pages);
      expect(Object.values(c.failures).reduce((s, n) => s + n, 0)).toBe(c.failed);
    }
    expect(Object.keys(r.ratios).sort()).toEqual([
      'linkedomVsJsdom',
      'offThreadVsJsdom',
      'offThreadVsLinkedom',
      'oursVsJsdom',
      'oursVsLinkedom',
    ]);
    expect(r.readabilityLinkedomPagesPerSec).toBe(r.contenders.readabilityLinkedom.pagesPerSec.median);
    expect(r.ratioVsLinkedom).toBe(r.ratios.oursVsLinkedom.median);
  }, 120_000);
});
