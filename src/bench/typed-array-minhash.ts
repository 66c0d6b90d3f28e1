import { prng } from './prng.js';

/**
 * The textbook MinHash a competent user writes on typed arrays, as a baseline
 * for the MinHash step alone: numPerm hash functions h_j(x) = a_j·x + b_j,
 * signature[j] = min over the set of h_j. It takes the same 32-bit shingle
 * hashes as MinHasher.signature, so a comparison of the two on the same
 * inputs is of that step and nothing else.
 *
 * Why mod 2^32 and not mod a prime: in JS an exact (a·x + b) mod p for a
 * 32-bit x needs a split multiply and float remainders (16-bit halves, `%` at
 * each step: ~35× slower here), and the npm package's one-line
 * `(a * x + b) % p` is inexact (the product overflows float64's 53 bits).
 * With odd a, x ↦ a·x + b mod 2^32 is a permutation of the 32-bit universe,
 * and the shingle hashes it permutes are already avalanche-mixed (fmix32), so
 * its estimates are as accurate (test/bench/typed-array-minhash.test.ts).
 *
 * One loop per hash function, the running minimum in a local: the form that
 * keeps everything in registers and allocates nothing but the signature.
 */
export class TypedArrayMinHash {
  readonly numPerm: number;
  private readonly a: Uint32Array;
  private readonly b: Uint32Array;

  constructor(opts: { numPerm: number; seed: number }) {
    const { numPerm, seed } = opts;
    if (!Number.isInteger(numPerm) || numPerm < 1)
      throw new Error(`bench: numPerm must be a positive integer, got ${numPerm}`);
    this.numPerm = numPerm;
    const rand = prng(seed);
    const word = () => Math.floor(rand() * 2 ** 32);
    this.a = Uint32Array.from({ length: numPerm }, () => word() | 1);
    this.b = Uint32Array.from({ length: numPerm }, word);
  }

  /** Signature of shingles[0, n); an empty set gives all 0xffffffff, as MinHasher does. */
  signature(shingles: Uint32Array, n = shingles.length): Uint32Array {
    const m = this.numPerm;
    const sig = new Uint32Array(m);
    for (let j = 0; j < m; j++) {
      const a = this.a[j]!;
      const b = this.b[j]!;
      let min = 0xffffffff;
      for (let i = 0; i < n; i++) {
        const h = (Math.imul(a, shingles[i]!) + b) >>> 0;
        if (h < min) min = h;
      }
      sig[j] = min;
    }
    return sig;
  }
}
