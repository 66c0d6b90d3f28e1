import { keySketchOf } from './key-terms.js';
import type { MinHasher } from './minhash.js';
import { tokenFactsForDedup } from './normalize.js';
import type { DocSketch } from './policy.js';
import { distinctShingles } from './shingles.js';

/**
 * normalize → token hashes → k-shingle hashes → MinHash signature, with the
 * sizes containment needs and the key-term sketch (figures, days, names).
 */
export function sketchText(text: string, hasher: MinHasher, k: number): DocSketch {
  // One pass over the text gives both the tokens and what key terms need of them.
  const tokens = tokenFactsForDedup(text);
  const keys = keySketchOf(tokens);
  const shingles = distinctShingles(tokens.hashes, tokens.count, k);
  return {
    signature: hasher.signature(shingles.values, shingles.count),
    shingleCount: shingles.count,
    tokenCount: tokens.count,
    keys: keys.keys,
    keyCount: keys.keyCount,
  };
}
