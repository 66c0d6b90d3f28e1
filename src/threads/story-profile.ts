import { hashString32, hashWords3, hashWords4 } from '../dedup/hash32.js';
import {
  TOKEN_CAPITALISED,
  TOKEN_IN_DATELINE,
  TOKEN_NUMBER,
  TOKEN_OPENS_SENTENCE,
  TOKEN_SHORT,
  tokenWordsAndFactsForDedup,
} from '../dedup/normalize.js';

/**
 * What a story thread compares of a cluster: the facts of its most complete
 * copy that survive rewriting and translation — the names of people, places
 * and organisations, the figures — and, to tell a templated series from a
 * developing story, the frame each fact sits in.
 *
 * Text is read through normalize.ts, so "Hespéride" and "Hesperide",
 * "1 200" and "1,200" are one term in French and English alike.
 */
export type StoryProfile = {
  /** Distinct name terms (hashes), ascending: the smallest MAX_TERMS of them. */
  names: Uint32Array;
  /** How many distinct name terms the text has (names may hold a sample of them). */
  nameCount: number;
  /** Distinct figures that identify (three digits or more, not a year), ascending. */
  figures: Uint32Array;
  /** Distinct years (1900-2099), ascending: identifying, but shared by many stories of a year. */
  years: Uint32Array;
  /** Distinct small decimals (1.9, 0.4: rates and shares, common to many stories), ascending. */
  rates: Uint32Array;
  /**
   * The frame of each fact: for every name or figure in the text, a hash of
   * the two words before and the word after it, and the low 16 bits of the
   * fact's own hash (frames are only compared for equal facts).
   * Sorted by frame; capped (the smallest frames are kept, so two texts keep
   * the same sample of the frames they share).
   */
  frames: Uint32Array;
  values: Uint32Array;
  /**
   * The text's template: its 4-word runs that hold no name and no figure
   * (the smallest TEMPLATE_SKETCH hashes, ascending), and how many distinct
   * ones it has. Two days of a series share most of theirs; two stories of
   * one event, however close, share few.
   */
  template: Uint32Array;
  templateCount: number;
};

export const TEMPLATE_SKETCH = 32;

/** Frames kept per profile: a templated text has 40-80 facts; the sample (smallest hashes) is the same in both texts. */
export const MAX_FRAMES = 64;
/** Terms kept per kind (the smallest hashes: a uniform sample, the same one in every text). */
export const MAX_TERMS = 64;

/**
 * Calendar words and wire credits: capitalised in English, in every story
 * of a day, and never what makes two stories one.
 */
const COMMON_CAPITALISED = new Set(
  [
    'monday tuesday wednesday thursday friday saturday sunday',
    'lundi mardi mercredi jeudi vendredi samedi dimanche',
    'january february march april may june july august september october november december',
    'jan feb mar apr jun jul aug sep sept oct nov dec',
    'janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre',
    'gmt utc afp reuters ap',
  ]
    .join(' ')
    .split(' '),
);

/** Distinct values, ascending; with a cap, the smallest ones (the same sample of the terms two texts share). */
function sortedDistinct(values: number[], cap: number): Uint32Array {
  // Sorted first, then equal neighbours dropped in place: no Set of every value.
  const all = Uint32Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
  return all.slice(0, Math.min(n, cap));
}

/** An identifying figure: three digits or more (1 200, 42 000, 6.20, 2026); a year counts, a 9 does not. */
function figureClass(token: string): 'figure' | 'year' | 'rate' | null {
  let digits = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits === 4 && token.length === 4 && (token.startsWith('19') || token.startsWith('20'))) return 'year';
  if (digits >= 3) return 'figure';
  return token.includes('.') && digits >= 2 ? 'rate' : null;
}

export function storyProfile(text: string): StoryProfile {
  const { words, facts, count } = tokenWordsAndFactsForDedup(text);
  // A word written in lower case anywhere in the text is a common word that opened a clause.
  const lower = new Set<string>();
  for (let i = 0; i < count; i++)
    if ((facts[i]! & (TOKEN_CAPITALISED | TOKEN_NUMBER)) === 0) lower.add(words[i]!);
  const names: number[] = [];
  const figures: number[] = [];
  const rates: number[] = [];
  const years: number[] = [];
  // A frame and its fact's low 16 bits packed in one number (frame * 2^16 + low: under 2^48,
  // exact), so sorting the numbers sorts by frame then fact, with no pair arrays.
  const slots: number[] = [];
  const isFact = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const f = facts[i]!;
    const w = words[i]!;
    let fact = false;
    if ((f & TOKEN_NUMBER) !== 0) {
      fact = true;
      if ((f & TOKEN_IN_DATELINE) === 0) {
        const kind = figureClass(w);
        if (kind === 'figure') figures.push(hashString32(w));
        else if (kind === 'year') years.push(hashString32(w));
        else if (kind === 'rate') rates.push(hashString32(w));
      }
    } else if ((f & (TOKEN_CAPITALISED | TOKEN_SHORT)) === TOKEN_CAPITALISED && !COMMON_CAPITALISED.has(w)) {
      fact = true;
      if ((f & (TOKEN_OPENS_SENTENCE | TOKEN_IN_DATELINE)) === 0 && !lower.has(w))
        names.push(hashString32(w));
    }
    if (fact) isFact[i] = 1;
    if (fact && i >= 2 && i + 1 < count && (f & TOKEN_IN_DATELINE) === 0)
      slots.push(
        hashWords3(words[i - 2]!, words[i - 1]!, words[i + 1]!) * 65536 + (hashString32(w) & 0xffff),
      );
  }
  const packed = Float64Array.from(slots).sort();
  const frames: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < packed.length && frames.length < MAX_FRAMES; i++) {
    if (i > 0 && packed[i] === packed[i - 1]) continue;
    const low = packed[i]! % 65536;
    frames.push((packed[i]! - low) / 65536);
    values.push(low);
  }
  const allNames = sortedDistinct(names, Number.POSITIVE_INFINITY);
  const runs: number[] = [];
  for (let i = 0, clean = 0; i < count; i++) {
    clean = isFact[i] ? 0 : clean + 1;
    if (clean >= 4) runs.push(hashWords4(words[i - 3]!, words[i - 2]!, words[i - 1]!, words[i]!));
  }
  const template = sortedDistinct(runs, Number.POSITIVE_INFINITY);
  return {
    names: allNames.slice(0, MAX_TERMS),
    nameCount: allNames.length,
    figures: sortedDistinct(figures, MAX_TERMS),
    years: sortedDistinct(years, MAX_TERMS),
    rates: sortedDistinct(rates, MAX_TERMS),
    frames: Uint32Array.from(frames),
    values: Uint32Array.from(values),
    template: template.slice(0, TEMPLATE_SKETCH),
    templateCount: template.length,
  };
}
