import { normalizeForDedup, tokenize } from './normalize.js';
import { shingleHashes } from './shingles.js';

export type Similarity = { jaccard: number; containment: number; tokens: number };

/**
 * Exact shingle Jaccard and containment (of the smaller in the larger): what
 * the dedup policy estimates from signatures, computed from the texts, for
 * editors comparing copies.
 */
export function similarity(base: string, other: string, shingleSize: number): Similarity {
  const tb = tokenize(normalizeForDedup(base));
  const to = tokenize(normalizeForDedup(other));
  const sb = new Set(shingleHashes(tb, shingleSize));
  const so = new Set(shingleHashes(to, shingleSize));
  let inter = 0;
  for (const h of so) if (sb.has(h)) inter++;
  const union = sb.size + so.size - inter;
  const small = Math.min(sb.size, so.size);
  return {
    jaccard: union ? inter / union : 0,
    containment: small ? inter / small : 0,
    tokens: to.length,
  };
}
