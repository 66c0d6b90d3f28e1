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

export type NewsroomPage = {
  id: string;
  text: string;
  /** The story an editor files it under (gold group); containers are their own. */
  story: string;
  container?: boolean;
};

/**
 * One day's traffic with every case class: plain copies, a morning digest
 * quoting four dispatches, a live page quoting two dispatches of one event,
 * template-heavy briefs, a templated series, an update chain with its flash,
 * a next-day follow-up and its recap, a quote-heavy short copy of one of two
 * agency dispatches sharing a quote, and a heavy local rewrite.
 */
export function newsroom(): NewsroomPage[] {
  const pages: NewsroomPage[] = [];
  const add = (id: string, story: string, paras: string[] | string, container = false) =>
    pages.push({ id, story, text: typeof paras === 'string' ? paras : join(paras), container });

  // Four unrelated dispatches, each with a full copy, an edited copy and a 3-paragraph copy
  // (shorter copies can miss the LSH candidate stage: J 0.25 is found 95% of the time).
  const stories = [101, 102, 103, 104].map((s) => dispatch(s));
  stories.forEach((d, i) => {
    add(`s${i}-full`, `s${i}`, d);
    add(`s${i}-edit`, `s${i}`, lightEdit(join(d), 900 + i));
    add(`s${i}-short`, `s${i}`, d.slice(0, 3));
  });
  // The morning digest: two paragraphs of each, under short headings.
  add(
    'digest',
    'digest',
    stories.flatMap((d, i) => [`Heading ${i + 1}`, d[0]!, d[1]!]),
    true,
  );

  // One event, two agencies (one cast): a live page quotes two paragraphs of each among its own entries.
  const eventCast = castOf(200);
  const agencyA = dispatch(201, 7, eventCast);
  const agencyB = dispatch(202, 7, eventCast);
  add('evA-full', 'evA', agencyA);
  add('evA-trunc', 'evA', agencyA.slice(0, 3));
  add('evB-full', 'evB', agencyB);
  add('evB-trunc', 'evB', agencyB.slice(0, 3));
  add(
    'live',
    'live',
    [...ownText(203, 2), agencyA[0]!, agencyA[1]!, ...ownText(204, 1), agencyB[0]!, agencyB[1]!],
    true,
  );

  // Briefs: one paragraph of news under a template that outweighs it, and the same brief elsewhere bare.
  const template = briefTemplate(300);
  for (let b = 0; b < 4; b++) {
    const lead = dispatch(310 + b, 1)[0]!;
    add(`brief${b}`, `brief${b}`, [lead, ...template]);
    add(`brief${b}-bare`, `brief${b}`, [lead]);
  }

  // A templated series: three days, two copies each.
  for (let day = 1; day <= 3; day++) {
    add(`close${day}`, `close${day}`, seriesDay(400, day));
    add(`close${day}-copy`, `close${day}`, lightEdit(seriesDay(400, day), 410 + day, 0.02));
  }

  // An update chain: flash, first version (half reworded), full, updated with a new lead.
  const chainCast = castOf(500);
  const full = dispatch(501, 8, chainCast);
  const flash = `${chainCast.names[0]} ${full[0]!.split(' ').slice(0, 24).join(' ')}.`;
  add('flash', 'flash', flash);
  add('first', 'chain', lightEdit(join(full.slice(0, 4)), 502, 0.08));
  add('full', 'chain', full);
  add('full-copy', 'chain', lightEdit(join(full), 503));
  const updated = [dispatch(504, 1, chainCast)[0]!, ...full];
  add('updated', 'chain', updated);
  add('updated-copy', 'chain', lightEdit(join(updated), 505));
  // A heavy local rewrite: three paragraphs of the outlet's own, then the first half of the dispatch.
  add('local', 'chain', [...ownText(506, 3), ...full.slice(0, 4)]);

  // The next day: a follow-up reusing two background paragraphs verbatim, and a recap of it.
  const next = dispatch(510, 6, chainCast);
  const followup = [next[0]!, next[1]!, full[2]!, full[3]!, next[2]!, next[3]!];
  add('followup', 'followup', followup);
  add('followup-copy', 'followup', lightEdit(join(followup), 511));
  add('recap', 'followup', [next[0]!, full[2]!, full[3]!]);

  // Two agencies carrying one long quote word for word; a short copy that is mostly the quote.
  const quoteCast = castOf(600);
  const q = dispatch(601, 2, quoteCast);
  const afp = [...dispatch(602, 3, quoteCast), ...q, ...dispatch(603, 3, quoteCast)];
  const reuters = [...dispatch(604, 3, quoteCast), ...q, ...dispatch(605, 2, quoteCast)];
  add('afp', 'afp', afp);
  add('afp-copy', 'afp', lightEdit(join(afp), 606));
  add('reuters', 'reuters', reuters);
  add('reuters-copy', 'reuters', lightEdit(join(reuters), 607));
  add('afp-quote', 'afp', [afp[0]!, ...q]);
  // An outlet's own article assembled from both agencies' paragraphs (the shared quote among
  // them) and two of its own: its own item, a copy of neither.
  add(
    'blend',
    'blend',
    [
      ...ownText(700, 1),
      afp[0]!,
      afp[1]!,
      reuters[0]!,
      reuters[1]!,
      ...q,
      reuters[5]!,
      afp[6]!,
      ...ownText(701, 1),
    ],
    true,
  );
  return pages;
}

/** The gold groups of a newsroom as sorted id lists (canonical order). */
export function goldGroups(pages: NewsroomPage[]): string[][] {
  const by = new Map<string, string[]>();
  for (const p of pages) by.set(p.story, [...(by.get(p.story) ?? []), p.id]);
  return canonical([...by.values()]);
}

export function canonical(groups: string[][]): string[][] {
  return groups.map((g) => [...g].sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}
