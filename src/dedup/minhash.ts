import { fmix32, murmurRound } from './hash32.js';

const EMPTY = 0xffffffff;

/**
 * MinHash signatures by fast similarity sketching (Dahlgaard, Knudsen and
 * Thorup, FOCS 2017), a one-permutation scheme without densification bias.
 *
 * Why not the textbook "numPerm affine permutations": that costs numPerm hash
 * evaluations per shingle. Here each round t hashes every shingle once,
 * v = fmix32(x ^ seed_t) (fmix32 is a bijection, so each round is a random
 * permutation of the 32-bit universe), sends it to bin floor(top16(v) * numPerm / 2^16)
 * and keeps the minimum v per bin, but only in bins no earlier round filled.
 * Rounds repeat until every bin is filled: one or two rounds for a 600-word
 * text, more for a short flash. Round 2 costs no hashing: it takes its bin
 * from the low 16 bits of round 1's v instead of the top 16 (independent
 * bits, so an independent bin), keyed by the same v. After numPerm random rounds, bin j's last
 * resort is a round of its own that every shingle enters.
 *
 * Bin j's value is therefore the minimum over the set of a per-shingle key
 * (first round the shingle reached bin j, then v) that is independent and
 * identically distributed across shingles. The minimising shingle of A ∪ B is
 * uniform over A ∪ B, so Pr[sigA[j] == sigB[j]] = Jaccard(A, B) exactly: the
 * fraction of equal positions is unbiased, bins are nearly independent (no
 * copied values as with densified one-permutation hashing), and LSH banding
 * works unchanged.
 *
 * All arithmetic is int32 (Math.imul) or exact float64 (v * numPerm < 2^53).
 */
export class MinHasher {
  readonly numPerm: number;
  readonly seed: number;
  /** Per-round seeds: numPerm random rounds, then numPerm per-bin last-resort rounds. */
  private readonly roundSeeds: Int32Array;
  /** Round (1-based) that filled each bin; 0 = empty. Scratch reused across calls. */
  private readonly filledIn: Uint16Array;

  constructor(opts: { numPerm: number; seed: number }) {
    const { numPerm, seed } = opts;
    if (!Number.isInteger(numPerm) || numPerm < 1 || numPerm > 1 << 15) {
      throw new Error(`dedup: numPerm must be an integer in [1, 32768], got ${numPerm}`);
    }
    if (!Number.isInteger(seed)) throw new Error(`dedup: seed must be an integer, got ${seed}`);
    this.numPerm = numPerm;
    this.seed = seed;
    this.roundSeeds = new Int32Array(2 * numPerm);
    let state = fmix32(seed ^ 0x5bd1e995);
    for (let i = 0; i < this.roundSeeds.length; i++) {
      state = murmurRound(state, i);
      this.roundSeeds[i] = fmix32(state);
    }
    this.filledIn = new Uint16Array(numPerm);
  }

