import { type KeySketch, keyContainment } from './key-terms.js';
import { estimateJaccard } from './minhash.js';

export type DedupPolicy = {
  /** Near-duplicates when the estimated Jaccard similarity reaches this. */
  jaccardThreshold: number;
  /** A copy is inside another when at least this share of its shingles are in it... */
  containmentThreshold: number;
  /** ...and it has at least this many tokens (a one-sentence flash is weak evidence). */
  minTokensForContainment: number;
  /** The low Jaccard threshold the LSH index is tuned for, so short copies become candidates. */
  candidateThreshold: number;
  /**
   * Copies keep their figures, days and names: the shorter text's key terms must be
   * in the longer at least this much (templated series and briefs fail it).
   */
  keyContainmentThreshold: number;
  /** Below this many key terms the key test says nothing and is skipped. */
  minKeyTerms: number;
  /**
   * A containment link is strong (it may join two groups of copies) only when
   * the two texts also share this much Jaccard: the contained copy is a large part
   * of the other, not one or two quoted paragraphs.
   */
  coreJaccard: number;
  /** Two versions of one dispatch each hold at least this share of the other... */
  versionContainment: number;
  /** ...and this share of each other's key terms. */
  versionKeyContainment: number;
  /** A local rewrite with names of its own still holds this share of the dispatch's key terms. */
  rewriteKeyContainment: number;
  /** A shorter first version inside the longer by versionContainment holds this share of its key terms. */
  firstVersionKeyContainment: number;
  /** A group of copies attaches weakly only when its longest is at most this share of the host's longest. */
  shortCopyShare: number;
  /**
   * A container is made of parts of several texts: each of two unrelated ones
   * holds at least containerMinShare of it, none holds containerMaxShare or more
   * (an AFP copy with one Reuters paragraph added is still the AFP copy).
   */
  containerMinShare: number;
  containerMaxShare: number;
  /** ...and each of them is a quote: at least this share of it is inside the container. */
  quoteContainment: number;
  /**
   * ...that holds at most this share of the container (a twin page sharing a
   * template holds about as much of the other as the other holds of it)...
   */
  sourceMaxShare: number;
  /** ...holding this share of its key terms (a quote is verbatim). */
  quoteKeyContainment: number;
  /**
   * Or a part: the page and a longer text each hold at least this share of the
   * other (an outlet's blend of paragraphs of several agencies' dispatches).
   */
  blendShare: number;
  /** Two quoted texts are disjoint parts of a container when their shared signature positions overlap at most this much. */
  containerOverlap: number;
  /** ...or this much when one of them is a part (blendShare): agencies on one event share a quote. */
  blendOverlap: number;
};

export type DocSketch = KeySketch & { signature: Uint32Array; shingleCount: number; tokenCount: number };

/** What two texts share, both ways. */
export type Relation = {
  jaccard: number;
  /** Share of a's shingles in b, and of b's in a. */
  aInB: number;
  bInA: number;
  /** Share of a's key terms in b, and of b's in a. */
  keysAInB: number;
  keysBInA: number;
};

export function relate(a: DocSketch, b: DocSketch): Relation {
  if (a.shingleCount === 0 || b.shingleCount === 0)
    return { jaccard: 0, aInB: 0, bInA: 0, keysAInB: 0, keysBInA: 0 };
  const jaccard = estimateJaccard(a.signature, b.signature);
  // |A ∩ B| = J (|A| + |B|) / (1 + J)
  const inter = (jaccard * (a.shingleCount + b.shingleCount)) / (1 + jaccard);
  return {
    jaccard,
    aInB: Math.min(1, inter / a.shingleCount),
    bInA: Math.min(1, inter / b.shingleCount),
    keysAInB: keyContainment(a, b),
    keysBInA: keyContainment(b, a),
  };
}

/** The key test for one direction: a text with few key terms says nothing. */
function keysHeld(text: DocSketch, share: number, min: number, policy: DedupPolicy): boolean {
  return text.keyCount < policy.minKeyTerms || share >= min;
}

export type Link =
  /** near-identical copies */
  | { kind: 'near-duplicate'; jaccard: number }
  /**
   * `inner` (a or b) is mostly inside the other. Strong links (a large part of
   * the other, or two versions that each hold most of the other) may join
   * groups; weak ones (a short copy) only attach the inner text to one group.
   */
  | { kind: 'contained'; inner: 'a' | 'b'; containment: number; jaccard: number; strong: boolean }
  | { kind: 'none'; reason: string };

