import { fmix32, murmurRound } from './hash32.js';

const TWO_POW_32 = 0x1_0000_0000;
const EMPTY = 0xffffffff;
/** Probes tried per empty bin before giving up; only reached by pathological inputs. */
const MAX_PROBES = 1 << 16;

/**
 * MinHash signatures by one-permutation hashing (OPH) with optimal
 * densification (Shrivastava, ICML 2017).
 *
 * Why not the textbook "numPerm affine permutations": that costs numPerm hash
 * evaluations per shingle. OPH hashes each shingle once with a pseudo-random
 * permutation of the 32-bit universe (fmix32 is a bijection), sends it to bin
 * floor(v * numPerm / 2^32) and keeps the minimum per bin, so a signature costs
 * one mix per shingle. Bins left empty (short texts) borrow the value of the
 * first non-empty bin along a probe sequence that depends only on (bin, seed),
 * never on the document; that keeps Pr[sigA[i] == sigB[i]] = Jaccard(A, B)
 * for every i, so the fraction of equal positions is an unbiased estimator and
 * banding for LSH works unchanged.
 *
 * All arithmetic is int32 (Math.imul) or exact float64 (v * numPerm < 2^53).
 */
export class MinHasher {
  readonly numPerm: number;
  readonly seed: number;
  private readonly seedMix: number;
  private readonly filled: Uint8Array;

  constructor(opts: { numPerm: number; seed: number }) {
    const { numPerm, seed } = opts;
    if (!Number.isInteger(numPerm) || numPerm < 1 || numPerm > 1 << 16) {
      throw new Error(`dedup: numPerm must be an integer in [1, 65536], got ${numPerm}`);
    }
    if (!Number.isInteger(seed)) throw new Error(`dedup: seed must be an integer, got ${seed}`);
    this.numPerm = numPerm;
    this.seed = seed;
    this.seedMix = fmix32(seed ^ 0x5bd1e995);
    this.filled = new Uint8Array(numPerm);
  }

  /** Signature of a set of 32-bit shingle hashes (duplicates are harmless). */
  signature(shingles: Uint32Array): Uint32Array {
    const m = this.numPerm;
    const sig = new Uint32Array(m).fill(EMPTY);
    const filled = this.filled;
    filled.fill(0);
    const seedMix = this.seedMix;
    let filledCount = 0;

    for (let i = 0; i < shingles.length; i++) {
      const v = fmix32(shingles[i]! ^ seedMix);
      const bin = Math.floor((v * m) / TWO_POW_32);
      if (filled[bin] === 0) {
        filled[bin] = 1;
        filledCount++;
        sig[bin] = v;
      } else if (v < sig[bin]!) {
        sig[bin] = v;
      }
    }

    if (filledCount === 0 || filledCount === m) return sig;
    for (let bin = 0; bin < m; bin++) {
      if (filled[bin] === 1) continue;
      sig[bin] = sig[this.borrowFrom(bin, filled)]!;
    }
    return sig;
  }

  /** The first originally non-empty bin on this bin's document-independent probe sequence. */
  private borrowFrom(bin: number, filled: Uint8Array): number {
    const m = this.numPerm;
    const base = murmurRound(this.seedMix, bin);
    for (let attempt = 1; attempt <= MAX_PROBES; attempt++) {
      const probe = Math.floor((fmix32(murmurRound(base, attempt)) * m) / TWO_POW_32);
      if (filled[probe] === 1) return probe;
    }
    // Unreachable in practice (needs ~2^16 misses in a row): fall back to a scan
    // that is still document-independent in its order.
    for (let step = 1; step < m; step++) {
      const probe = (bin + step) % m;
      if (filled[probe] === 1) return probe;
    }
    return bin;
  }
}

/** Fraction of equal positions: the MinHash estimate of Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) {
    throw new Error(`dedup: signatures differ in length (${a.length} vs ${b.length})`);
  }
  if (a.length === 0) return 0;
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

/**
 * Estimated containment of A in B, |A ∩ B| / |A|, from the Jaccard estimate
 * and the set sizes: |A ∩ B| = J (|A| + |B|) / (1 + J). Clamped to [0, 1]
 * because the estimate of J is noisy.
 */
export function estimateContainment(a: Uint32Array, b: Uint32Array, sizeA: number, sizeB: number): number {
  if (sizeA <= 0 || sizeB <= 0) return 0;
  const j = estimateJaccard(a, b);
  const c = (j * (sizeA + sizeB)) / ((1 + j) * sizeA);
  return Math.min(1, Math.max(0, c));
}

/** Little-endian uint32s, numPerm * 4 bytes: the stored form in Redis. */
export function signatureToBuffer(sig: Uint32Array): Buffer {
  const buf = Buffer.allocUnsafe(sig.length * 4);
  for (let i = 0; i < sig.length; i++) buf.writeUInt32LE(sig[i]!, i * 4);
  return buf;
}

export function signatureFromBuffer(buf: Buffer): Uint32Array {
  if (buf.length % 4 !== 0) throw new Error(`dedup: signature buffer length ${buf.length} is not a multiple of 4`);
  const sig = new Uint32Array(buf.length / 4);
  for (let i = 0; i < sig.length; i++) sig[i] = buf.readUInt32LE(i * 4);
  return sig;
}
