import { fmix32 } from './hash32.js';

/**
 * Key terms: the figures, days and names that make a story news. Two market
 * closes written from one template share most of their 4-word shingles but
 * not their closing levels; two one-paragraph briefs on a template-heavy page
 * share the promo text but not their towns and numbers. Copies of one
 * dispatch, however edited, keep its figures and names: the key terms of the
 * shorter copy are (nearly) all in the longer one.
 *
 * A text's key terms are
 * - numbers, written as normalize.ts writes them (thousands separators
 *   dropped, decimal mark `.`), so "1 200", "1,200" and "1200" are one term;
 * - weekday names (French and English): the day is news in a dated series;
 * - capitalised words that do not open a sentence (names of people, places,
 *   clubs, companies), case-folded and without accents.
 *
 * The sketch keeps the `KEY_SKETCH_SIZE` smallest distinct 16-bit hashes
 * (bottom-k), which is every term of a typical dispatch and a uniform sample
 * of a longer one; with the exact term count it estimates the containment of
 * one text's key terms in another's.
 */
export const KEY_SKETCH_SIZE = 20;

export type KeySketch = {
  /** Distinct 16-bit term hashes, ascending, at most KEY_SKETCH_SIZE. */
  keys: Uint16Array;
  /** Distinct key terms in the text (clamped to 255 when stored). */
  keyCount: number;
};

