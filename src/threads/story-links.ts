import { bottomKContainment } from '../dedup/key-terms.js';
import type { StoryProfile } from './story-profile.js';

/** What two clusters' stories have in common (story-profile.ts). */
export type StoryRelation = {
  /** Name terms in both. */
  names: number;
  /** Identifying figures in both. */
  figures: number;
  /** Years in both. */
  years: number;
  /** Small decimals in both. */
  rates: number;
  /**
   * Shared facts, weighted: an identifying figure (1 200, 42 000, 9.40) counts
   * FIGURE_WEIGHT (it survives every rewrite and translation, and two stories
   * share one by chance far more rarely than a place name), a name or a year
   * one, a small decimal half.
   */
  evidence: number;
  /** evidence over the facts of the text with fewer of them: how much of the smaller story the other tells. */
  share: number;
  /** Fact frames (words around a name or figure) found in both. */
  aligned: number;
  /** Aligned frames holding a different fact in each: a template filled in twice. */
  substituted: number;
  /** Estimated share of the smaller text's template (4-word runs without a fact) found in the other. */
  templateShare: number;
};

function common(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return n;
}

/** A frame's values in a profile: the run of equal frames starting at `at`. */
function runEnd(frames: Uint32Array, at: number): number {
  let e = at;
  while (e < frames.length && frames[e] === frames[at]) e++;
  return e;
}

function frameAgreement(a: StoryProfile, b: StoryProfile): { aligned: number; substituted: number } {
  let i = 0;
  let j = 0;
  let aligned = 0;
  let substituted = 0;
  while (i < a.frames.length && j < b.frames.length) {
    const fa = a.frames[i]!;
    const fb = b.frames[j]!;
    if (fa < fb) i = runEnd(a.frames, i);
    else if (fb < fa) j = runEnd(b.frames, j);
    else {
      const ea = runEnd(a.frames, i);
      const eb = runEnd(b.frames, j);
      aligned++;
      if (common(a.values.subarray(i, ea), b.values.subarray(j, eb)) === 0) substituted++;
      i = ea;
      j = eb;
    }
  }
  return { aligned, substituted };
}

export const FIGURE_WEIGHT = 2;

function weigh(names: number, figures: number, years: number, rates: number): number {
  return names + FIGURE_WEIGHT * figures + years + rates / 2;
}

/** A profile's facts, weighted as evidence is. */
/** The share of the smaller text's template found in the other (0 when either has none). */
function templateShare(a: StoryProfile, b: StoryProfile): number {
  if (!a.templateCount || !b.templateCount) return 0;
  const [small, large] = a.templateCount <= b.templateCount ? [a, b] : [b, a];
  return bottomKContainment(small.template, small.templateCount, large.template, large.templateCount);
}

export function factCount(p: StoryProfile): number {
  return weigh(p.nameCount, p.figures.length, p.years.length, p.rates.length);
}

export function relateStories(a: StoryProfile, b: StoryProfile): StoryRelation {
  const names = common(a.names, b.names);
  const figures = common(a.figures, b.figures);
  const years = common(a.years, b.years);
  const rates = common(a.rates, b.rates);
  const evidence = weigh(names, figures, years, rates);
  const smaller = Math.min(factCount(a), factCount(b));
  return {
    names,
    figures,
    years,
    rates,
    evidence,
    share: smaller > 0 ? Math.min(1, evidence / smaller) : 0,
    ...frameAgreement(a, b),
    templateShare: templateShare(a, b),
  };
}