/**
 * How a and b are related as copies of one dispatch, from the pair alone.
 * Symmetric in a and b. Every link also needs the figures and names to agree:
 * the inner text's key terms must be in the outer one, and when the outer is
 * largely inside the inner as well (texts of similar size), the outer's too,
 * so two briefs that share only their page template, or two days of a
 * templated series, are never linked (a rewrite with names of its own passes
 * when it keeps nearly all of the other's terms).
 * - near-duplicates: Jaccard >= jaccardThreshold;
 * - inside: the shorter (>= minTokensForContainment tokens) has at least
 *   containmentThreshold of its shingles in the longer;
 * - versions: both hold at least versionContainment of each other (a first
 *   version and the full one, an update with a new lead), with a stricter key
 *   test (versionKeyContainment both ways);
 * - a first version: the shorter has versionContainment inside the longer and
 *   nearly all its key terms (firstVersionKeyContainment): a weak link.
 */
export function linkOf(a: DocSketch, b: DocSketch, r: Relation, policy: DedupPolicy): Link {
  const f = (x: number) => x.toFixed(3);
  if (a.shingleCount === 0 || b.shingleCount === 0) return { kind: 'none', reason: 'empty text' };
  const aInner = a.shingleCount <= b.shingleCount;
  const [inner, outer] = aInner ? [a, b] : [b, a];
  const cIn = aInner ? r.aInB : r.bInA;
  const cOut = aInner ? r.bInA : r.aInB;
  const kIn = aInner ? r.keysAInB : r.keysBInA;
  const kOut = aInner ? r.keysBInA : r.keysAInB;
  const longEnough = inner.tokenCount >= policy.minTokensForContainment;
  const kt = policy.keyContainmentThreshold;
  // A heavy local rewrite brings names of its own (kIn low) but keeps nearly all
  // of the dispatch's figures and names (kOut high): that agrees too.
  const keysAgree =
    (keysHeld(inner, kIn, kt, policy) && (cOut < 0.5 || keysHeld(outer, kOut, kt, policy))) ||
    (cOut >= 0.5 && outer.keyCount >= policy.minKeyTerms && kOut >= policy.rewriteKeyContainment);
  const keysMsg = `figures and names differ (key containment ${f(kIn)} / ${f(kOut)})`;
  const contained = (containment: number, strong: boolean): Link => ({
    kind: 'contained',
    inner: aInner ? 'a' : 'b',
    containment,
    jaccard: r.jaccard,
    strong,
  });

  if (r.jaccard >= policy.jaccardThreshold) {
    // A truncated copy lacks the cut paragraphs' terms: only the inner text's count.
    return keysHeld(inner, kIn, kt, policy)
      ? { kind: 'near-duplicate', jaccard: r.jaccard }
      : { kind: 'none', reason: keysMsg };
  }
  if (longEnough && cIn >= policy.containmentThreshold) {
    return keysAgree ? contained(cIn, r.jaccard >= policy.coreJaccard) : { kind: 'none', reason: keysMsg };
  }
  if (longEnough && cIn >= policy.versionContainment) {
    const vk = policy.versionKeyContainment;
    if (
      cOut >= policy.versionContainment &&
      keysHeld(inner, kIn, vk, policy) &&
      keysHeld(outer, kOut, vk, policy)
    )
      return contained(cIn, true);
    if (inner.keyCount >= policy.minKeyTerms && kIn >= policy.firstVersionKeyContainment)
      return contained(cIn, false);
  }
  return { kind: 'none', reason: `jaccard ${f(r.jaccard)} and containment ${f(cIn)} below thresholds` };
}

export type SameStoryVerdict = { same: boolean; jaccard: number; containment: number; reason: string };

/** The pairwise test alone (benches, review tooling): linked as copies, either way. */
export function isSameStory(a: DocSketch, b: DocSketch, policy: DedupPolicy): SameStoryVerdict {
  const r = relate(a, b);
  const link = linkOf(a, b, r, policy);
  const containment = a.shingleCount <= b.shingleCount ? r.aInB : r.bInA;
  const reason =
    link.kind === 'none'
      ? link.reason
      : link.kind === 'near-duplicate'
        ? `jaccard ${link.jaccard.toFixed(3)} >= ${policy.jaccardThreshold}`
        : `containment ${link.containment.toFixed(3)} >= ${policy.containmentThreshold}`;
  return { same: link.kind !== 'none', jaccard: r.jaccard, containment, reason };
}
