import { fmix32, murmurRound } from './hash32.js';

/** Simpson's rule over [lo, hi]; the integrands here are smooth polynomials. */
function integrate(f: (s: number) => number, lo: number, hi: number, steps = 200): number {
  if (hi <= lo) return 0;
  const h = (hi - lo) / steps;
  let sum = f(lo) + f(hi);
  for (let i = 1; i < steps; i++) sum += f(lo + i * h) * (i % 2 === 1 ? 4 : 2);
  return (sum * h) / 3;
}

/** Probability that a pair with Jaccard s shares at least one band bucket. */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}

/**
 * Bands and rows for an LSH index at a Jaccard threshold, chosen the way
 * datasketch's `_optimal_param` does: over every (b, r) with b * r <= numPerm,
 * minimise fpWeight * (area under the candidate-probability S-curve below the
 * threshold) + fnWeight * (area above the curve beyond it).
 */
export function optimalLshParams(
  threshold: number,
  numPerm: number,
  fpWeight = 0.5,
  fnWeight = 0.5,
): { bands: number; rows: number } {
  if (!(threshold > 0 && threshold < 1))
    throw new Error(`dedup: LSH threshold must be in (0, 1), got ${threshold}`);
  if (!Number.isInteger(numPerm) || numPerm < 1) throw new Error(`dedup: numPerm must be a positive integer`);
  if (fpWeight < 0 || fnWeight < 0 || fpWeight + fnWeight === 0) {
    throw new Error('dedup: LSH weights must be non-negative and not both zero');
  }
  let best = { bands: 1, rows: 1 };
  let bestError = Number.POSITIVE_INFINITY;
  for (let bands = 1; bands <= numPerm; bands++) {
    const maxRows = Math.floor(numPerm / bands);
    for (let rows = 1; rows <= maxRows; rows++) {
      const fp = integrate((s) => candidateProbability(s, bands, rows), 0, threshold);
      const fn = integrate((s) => 1 - candidateProbability(s, bands, rows), threshold, 1);
      const error = fpWeight * fp + fnWeight * fn;
      if (error < bestError) {
        bestError = error;
        best = { bands, rows };
      }
    }
  }
  return best;
}

/**
 * Two independent 32-bit hashes per band (murmur3_32 chains over the band's
 * rows): out[2b] and out[2b+1] for band b. Two signatures agree on both
 * exactly when their rows of band b agree (barring a 2^-64 collision). The
 * Redis index uses the first as the bucket tag and the second to pick a shard.
 */
export function bandBuckets(sig: Uint32Array, bands: number, rows: number): Uint32Array {
  if (bands * rows > sig.length) {
    throw new Error(
      `dedup: ${bands} bands x ${rows} rows need ${bands * rows} hash values, signature has ${sig.length}`,
    );
  }
  const out = new Uint32Array(2 * bands);
  for (let b = 0; b < bands; b++) {
    let h1 = 0x2545f491 ^ b;
    let h2 = 0x6c8e9cf5 ^ Math.imul(b, 0x9e3779b1);
    const start = b * rows;
    for (let r = 0; r < rows; r++) {
      const v = sig[start + r]! | 0;
      h1 = murmurRound(h1, v);
      h2 = murmurRound(h2, v ^ 0x7f4a7c15);
    }
    out[2 * b] = fmix32(h1 ^ rows);
    out[2 * b + 1] = fmix32(h2 ^ (rows << 8));
  }
  return out;
}

/** One 64-bit bucket id per band, as 16 hex characters (bandBuckets, printable). */
export function bandBucketHashes(sig: Uint32Array, bands: number, rows: number): string[] {
  const h = bandBuckets(sig, bands, rows);
  return Array.from({ length: bands }, (_, b) => hex8(h[2 * b]!) + hex8(h[2 * b + 1]!));
}

function hex8(x: number): string {
  return x.toString(16).padStart(8, '0');
}
