/** `wiresift bench dedup --json`: the fields it always printed, and the contenders and sets added beside them. */
import { describe, expect, it } from 'vitest';
import { benchCommand } from '../../src/bench/bench-command.js';
import { benchDedup } from '../../src/bench/dedup-bench.js';
import { sharedDir } from '../../src/bench/shared-data.js';
import type { Spread } from '../../src/bench/spread.js';
import { UsageError } from '../../src/command-line/usage-error.js';
import { testConfig, uniquePrefix } from '../support/redis.js';

const FIELDS_BEFORE_THE_SETS = [
  'docs',
  'oursPerSec',
  'minhashPkgPerSec',
  'tokenizeOnlyPerSec',
  'ratioVsMinhash',
  'shareOfTokenizeLimit',
  'lshRedisInsertQueryPerSec',
  'redisBytesPerArticle',
];
const CONTENDERS = ['minhashPkg', 'ours', 'oursMinhashStep', 'tokenizeOnly', 'typedArrayMinhashStep'];

function expectSpread(s: Spread) {
  expect(Object.keys(s).sort()).toEqual(['max', 'median', 'min']);
  expect(s.min).toBeGreaterThan(0);
  expect(s.min).toBeLessThanOrEqual(s.median);
  expect(s.median).toBeLessThanOrEqual(s.max);
}

const quick = { articles: 40, rounds: 3, roundMs: 15 };
const shared = sharedDir();

describe('bench dedup', () => {
  it('keeps its former fields and adds every contender, round spreads and ratios per set', async () => {
    const config = testConfig(uniquePrefix('dedup-bench'));
    const r = await benchDedup(config, () => {}, quick);
    for (const f of FIELDS_BEFORE_THE_SETS) expect(typeof r[f as keyof typeof r], f).toBe('number');
    expect(r.docs).toBe(2);
    expect(r.rounds).toBe(3);
    const long = r.sets.longTexts;
    expect(long.docs).toBe(2);
    expect(long.meanWords).toBeGreaterThanOrEqual(590);
    expect(Object.keys(long.perSec).sort()).toEqual(CONTENDERS);
    for (const s of Object.values(long.perSec)) expectSpread(s);
    for (const s of Object.values(long.ratios)) expectSpread(s);
    // the top-level figures are the 600-word set's medians
    expect(r.oursPerSec).toBe(long.perSec.ours.median);
    expect(r.typedArrayMinhashStepPerSec).toBe(long.perSec.typedArrayMinhashStep.median);
    expect(r.minhashStepRatioVsTypedArray).toBe(long.ratios.minhashStepVsTypedArray.median);
    expect(r.redisBytesPerArticle).toBeGreaterThan(0);
    if (shared) {
      const dev = r.sets.devBodies;
      if ('skipped' in dev) throw new Error(`dev bodies skipped beside ${shared}`);
      expect(dev.docs).toBe(130);
      expect(dev.meanWords).toBeLessThan(long.meanWords);
      expect(Object.keys(dev.perSec).sort()).toEqual(CONTENDERS);
      for (const s of Object.values(dev.ratios)) expectSpread(s);
    }
  }, 120_000);

  it('says the dev bodies were skipped when the shared corpus is absent, and still measures the rest', async () => {
    const config = testConfig(uniquePrefix('dedup-bench'));
    const said: string[] = [];
    const r = await benchDedup(config, (m) => said.push(m), { ...quick, shared: null });
    expect(r.sets.devBodies).toEqual({ skipped: expect.stringMatching(/no shared corpus/) });
    expect(said.join('\n')).toMatch(/dev-corpus bodies are skipped/);
    expect(r.sets.longTexts.docs).toBe(2);
    expectSpread(r.sets.longTexts.perSec.typedArrayMinhashStep);
  }, 120_000);

  it('refuses a --rounds that is not a positive integer', async () => {
    const config = testConfig(uniquePrefix('dedup-bench'));
    await expect(benchCommand(config, 'dedup', { json: true, rounds: '0' }, () => {})).rejects.toThrow(
      UsageError,
    );
  });
});
