import { fmix32, hashString32 } from './hash32.js';

const SHINGLE_SEED = 0x9747b28c;

/**
 * Per-position odd multipliers: a shingle hash is fmix32 of the sum of its
 * token hashes, each times its position's multiplier. Token hashes are
 * already avalanche-mixed (fmix32), so this is as collision-free as a full
 * murmur pass over the k tokens at a quarter of its cost, order-sensitive
 * ("a b c" differs from "c b a"), and fmix32 spreads the result for MinHash.
 */
const multipliers: Int32Array[] = [];
function multipliersFor(width: number): Int32Array {
  let m = multipliers[width];
  if (m === undefined) {
    m = new Int32Array(width);
    for (let j = 0; j < width; j++) m[j] = fmix32(SHINGLE_SEED + Math.imul(j + 1, 0x9e3779b9)) | 1;
    multipliers[width] = m;
  }
  return m;
}

/**
 * Scratch reused between calls (typed arrays sized to a text live outside the
 * JS heap and cost more to allocate than to fill): the distinct shingle
 * hashes, and an open-addressing set stamped with a generation so it never
 * needs clearing.
 */
let distinct = new Uint32Array(1 << 11);
let slots = new Int32Array(1 << 12);
let stamps = new Uint32Array(1 << 12);
let generation = 0;

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1)
    throw new Error(`dedup: shingle size must be a positive integer, got ${k}`);
}

/**
 * The distinct k-shingle hashes of the first `n` token hashes, in no
 * particular order, in `values[0, count)`. `values` is scratch: valid until
 * the next call. A text shorter than k tokens yields one shingle over all its
 * tokens, so short flashes still get a sketch.
 */
export function distinctShingles(
  tokenHashes: Int32Array,
  n: number,
  k: number,
): { values: Uint32Array; count: number } {
  checkK(k);
  if (n === 0) return { values: distinct, count: 0 };
  const width = Math.min(k, n);
  const total = n - width + 1;
  let size = slots.length;
  while (size < total * 2) size *= 2;
  if (size !== slots.length) {
    slots = new Int32Array(size);
    stamps = new Uint32Array(size);
    generation = 0;
  }
  if (distinct.length < total) distinct = new Uint32Array(Math.max(total, distinct.length * 2));
  if (++generation === 0xffffffff) {
    stamps.fill(0);
    generation = 1;
  }
  const gen = generation;
  const mask = size - 1;
  const mult = multipliersFor(width);
  const start = (SHINGLE_SEED ^ width) | 0;
  const out = distinct;
  let count = 0;
  for (let i = 0; i < total; i++) {
    let h = start;
    for (let j = 0; j < width; j++) h = (h + Math.imul(tokenHashes[i + j]!, mult[j]!)) | 0;
    const v = fmix32(h) | 0;
    let at = v & mask;
    for (;;) {
      if (stamps[at] !== gen) {
        stamps[at] = gen;
        slots[at] = v;
        out[count++] = v;
        break;
      }
      if (slots[at] === v) break;
      at = (at + 1) & mask;
    }
  }
  return { values: out, count };
}

/**
 * 32-bit hashes of the word k-shingles of a token sequence, sorted ascending
 * and deduplicated (a set, as MinHash expects). Each token is hashed once; no
 * shingle string is ever built.
 */
export function shingleHashes(tokens: string[], k = 3): Uint32Array {
  const tokenHashes = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) tokenHashes[i] = hashString32(tokens[i]!);
  return shinglesOfTokenHashes(tokenHashes, tokens.length, k);
}

/** shingleHashes over the first `n` token hashes (hashString32 of each token), as a fresh sorted array. */
export function shinglesOfTokenHashes(tokenHashes: Int32Array, n: number, k = 3): Uint32Array {
  const { values, count } = distinctShingles(tokenHashes, n, k);
  return values.slice(0, count).sort();
}
