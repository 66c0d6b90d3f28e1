import { estimateJaccard } from './minhash.js';

export type DedupPolicy = {
  /** Same story when the estimated Jaccard similarity reaches this. */
  jaccardThreshold: number;
  /** Same story when the smaller copy is contained in the larger at least this much... */
  containmentThreshold: number;
  /** ...and the smaller copy has at least this many tokens (a short flash is weak evidence). */
  minTokensForContainment: number;
  /** The low Jaccard threshold the LSH index is tuned for, so short copies become candidates. */
  candidateThreshold: number;
};

export type DocSketch = { signature: Uint32Array; shingleCount: number; tokenCount: number };

export type SameStoryVerdict = { same: boolean; jaccard: number; containment: number; reason: string };

/**
 * Same story when the copies are near-identical (Jaccard), or when the smaller
 * one is a truncated/short version of the larger (containment) and is long
 * enough for that to mean something: a one-sentence flash shares its few
 * shingles with every follow-up on the same event, so containment alone would
 * chain different dispatches together. Symmetric in a and b.
 */
export function isSameStory(a: DocSketch, b: DocSketch, policy: DedupPolicy): SameStoryVerdict {
  if (a.shingleCount === 0 || b.shingleCount === 0) {
    return { same: false, jaccard: 0, containment: 0, reason: 'empty text' };
  }
  const jaccard = estimateJaccard(a.signature, b.signature);
  const small = Math.min(a.shingleCount, b.shingleCount);
  const large = Math.max(a.shingleCount, b.shingleCount);
  // |S ∩ L| = J (|S| + |L|) / (1 + J); containment of the smaller set in the larger.
  const containment = Math.min(1, (jaccard * (small + large)) / ((1 + jaccard) * small));
  const fmt = (x: number) => x.toFixed(3);

  if (jaccard >= policy.jaccardThreshold) {
    return {
      same: true,
      jaccard,
      containment,
      reason: `jaccard ${fmt(jaccard)} >= ${policy.jaccardThreshold}`,
    };
  }
  if (containment >= policy.containmentThreshold) {
    const shorterTokens = Math.min(a.tokenCount, b.tokenCount);
    if (shorterTokens >= policy.minTokensForContainment) {
      return {
        same: true,
        jaccard,
        containment,
        reason: `containment ${fmt(containment)} >= ${policy.containmentThreshold}`,
      };
    }
    return {
      same: false,
      jaccard,
      containment,
      reason: `contained (${fmt(containment)}) but shorter copy has ${shorterTokens} < ${policy.minTokensForContainment} tokens`,
    };
  }
  return {
    same: false,
    jaccard,
    containment,
    reason: `jaccard ${fmt(jaccard)} and containment ${fmt(containment)} below thresholds`,
  };
}