const WEEKDAY_NAMES = [
  'lundi',
  'mardi',
  'mercredi',
  'jeudi',
  'vendredi',
  'samedi',
  'dimanche',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

// Per UTF-16 code unit, filled on first sight: the folded unit (lower case, no
// accent; 0 for a mark to drop) and its class. One table lookup per character
// keeps this pass a small fraction of the shingling cost.
const LETTER = 1;
const UPPER = 2;
const DIGIT = 4;
const foldTable = new Uint16Array(65536);
const classTable = new Uint8Array(65536);
const known = new Uint8Array(65536);

function learn(c: number): void {
  known[c] = 1;
  const ch = String.fromCharCode(c);
  if (c >= 48 && c <= 57) {
    classTable[c] = DIGIT;
    foldTable[c] = c;
    return;
  }
  const isLetter = /\p{L}/u.test(ch);
  const isMark = /\p{M}/u.test(ch);
  if (!isLetter && !isMark) return;
  const base = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  foldTable[c] = base.length === 1 ? base.charCodeAt(0) : base.length === 0 ? 0 : c;
  classTable[c] = LETTER | (isLetter && ch !== ch.toLowerCase() ? UPPER : 0);
}

function classOf(c: number): number {
  if (known[c] === 0) learn(c);
  return classTable[c]!;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Distinct seeds so a number, a weekday and a name never collide by construction. */
const NUMBER_SEED = 0x9e3779b9 | 0;
const NAME_SEED = 0x7f4a7c15 | 0;
const DAY_SEED = 0x2545f491 | 0;

function foldedHash(u: Uint16Array, from: number, to: number, seed: number): number {
  let h = FNV_OFFSET ^ seed;
  for (let i = from; i < to; i++) {
    const c = u[i] ?? 0;
    classOf(c);
    const f = foldTable[c]!;
    if (f === 0) continue;
    h = Math.imul(h ^ f, FNV_PRIME);
  }
  return fmix32(h);
}

const WEEKDAY_HASHES = new Set(
  WEEKDAY_NAMES.map((w) =>
    foldedHash(
      Uint16Array.from(w, (ch) => ch.charCodeAt(0)),
      0,
      w.length,
      NAME_SEED,
    ),
  ),
);

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0xa0 || c === 0x202f;
}
function isDash(c: number): boolean {
  return c === 45 || c === 0x2013 || c === 0x2014;
}
/** Marks after which a capital says nothing: sentence ends, quotes, brackets. */
function endsSentence(c: number): boolean {
  return (
    c === 46 ||
    c === 33 ||
    c === 63 ||
    c === 58 ||
    c === 59 ||
    c === 0x2026 ||
    c === 0xab ||
    c === 0xbb ||
    c === 34 ||
    c === 0x201c ||
    c === 0x201d ||
    c === 40 ||
    c === 10
  );
}

/**
 * A wire dateline at the start of a paragraph ("NICE, 15 avril 2026 (AFP) -",
 * "TULSA, Okla. (AP) —"): outlets keep or strip it, so its place and date are
 * not the story's terms. Returns where the paragraph's text starts.
 */
function skipDateline(u: Uint16Array, at: number, n: number): number {
  const limit = Math.min(n, at + 80);
  let i = at;
  while (i < limit && isSpace(u[i] ?? 0)) i++;
  if (i >= limit || (classOf(u[i] ?? 0) & UPPER) === 0) return at;
  for (let j = i; j < limit; j++) {
    const c = u[j] ?? 0;
    if (c === 10) return at;
    if (c !== 40) continue;
    let k = j + 1;
    if (k >= limit || (classOf(u[k] ?? 0) & UPPER) === 0) return at;
    while (k < limit && (classOf(u[k] ?? 0) & LETTER) !== 0) k++;
    if ((u[k] ?? 0) !== 41) return at;
    k++;
    while (k < limit && isSpace(u[k] ?? 0)) k++;
    if (!isDash(u[k] ?? 0)) return at;
    k++;
    while (k < n && isSpace(u[k] ?? 0)) k++;
    return k;
  }
  return at;
}

/** Hash of a number as normalize.ts writes it: a group of 3 after a separator is thousands, else a decimal part. */
function numberAt(u: Uint16Array, from: number, n: number): { end: number; hash: number } {
  let h = FNV_OFFSET ^ NUMBER_SEED;
  let i = from;
  for (;;) {
    while (i < n && classOf(u[i] ?? 0) === DIGIT) h = Math.imul(h ^ (u[i++] ?? 0), FNV_PRIME);
    const sep = u[i] ?? 0;
    const isSep =
      sep === 32 ||
      sep === 0xa0 ||
      sep === 0x202f ||
      sep === 46 ||
      sep === 44 ||
      sep === 39 ||
      sep === 0x2019;
    if (!isSep || i + 1 >= n || classOf(u[i + 1] ?? 0) !== DIGIT) break;
    let g = i + 1;
    while (g < n && classOf(u[g] ?? 0) === DIGIT) g++;
    const thousands = g - (i + 1) === 3;
    if (!thousands) {
      // A space or apostrophe before other than 3 digits separates two numbers.
      if (sep !== 46 && sep !== 44) break;
      h = Math.imul(h ^ 46, FNV_PRIME);
    }
    i++;
  }
  return { end: i, hash: fmix32(h) };
}

// Term hashes of the text being sketched (duplicates included), reused.
let termScratch = new Uint32Array(1024);
let termCount = 0;
const terms = {
  add(h: number): void {
    if (termCount === termScratch.length) {
      const grown = new Uint32Array(termScratch.length * 2);
      grown.set(termScratch);
      termScratch = grown;
    }
    termScratch[termCount++] = h >>> 0;
  },
};

/** Collects the text's term hashes into termScratch[0, termCount). */
function termHashes(u: Uint16Array, n: number): void {
  termCount = 0;
  let i = skipDateline(u, 0, n);
  let prevMark = true; // the text opens a sentence
  while (i < n) {
    const c = u[i] ?? 0;
    if (c === 32) {
      i++;
      continue;
    }
    const cls = c >= 97 && c <= 122 ? LETTER : classOf(c);
    if (c === 10) {
      i = skipDateline(u, i + 1, n);
      prevMark = true;
      continue;
    }
    if (cls === 0) {
      if (endsSentence(c)) prevMark = true;
      else if (!isSpace(c) && c !== 39 && c !== 0x2019 && !isDash(c)) prevMark = false;
      i++;
      continue;
    }
    if (cls === DIGIT) {
      const { end, hash } = numberAt(u, i, n);
      terms.add(hash);
      i = end;
      prevMark = false;
      continue;
    }
    // Find the word's end (plain lower-case letters need no table), then hash it
    // only when it is kept: a capitalised word inside a sentence, or a weekday
    // (French ones end in "di" or "che", English ones in "day").
    const from = i;
    i++;
    while (i < n) {
      const w = u[i] ?? 0;
      if (w >= 97 && w <= 122) {
        i++;
        continue;
      }
      if ((classOf(w) & (LETTER | DIGIT)) === 0) break;
      i++;
    }
    const len = i - from;
    const upper = (cls & UPPER) !== 0 && !prevMark && len >= 2;
    const last = (u[i - 1] ?? 0) | 0x20;
    const prev = (u[i - 2] ?? 0) | 0x20;
    const maybeDay =
      len >= 5 &&
      len <= 9 &&
      ((last === 121 && prev === 97) || (last === 105 && prev === 100) || (last === 101 && prev === 104));
    if (upper || maybeDay) {
      const hash = foldedHash(u, from, i, NAME_SEED);
      if (maybeDay && WEEKDAY_HASHES.has(hash)) terms.add(hash ^ DAY_SEED);
      else if (upper) terms.add(hash);
    }
    prevMark = false;
  }
}

// The text's UTF-16 units, copied out natively (as normalize.ts does): indexing a
// typed array is much cheaper than charCodeAt in this loop.
let raw = Buffer.alloc(1 << 14);
let units = new Uint16Array(raw.buffer, raw.byteOffset, raw.length >> 1);

export function keySketch(text: string): KeySketch {
  const n = text.length;
  if (units.length < n + 2) {
    raw = Buffer.alloc(Math.max(2 * (n + 2), raw.length * 2));
    units = new Uint16Array(raw.buffer, raw.byteOffset, raw.length >> 1);
  }
  raw.write(text, 0, 'utf16le');
  units[n] = 0;
  units[n + 1] = 0;
  termHashes(units, n);
  const all = termScratch.subarray(0, termCount).sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) distinct++;
  // Bottom-k over the 16-bit hashes of the distinct terms.
  const low = new Uint16Array(distinct);
  let w = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) low[w++] = all[i]! >>> 16;
  low.sort();
  const keys = new Uint16Array(Math.min(KEY_SKETCH_SIZE, distinct));
  let k = 0;
  for (let i = 0; i < low.length && k < keys.length; i++)
    if (i === 0 || low[i] !== low[i - 1]) keys[k++] = low[i]!;
  return { keys: keys.slice(0, k), keyCount: distinct };
}

