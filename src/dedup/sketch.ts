import type { MinHasher } from './minhash.js';
import { normalizeForDedup, tokenize } from './normalize.js';
import type { DocSketch } from './policy.js';
import { shingleHashes } from './shingles.js';

/** normalize → tokenize → k-shingle hashes → MinHash signature, with the sizes containment needs. */
export function sketchText(text: string, hasher: MinHasher, k: number): DocSketch {
  const tokens = tokenize(normalizeForDedup(text));
  const shingles = shingleHashes(tokens, k);
  return { signature: hasher.signature(shingles), shingleCount: shingles.length, tokenCount: tokens.length };
}
