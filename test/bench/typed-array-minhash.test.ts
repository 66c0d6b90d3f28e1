/**
 * The typed-array baseline of `bench dedup` must be a correct MinHash, or its
 * speed means nothing: it estimates Jaccard as k independent permutations
 * should, and as closely as ours, on the same shingle hashes.
 */
import { Minhash } from 'minhash';
import { describe, expect, it } from 'vitest';
import { prng } from '../../src/bench/prng.js';
import { TypedArrayMinHash } from '../../src/bench/typed-array-minhash.js';
import { estimateJaccard, MinHasher } from '../../src/dedup/minhash.js';
import { tokenHashesForDedup } from '../../src/dedup/normalize.js';
import { distinctShingles } from '../../src/dedup/shingles.js';
import { meanMs } from '../support/mean-ms.js';

const NUM_PERM = 128;

function shingleSet(text: string): Uint32Array {
  const { hashes, count } = tokenHashesForDedup(text);
  const s = distinctShingles(hashes, count, 4);
  return s.values.slice(0, s.count);
}

function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  const setA = new Set(a);
  const inter = [...new Set(b)].filter((x) => setA.has(x)).length;
  return inter / (setA.size + new Set(b).size - inter);
}

/** A story and a copy with a share of its words replaced, optionally cut short. */
function textPair(rand: () => number, words: number, editRate: number, keep = 1) {
  const vocab = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`);
  const pick = () => vocab[Math.floor(rand() * vocab.length)]!;
  const story = Array.from({ length: words }, pick);
  const copy = story.map((w) => (rand() < editRate ? pick() : w)).slice(0, Math.ceil(words * keep));
  return { a: shingleSet(story.join(' ')), b: shingleSet(copy.join(' ')) };
}

describe('TypedArrayMinHash (bench dedup baseline)', () => {
  it('estimates the Jaccard similarity of text pairs like our MinHasher does, on the same shingle hashes', () => {
    const rand = prng(11);
    const plain = new TypedArrayMinHash({ numPerm: NUM_PERM, seed: 1 });
    const ours = new MinHasher({ numPerm: NUM_PERM, seed: 1 });
    const pairs = [
      textPair(rand, 600, 0.01),
      textPair(rand, 600, 0.05),
      textPair(rand, 400, 0.1),
      textPair(rand, 200, 0.02, 0.5),
      textPair(rand, 80, 0.03),
      textPair(rand, 600, 1),
    ];
    for (const { a, b } of pairs) {
      const j = exactJaccard(a, b);
      const theirs = estimateJaccard(plain.signature(a), plain.signature(b));
      const mine = estimateJaccard(ours.signature(a), ours.signature(b));
      // 3 standard deviations of a 128-position estimate at J = 0.5 is 0.13
      expect(Math.abs(theirs - j), `J ${j.toFixed(3)}`).toBeLessThan(0.13);
      expect(Math.abs(theirs - mine), `J ${j.toFixed(3)}`).toBeLessThan(0.15);
    }
  });

  it('has the error of 128 independent permutations: unbiased, spread as J(1-J)/128 predicts', () => {
    const rand = prng(5);
    const plain = new TypedArrayMinHash({ numPerm: NUM_PERM, seed: 3 });
    let bias = 0;
    let squared = 0;
    let predicted = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const size = 50 + Math.floor(rand() * 500);
      const inter = Math.floor(rand() * (size + 1));
      const pool = Uint32Array.from({ length: 2 * size }, () => Math.floor(rand() * 2 ** 32));
      const a = pool.subarray(0, size);
      const b = Uint32Array.from([...pool.subarray(0, inter), ...pool.subarray(size, 2 * size - inter)]);
      const j = exactJaccard(a, b);
      const err = estimateJaccard(plain.signature(a), plain.signature(b)) - j;
      bias += err;
      squared += err * err;
      predicted += (j * (1 - j)) / NUM_PERM;
    }
    expect(Math.abs(bias / trials)).toBeLessThan(0.01);
    expect(squared / predicted).toBeGreaterThan(0.7);
    expect(squared / predicted).toBeLessThan(1.3);
  });

  it('is a min per position: sig(A ∪ B) is the position-wise min of sig(A) and sig(B), whatever the order', () => {
    const rand = prng(9);
    const plain = new TypedArrayMinHash({ numPerm: NUM_PERM, seed: 7 });
    const a = Uint32Array.from({ length: 300 }, () => Math.floor(rand() * 2 ** 32));
    const b = Uint32Array.from({ length: 200 }, () => Math.floor(rand() * 2 ** 32));
    const union = Uint32Array.from([...b, ...a, ...a.subarray(0, 50)].reverse());
    const sa = plain.signature(a);
    const sb = plain.signature(b);
    expect([...plain.signature(union)]).toEqual([...sa].map((x, j) => Math.min(x, sb[j]!)));
    expect(plain.signature(a, 0).every((x) => x === 0xffffffff)).toBe(true);
    expect([...new TypedArrayMinHash({ numPerm: NUM_PERM, seed: 7 }).signature(a)]).toEqual([...sa]);
    expect([...new TypedArrayMinHash({ numPerm: NUM_PERM, seed: 8 }).signature(a)]).not.toEqual([...sa]);
  });

  it('is not a slow straw man: well ahead of the npm package on the same 600 shingles', () => {
    // Measured ~60x in bench dedup; 5x only catches a baseline made slow by mistake.
    const rand = prng(2);
    const shingles = Uint32Array.from({ length: 600 }, () => Math.floor(rand() * 2 ** 32));
    const strings = [...shingles].map(String);
    const plain = new TypedArrayMinHash({ numPerm: NUM_PERM, seed: 1 });
    const ours = meanMs(() => plain.signature(shingles), 100);
    const theirs = meanMs(() => {
      const m = new Minhash({ numPerm: NUM_PERM, seed: 1 });
      for (const s of strings) m.update(s);
    }, 10);
    expect(theirs / ours).toBeGreaterThan(5);
  });
});
