import { keySketch } from './key-terms.js';
import type { MinHasher } from './minhash.js';
import { tokenHashesForDedup } from './normalize.js';
import type { DocSketch } from './policy.js';
import { distinctShingles } from './shingles.js';

/**
 * normalize → token hashes → k-shingle hashes → MinHash signature, with the
 * sizes containment needs and the key-term sketch (figures, days, names).
 */
export function sketchText(text: string, hasher: MinHasher, k: number): DocSketch {
  const { hashes, count } = tokenHashesForDedup(text);
  const shingles = distinctShingles(hashes, count, k);
  return {
    signature: hasher.signature(shingles.values, shingles.count),
    shingleCount: shingles.count,
    tokenCount: count,
    ...keySketch(text),
  };
}
