/**
 * A small invented newsroom for the clustering-policy tests: dispatches with
 * names and figures, their copies, and the pages that break single-linkage
 * clustering (digests, live pages, template-heavy briefs, templated series,
 * update chains, follow-ups, local rewrites). Every word is generated here
 * from syllables, seeded, so the texts are ours and reproducible.
 */

export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'dus',
  'tor',
  'vel',
  'an',
  'is',
  'por',
  'ga',
  'ne',
  'sul',
  'bri',
  'od',
  'fa',
  'ter',
  'mu',
  'sho',
  'pli',
  'ar',
  'den',
  'qui',
  'vo',
  'zel',
  'tri',
  'um',
  'bas',
  'col',
  'ei',
];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function word(rand: () => number, min = 1, max = 3): string {
  const n = min + Math.floor(rand() * (max - min + 1));
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
  return w;
}

function capital(w: string): string {
  return w[0]!.toUpperCase() + w.slice(1);
}

/** The people, places and figures one story is about. */
export type Cast = { names: string[]; figures: string[]; day: string };

export function castOf(seed: number): Cast {
  const rand = prng(seed * 31 + 7);
  return {
    names: Array.from({ length: 6 }, () => capital(word(rand, 2, 3))),
    figures: Array.from({ length: 6 }, () => String(10 + Math.floor(rand() * 9000))),
    day: WEEKDAYS[Math.floor(rand() * 7)]!,
  };
}

/** One paragraph of about `words` words, naming two of the cast and citing one or two figures. */
function paragraph(rand: () => number, cast: Cast, words = 42): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(word(rand));
  const name = () => cast.names[Math.floor(rand() * cast.names.length)]!;
  const figure = () => cast.figures[Math.floor(rand() * cast.figures.length)]!;
  out[3] = name();
  out[12] = figure();
  out[20] = name();
  if (rand() < 0.5) out[30] = figure();
  out[26] = cast.day;
  return `${capital(out.join(' '))}.`;
}

/** A dispatch: `paras` paragraphs about its cast. */
export function dispatch(seed: number, paras = 8, cast = castOf(seed)): string[] {
  const rand = prng(seed);
  return Array.from({ length: paras }, () => paragraph(rand, cast));
}

/** A light edit: about `share` of the words swapped for others (synonyms, an outlet's style). */
export function lightEdit(text: string, seed: number, share = 0.04): string {
  const rand = prng(seed);
  return text
    .split(' ')
    .map((w) => (rand() < share && /^[a-z]+$/.test(w) ? word(rand) : w))
    .join(' ');
}

export const join = (paras: string[]) => paras.join('\n\n');

/** Paragraphs an outlet writes itself (its own cast: local people and figures). */
export function ownText(seed: number, paras: number): string[] {
  return dispatch(seed + 50_000, paras, castOf(seed + 50_000));
}

/**
 * Page template of one outlet's briefs: promo, newsletter and tip-off lines,
 * longer than the one-paragraph brief itself, with the outlet's own names.
 */
export function briefTemplate(outletSeed: number): string[] {
  const rand = prng(outletSeed);
  const outlet = capital(word(rand, 2, 3));
  const line = (n: number) => {
    const w = Array.from({ length: n }, () => word(rand));
    w[4] = outlet;
    return `${capital(w.join(' '))}.`;
  };
  return [line(48), line(6), line(40)];
}

/**
 * One day of a templated series (a market close): the same sentences every
 * day, only the figures and the day change.
 */
export function seriesDay(seriesSeed: number, day: number): string {
  const tpl = prng(seriesSeed);
  const figures = prng(seriesSeed * 1000 + day);
  const fig = () => `${10 + Math.floor(figures() * 990)}.${Math.floor(figures() * 10)}`;
  const index = capital(word(tpl, 2, 3));
  const paras: string[] = [];
  for (let p = 0; p < 6; p++) {
    const w = Array.from({ length: 40 }, () => word(tpl));
    w[2] = index;
    w[8] = fig();
    w[15] = fig();
    w[22] = WEEKDAYS[day % 7]!;
    w[30] = fig();
    paras.push(`${capital(w.join(' '))}.`);
  }
  return join(paras);
}
