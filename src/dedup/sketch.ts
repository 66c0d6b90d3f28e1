import { KEY_SKETCH_SIZE, keySketchOf } from './key-terms.js';
import { bandBuckets } from './lsh-params.js';
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

/**
 * The sketch's layout as the Redis index stores it (src/store/cluster-index.ts
 * SketchFormat): band buckets of a signature, and the key terms a record holds.
 */
export const INDEX_SKETCH = { bandBuckets, keyTerms: KEY_SKETCH_SIZE } as const;
