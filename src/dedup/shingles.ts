import { fmix32, hashString32, murmurRound } from './hash32.js';

const SHINGLE_SEED = 0x9747b28c;

/**
 * 32-bit hashes of the word k-shingles of a token sequence, sorted ascending
 * and deduplicated (a set, as MinHash expects).
 *
 * Each token is hashed once; a shingle hash is murmur3_32 run over its k token
 * hashes, so no shingle string is ever built. A text shorter than k tokens
 * yields one shingle over all its tokens, so short flashes still get a sketch.
 */
export function shingleHashes(tokens: string[], k = 3): Uint32Array {
  const tokenHashes = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) tokenHashes[i] = hashString32(tokens[i]!);
  return shinglesOfTokenHashes(tokenHashes, tokens.length, k);
}

/** shingleHashes over the first `n` token hashes (hashString32 of each token). */
export function shinglesOfTokenHashes(tokenHashes: Int32Array, n: number, k = 3): Uint32Array {
  if (!Number.isInteger(k) || k < 1)
    throw new Error(`dedup: shingle size must be a positive integer, got ${k}`);
  if (n === 0) return new Uint32Array(0);
  const width = Math.min(k, n);
  const count = n - width + 1;
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = SHINGLE_SEED;
    for (let j = 0; j < width; j++) h = murmurRound(h, tokenHashes[i + j]!);
    out[i] = fmix32(h ^ width);
  }
  out.sort();
  return uniqueSorted(out);
}

function uniqueSorted(sorted: Uint32Array): Uint32Array {
  if (sorted.length < 2) return sorted;
  let w = 1;
  for (let r = 1; r < sorted.length; r++) {
    if (sorted[r] !== sorted[w - 1]) sorted[w++] = sorted[r]!;
  }
  return w === sorted.length ? sorted : sorted.slice(0, w);
}
