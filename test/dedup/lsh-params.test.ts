import { describe, expect, it } from 'vitest';
import { bandBucketHashes, candidateProbability, optimalLshParams } from '../../src/dedup/lsh-params.js';

describe('optimalLshParams', () => {
  const thresholds = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
  const params = thresholds.map((t) => optimalLshParams(t, 128));

  it('fits within the signature', () => {
    for (const p of params) expect(p.bands * p.rows).toBeLessThanOrEqual(128);
  });

  it('moves the S-curve with the threshold: more rows, fewer bands as it rises', () => {
    for (let i = 1; i < params.length; i++) {
      expect(params[i]!.rows).toBeGreaterThanOrEqual(params[i - 1]!.rows);
      const knee = (p: { bands: number; rows: number }) => (1 / p.bands) ** (1 / p.rows);
      expect(knee(params[i]!)).toBeGreaterThan(knee(params[i - 1]!));
    }
    expect(params.at(-1)!.rows).toBeGreaterThan(params[0]!.rows);
  });

  it('puts the S-curve knee near the threshold', () => {
    thresholds.forEach((t, i) => {
      const p = params[i]!;
      expect(candidateProbability(Math.min(1, t + 0.15), p.bands, p.rows)).toBeGreaterThan(0.7);
      expect(candidateProbability(Math.max(0, t - 0.15), p.bands, p.rows)).toBeLessThan(0.4);
    });
  });

  it('catches more pairs when false negatives weigh more', () => {
    const balanced = optimalLshParams(0.5, 128);
    const recall = optimalLshParams(0.5, 128, 0.1, 0.9);
    expect(candidateProbability(0.45, recall.bands, recall.rows)).toBeGreaterThan(
      candidateProbability(0.45, balanced.bands, balanced.rows),
    );
  });

  it('rejects thresholds outside (0, 1)', () => {
    expect(() => optimalLshParams(0, 128)).toThrow(/^dedup: /);
    expect(() => optimalLshParams(1, 128)).toThrow(/^dedup: /);
  });
});

describe('bandBucketHashes', () => {
  it('gives one 64-bit hex bucket per band that changes only with its own rows', () => {
    const sig = Uint32Array.from({ length: 12 }, (_, i) => i * 7919);
    const a = bandBucketHashes(sig, 4, 3);
    expect(a).toHaveLength(4);
    for (const h of a) expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(a).size).toBe(4);
    const edited = sig.slice();
    edited[7] = 1; // row 1 of band 2
    const b = bandBucketHashes(edited, 4, 3);
    expect(b.map((h, i) => h === a[i])).toEqual([true, true, false, true]);
    expect(bandBucketHashes(sig, 4, 3)).toEqual(a);
  });

  it('refuses more bands x rows than the signature holds', () => {
    expect(() => bandBucketHashes(new Uint32Array(10), 4, 3)).toThrow(/^dedup: /);
  });
});
