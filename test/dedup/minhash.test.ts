import { Minhash } from 'minhash';
import { describe, expect, it } from 'vitest';
import {
  estimateContainment,
  estimateJaccard,
  MinHasher,
  signatureFromBuffer,
  signatureToBuffer,
} from '../../src/dedup/minhash.js';
import { meanMs } from '../support/mean-ms.js';

/** mulberry32: a small seeded PRNG so the synthetic sets are reproducible. */
function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two sets of `size` distinct 32-bit values with the intersection that gives Jaccard ~j. */
function setPair(
  rand: () => number,
  size: number,
  j: number,
): { a: Uint32Array; b: Uint32Array; jaccard: number } {
  const inter = Math.round((2 * j * size) / (1 + j));
  const pool = new Set<number>();
  while (pool.size < 2 * size) pool.add(Math.floor(rand() * 2 ** 32));
  const all = [...pool];
  const a = all.slice(0, size);
  const b = all.slice(0, inter).concat(all.slice(size, 2 * size - inter));
  return { a: Uint32Array.from(a), b: Uint32Array.from(b), jaccard: inter / (2 * size - inter) };
}

describe('MinHasher', () => {
  it('estimates Jaccard without bias and with small error, for short and long texts', () => {
    for (const size of [25, 600]) {
      for (const j of [0.2, 0.5, 0.8]) {
        const rand = prng(size * 31 + j * 1000);
        let bias = 0;
        let absError = 0;
        const trials = 150;
        for (let t = 0; t < trials; t++) {
          const { a, b, jaccard } = setPair(rand, size, j);
          const hasher = new MinHasher({ numPerm: 128, seed: t + 1 });
          const est = estimateJaccard(hasher.signature(a), hasher.signature(b));
          bias += est - jaccard;
          absError += Math.abs(est - jaccard);
        }
        // 128 permutations: standard error sqrt(J(1-J)/128) <= 0.044, so the mean
        // absolute error is about 0.035; the mean over 150 trials is within ~0.01.
        expect(Math.abs(bias / trials), `bias at |A|=${size}, J=${j}`).toBeLessThan(0.012);
        expect(absError / trials, `mean abs error at |A|=${size}, J=${j}`).toBeLessThan(0.04);
      }
    }
  });

  it('is at least as accurate as the npm minhash package', () => {
    const rand = prng(7);
    let ours = 0;
    let theirs = 0;
    for (let t = 0; t < 40; t++) {
      const { a, b, jaccard } = setPair(rand, 200, 0.5);
      const hasher = new MinHasher({ numPerm: 128, seed: t + 1 });
      ours += Math.abs(estimateJaccard(hasher.signature(a), hasher.signature(b)) - jaccard);
      const ma = new Minhash({ numPerm: 128, seed: t + 1 });
      const mb = new Minhash({ numPerm: 128, seed: t + 1 });
      for (const x of a) ma.update(String(x));
      for (const x of b) mb.update(String(x));
      theirs += Math.abs(ma.jaccard(mb) - jaccard);
    }
    expect(ours).toBeLessThanOrEqual(theirs * 1.15);
  });

  it('computes a 600-shingle signature at least 20x faster than npm minhash updates 600 tokens', () => {
    // The benchmark (bench/dedup-speed.ts) measures ~300x; 20x leaves room for a loaded CI machine.
    const rand = prng(5);
    const tokens = Array.from({ length: 600 }, () => Math.floor(rand() * 1e9).toString(36));
    const shingles = Uint32Array.from(tokens, (_, i) => Math.floor(rand() * 2 ** 32) ^ i);
    const hasher = new MinHasher({ numPerm: 128, seed: 1 });
    const ours = meanMs(() => hasher.signature(shingles), 400);
    const theirs = meanMs(() => {
      const m = new Minhash({ numPerm: 128, seed: 1 });
      for (const t of tokens) m.update(t);
    }, 20);
    expect(theirs / ours).toBeGreaterThan(20);
  });

  it('is deterministic per seed, ignores duplicates and order, and differs across seeds', () => {
    const set = Uint32Array.from([5, 1, 99, 12345, 7]);
    const shuffledWithDupes = Uint32Array.from([7, 99, 5, 5, 1, 12345, 99]);
    const h1 = new MinHasher({ numPerm: 100, seed: 42 });
    expect(h1.signature(set)).toEqual(new MinHasher({ numPerm: 100, seed: 42 }).signature(shuffledWithDupes));
    expect(h1.signature(set)).not.toEqual(new MinHasher({ numPerm: 100, seed: 43 }).signature(set));
    expect(h1.signature(set).length).toBe(100);
  });

  it('fills every position of a tiny set with one of its own values', () => {
    const hasher = new MinHasher({ numPerm: 128, seed: 3 });
    const one = hasher.signature(Uint32Array.from([424242]));
    const two = hasher.signature(Uint32Array.from([424242]));
    expect(estimateJaccard(one, two)).toBe(1);
    expect(estimateJaccard(one, hasher.signature(Uint32Array.from([424243])))).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => new MinHasher({ numPerm: 0, seed: 1 })).toThrow(/^dedup: /);
    expect(() => new MinHasher({ numPerm: 128, seed: 1.5 })).toThrow(/^dedup: /);
  });
});

describe('estimateJaccard / estimateContainment', () => {
  it('refuses signatures of different lengths', () => {
    expect(() => estimateJaccard(new Uint32Array(4), new Uint32Array(5))).toThrow(/^dedup: /);
  });

  it('estimates containment of a small set inside a large one', () => {
    const rand = prng(11);
    const large = new Set<number>();
    while (large.size < 500) large.add(Math.floor(rand() * 2 ** 32));
    const big = Uint32Array.from(large);
    const small = big.slice(0, 100);
    let smallInBig = 0;
    let bigInSmall = 0;
    const seeds = 20;
    for (let seed = 1; seed <= seeds; seed++) {
      const hasher = new MinHasher({ numPerm: 128, seed });
      const sa = hasher.signature(small);
      const sb = hasher.signature(big);
      smallInBig += estimateContainment(sa, sb, small.length, big.length);
      bigInSmall += estimateContainment(sb, sa, big.length, small.length);
    }
    // true values: 1 and 0.2 (the first is clamped at 1, so its mean sits a little below)
    expect(smallInBig / seeds).toBeGreaterThan(0.9);
    expect(bigInSmall / seeds).toBeCloseTo(0.2, 1);
    const sa = new MinHasher({ numPerm: 128, seed: 1 }).signature(small);
    const sb = new MinHasher({ numPerm: 128, seed: 1 }).signature(big);
    expect(estimateContainment(sa, sa, 100, 100)).toBe(1);
    expect(estimateContainment(sa, sb, 0, 500)).toBe(0);
  });
});

describe('signature buffers', () => {
  it('round-trips as little-endian uint32s of numPerm * 4 bytes', () => {
    const sig = Uint32Array.from([1, 0xffffffff, 0x01020304, 0]);
    const buf = signatureToBuffer(sig);
    expect(buf.length).toBe(16);
    expect([...buf.subarray(0, 4)]).toEqual([1, 0, 0, 0]);
    expect([...buf.subarray(8, 12)]).toEqual([4, 3, 2, 1]);
    expect(signatureFromBuffer(buf)).toEqual(sig);
    const real = new MinHasher({ numPerm: 128, seed: 1 }).signature(Uint32Array.from([1, 2, 3]));
    expect(signatureFromBuffer(signatureToBuffer(real))).toEqual(real);
    expect(() => signatureFromBuffer(Buffer.alloc(6))).toThrow(/^dedup: /);
  });
});
