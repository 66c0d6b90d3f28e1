import type { DedupPolicy } from './policy.js';

/**
 * Default dedup settings, measured with bench/dedup-corpus.ts (the reasoning is
 * generic; the corpus only confirmed it):
 * - 128 permutations: 512-byte signatures; Jaccard standard error ~0.044 at J = 0.5.
 * - 4-word shingles: copies of one dispatch share long runs of identical words,
 *   while different dispatches on one event share names and stock phrases
 *   ("the company said", "a annoncé mercredi"). 4-grams keep the first and drop
 *   most of the second; 3-grams let related dispatches overlap more, 5-grams
 *   let light edits (synonyms, number formats) break too many shingles.
 * - Jaccard >= 0.5: near-identical copies (headline, intro or dateline edits).
 * - Containment >= 0.6: a truncated or short copy is mostly (not just partly)
 *   inside the longer one; related dispatches quoting the same lead stay well
 *   below, and the containment estimate of a short text is noisy (about ±0.1
 *   at 45 words), so the threshold sits mid-way.
 * - 40 tokens before containment counts: one-sentence flashes (usually under
 *   40 words) are repeated inside every follow-up dispatch on the same event.
 * - LSH retrieval at Jaccard 0.15, far below the verification thresholds, so a
 *   two-paragraph copy of a ten-paragraph dispatch (J ~0.2) is still a candidate.
 */
export const DEFAULT_NUM_PERM = 128;
export const DEFAULT_SEED = 1;
export const DEFAULT_SHINGLE_SIZE = 4;

/** The clustering policy beyond the pairwise thresholds (docs/dedup.md explains each). */
export const DEFAULT_CLUSTERING = {
  keyContainmentThreshold: 0.64,
  minKeyTerms: 3,
  coreJaccard: 0.3,
  versionContainment: 0.5,
  versionKeyContainment: 0.72,
  firstVersionKeyContainment: 0.85,
  rewriteKeyContainment: 0.8,
  shortCopyShare: 0.6,
  containerMinShare: 0.15,
  containerMaxShare: 0.6,
  quoteContainment: 0.5,
  quoteKeyContainment: 0.75,
  sourceMaxShare: 0.45,
  blendShare: 0.25,
  containerOverlap: 0.25,
  blendOverlap: 0.7,
} satisfies Partial<DedupPolicy>;

export const DEFAULT_DEDUP_POLICY: DedupPolicy = {
  jaccardThreshold: 0.5,
  containmentThreshold: 0.6,
  minTokensForContainment: 40,
  candidateThreshold: 0.15,
  ...DEFAULT_CLUSTERING,
};