/**
 * Estimated share of A's key terms that are also B's, from the two bottom-k
 * sketches: the k smallest hashes of A ∪ B are a uniform sample of the union,
 * the fraction of them in both estimates Jaccard, and the term counts turn
 * that into containment. Exact when both texts have at most k terms. A text
 * with no key terms is contained in anything (1).
 */
export function keyContainment(a: KeySketch, b: KeySketch): number {
  const na = a.keyCount;
  const nb = b.keyCount;
  if (na === 0) return 1;
  if (nb === 0) return 0;
  const k = Math.max(a.keys.length, b.keys.length);
  let i = 0;
  let j = 0;
  let taken = 0;
  let both = 0;
  const ka = a.keys;
  const kb = b.keys;
  // Merge the two ascending lists, stopping after k distinct values of the union,
  // or when one list ends before the other could still hold a smaller value.
  while (taken < k && (i < ka.length || j < kb.length)) {
    const va = i < ka.length ? ka[i]! : Number.POSITIVE_INFINITY;
    const vb = j < kb.length ? kb[j]! : Number.POSITIVE_INFINITY;
    // A list that ran out is complete only if it was not truncated.
    if (va === Number.POSITIVE_INFINITY && ka.length < na) break;
    if (vb === Number.POSITIVE_INFINITY && kb.length < nb) break;
    if (va === vb) {
      both++;
      i++;
      j++;
    } else if (va < vb) i++;
    else j++;
    taken++;
  }
  if (taken === 0) return 0;
  const jac = both / taken;
  return Math.min(1, (jac * (na + nb)) / ((1 + jac) * na));
}
