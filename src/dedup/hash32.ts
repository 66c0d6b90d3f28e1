/**
 * 32-bit non-cryptographic hashing primitives shared by shingling, MinHash and
 * LSH banding. Everything stays in int32 arithmetic (Math.imul, shifts) so no
 * float64 product ever loses bits.
 */

/** FNV-1a state before any character (hashString32's default seed). */
export const FNV_START = 0x811c9dc5 | 0;
/** FNV-1a's 32-bit prime: each character is xored in, then the state multiplied by it. */
export const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of a string, finished with fmix32 for avalanche. */
export function hashString32(s: string, seed = FNV_START): number {
  return fmix32(fnvFeed(seed | 0, s));
}

/**
 * FNV-1a of `s` fed on from state `h` (unfinished): hashString32 of a joined
 * string is fmix32 of its parts fed in turn, with no joined string built.
 */
export function fnvFeed(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

const SPACE = 32;

function space(h: number): number {
  return Math.imul(h ^ SPACE, FNV_PRIME);
}

/** hashString32(`${a} ${b} ${c}`), without building the string (it runs for every fact of every body). */
export function hashWords3(a: string, b: string, c: string): number {
  return fmix32(fnvFeed(space(fnvFeed(space(fnvFeed(FNV_START, a)), b)), c));
}

/** hashString32(`${a} ${b} ${c} ${d}`), without building the string. */
export function hashWords4(a: string, b: string, c: string, d: string): number {
  return fmix32(fnvFeed(space(fnvFeed(space(fnvFeed(space(fnvFeed(FNV_START, a)), b)), c)), d));
}

/** murmur3's finaliser: a bijection on 32-bit integers with full avalanche. */
export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One murmur3_32 body round: folds a 32-bit block into the running state. */
export function murmurRound(state: number, block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = state ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