  /** Signature of a set of 32-bit shingle hashes, shingles[0, n) (duplicates are harmless). */
  signature(shingles: Uint32Array, n = shingles.length): Uint32Array {
    const m = this.numPerm;
    const sig = newSignature(m);
    if (n === 0) return sig.fill(EMPTY);
    // Minima are kept as int32 with the sign bit flipped, so signed comparison
    // is unsigned order and V8 stays on small-integer fast paths (a uint32 above
    // 2^31 would be a heap double).
    const mins = new Int32Array(sig.buffer, sig.byteOffset, m);
    const filledIn = this.filledIn;
    filledIn.fill(0);
    if (hashed.length < n) hashed = new Int32Array(Math.max(n, hashed.length * 2));
    const vs = hashed;
    let filled = 0;

    // Round 1: bin from the top 16 bits of v.
    const seed1 = this.roundSeeds[0]!;
    for (let i = 0; i < n; i++) {
      const v = lightMix(shingles[i]! ^ seed1);
      vs[i] = v;
      // bin = floor(top16(v) * m / 2^16): exact integer arithmetic (m <= 2^15)
      const bin = (((v >>> 16) * m) >>> 16) | 0;
      const key = v ^ SIGN;
      if (filledIn[bin] === 0) {
        filledIn[bin] = 1;
        filled++;
        mins[bin] = key;
      } else if (key < mins[bin]!) {
        mins[bin] = key;
      }
    }

    // Round 2 reuses round 1's hash: its bin comes from the low 16 bits,
    // independent of the top ones, so no shingle is hashed twice. Only the
    // few bins round 1 left empty can take a value here.
    if (filled < m) {
      for (let i = 0; i < n; i++) {
        const v = vs[i]!;
        const bin = (((v & 0xffff) * m) >>> 16) | 0;
        const at = filledIn[bin]!;
        if (at === 1) continue;
        const key = v ^ SIGN;
        if (at === 0) {
          filledIn[bin] = 2;
          filled++;
          mins[bin] = key;
        } else if (key < mins[bin]!) {
          mins[bin] = key;
        }
      }
    }

    for (let round = 3; round <= m && filled < m; round++) {
      const roundSeed = this.roundSeeds[round - 1]!;
      for (let i = 0; i < n; i++) {
        const v = mix(shingles[i]! ^ roundSeed);
        const bin = (((v >>> 16) * m) >>> 16) | 0;
        const key = v ^ SIGN;
        const at = filledIn[bin]!;
        if (at === 0) {
          filledIn[bin] = round;
          filled++;
          mins[bin] = key;
        } else if (at === round && key < mins[bin]!) {
          mins[bin] = key;
        }
      }
    }

    // Tiny sets (a handful of shingles) may still leave bins empty: each gets
    // a last-resort round that every shingle enters.
    for (let bin = 0; filled < m && bin < m; bin++) {
      if (filledIn[bin] !== 0) continue;
      const roundSeed = this.roundSeeds[m + bin]!;
      let min = EMPTY ^ SIGN;
      for (let i = 0; i < n; i++) {
        const key = mix(shingles[i]! ^ roundSeed) ^ SIGN;
        if (key < min) min = key;
      }
      mins[bin] = min;
    }

    for (let bin = 0; bin < m; bin++) sig[bin] = sig[bin]! ^ SIGN_U;
    return sig;
  }
}

/** Round 1's hash of each shingle, for round 2. Scratch reused between calls. */
let hashed = new Int32Array(1 << 11);

/**
 * Signatures are carved out of shared 8 KiB slabs, as Node's Buffer pool
 * does: a typed array with its own small backing store costs more to allocate
 * than a whole signature costs to compute. A slab lives as long as any
 * signature in it.
 */
const SLAB_BYTES = 1 << 13;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

function newSignature(m: number): Uint32Array {
  const bytes = m * 4;
  if (bytes > SLAB_BYTES / 8) return new Uint32Array(m);
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const sig = new Uint32Array(slab, slabUsed, m);
  slabUsed += bytes;
  return sig;
}

const SIGN = 0x80000000 | 0;
const SIGN_U = 0x80000000;

/**
 * Round 1's permutation: one multiply and a shift, half of fmix32. Enough here
 * because shingle hashes arrive already avalanche-mixed (fmix32 in
 * shingles.ts); the shift carries the well-mixed high bits of the product into
 * the low ones that round 2 takes its bin from.
 */
function lightMix(x: number): number {
  const h = Math.imul(x, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** fmix32 returning int32 (no >>> 0), for the hot loop. */
function mix(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
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
  if (buf.length % 4 !== 0)
    throw new Error(`dedup: signature buffer length ${buf.length} is not a multiple of 4`);
  const sig = new Uint32Array(buf.length / 4);
  for (let i = 0; i < sig.length; i++) sig[i] = buf.readUInt32LE(i * 4);
  return sig;
}
