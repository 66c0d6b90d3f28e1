import { hashString32 } from './hash32.js';

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

const WEEKDAYS = new Set([
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
]);

// A number with optional digit-group separators ("1 200", "3,5", "1.200,50"), or a word.
const TERM = /\d+(?:[ \u00a0\u202f.,'\u2019]\d+)*|[\p{L}\p{M}]+/gu;
const SENTENCE_END = /[.!?:;…«»"“”(\n]/u;

function foldWord(w: string): string {
  return w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The number as normalize.ts writes it: groups of 3 after a separator are thousands. */
function canonicalNumber(raw: string): string {
  const parts = raw.split(/([ \u00a0\u202f.,'\u2019])/);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const sep = parts[i]!;
    const group = parts[i + 1]!;
    if ((sep === '.' || sep === ',') && group.length !== 3) out += `.${group}`;
    else out += group;
  }
  return out;
}

/** True when the word at `at` opens a sentence (or the text): its capital says nothing. */
function opensSentence(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === ' ' || c === '\u00a0' || c === '\t' || c === '\r') continue;
    if (c === "'" || c === '\u2019' || c === '-') return false;
    return SENTENCE_END.test(c);
  }
  return true;
}

/**
 * A wire dateline at the start of a paragraph ("NICE, 15 avril 2026 (AFP) -", "TULSA, Okla. (AP) —"):
 * outlets keep or strip it, so its place and date are not the story's terms.
 */
const DATELINE = /^[ \t]*[\p{Lu}][^\n()]{0,60}\([\p{Lu}][\p{L}]{1,12}\)[ \t]*[-\u2013\u2014][ \t]*/gmu;

function termsOf(text: string): Set<string> {
  const terms = new Set<string>();
  text = text.replace(DATELINE, '');
  for (const m of text.matchAll(TERM)) {
    const w = m[0];
    const c = w.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      terms.add(`#${canonicalNumber(w)}`);
      continue;
    }
    const folded = foldWord(w);
    if (WEEKDAYS.has(folded)) {
      terms.add(`d${folded}`);
      continue;
    }
    if (w.length < 2 || w[0] === w[0]!.toLowerCase()) continue;
    if (opensSentence(text, m.index)) continue;
    terms.add(`n${folded}`);
  }
  return terms;
}

export function keySketch(text: string): KeySketch {
  const terms = termsOf(text);
  const hashes = new Set<number>();
  for (const t of terms) hashes.add(hashString32(t) >>> 16);
  const sorted = Uint16Array.from(hashes).sort();
  return { keys: sorted.slice(0, KEY_SKETCH_SIZE), keyCount: terms.size };
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
