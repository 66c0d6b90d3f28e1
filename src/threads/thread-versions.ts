/**
 * What each cluster of a thread is to the story, for people reading the
 * timeline: the flash, the first version, the full story, an update, a
 * follow-up, another agency's dispatch, a translation — or the outlet's own
 * reporting, or a live page / digest quoting it.
 */
export type ThreadVersion =
  | 'flash'
  | 'first'
  | 'full'
  | 'update'
  | 'follow-up'
  | 'other agency'
  | 'original'
  | 'translation'
  | 'container';

export type VersionFacts = {
  id: string;
  /** First publication (ms). */
  at: number;
  lang: string;
  /** The agency its copies credit, or ''. */
  agency: string;
  /** Words of its most complete copy. */
  words: number;
  container: boolean;
};

/** Shorter than this, a dispatch is a flash (the dedup stage's floor for a text to contain another is 40 tokens). */
export const FLASH_WORDS = 60;
/** Later than this after the first version, a dispatch is the next news cycle's follow-up. */
export const FOLLOW_UP_HOURS = 12;

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0] ?? '';
  for (const [v, n] of counts) if (n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/**
 * Versions of a thread's clusters, in time order. The main line is the
 * thread's most common language and, in it, the agency of its earliest
 * dispatch that is not a flash; along it the first dispatch that is not a
 * flash is `first`, later ones within FOLLOW_UP_HOURS are `full` when longer
 * than every earlier one and `update` otherwise, and later ones `follow-up`.
 */
export function threadVersions(clusters: VersionFacts[]): Map<string, ThreadVersion> {
  const ordered = [...clusters].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  const stories = ordered.filter((c) => !c.container);
  const lang = mostCommon(stories.map((c) => c.lang));
  const inLang = stories.filter((c) => c.lang === lang);
  const agency = (inLang.find((c) => c.words >= FLASH_WORDS) ?? inLang[0])?.agency ?? '';
  const out = new Map<string, ThreadVersion>();
  let first: VersionFacts | null = null;
  let longest = 0;
  for (const c of ordered) {
    if (c.container) out.set(c.id, 'container');
    else if (c.lang !== lang) out.set(c.id, 'translation');
    else if (c.agency !== agency) out.set(c.id, c.agency ? 'other agency' : 'original');
    else if (c.words < FLASH_WORDS) out.set(c.id, 'flash');
    else if (!first) {
      first = c;
      longest = c.words;
      out.set(c.id, 'first');
    } else if (c.at - first.at > FOLLOW_UP_HOURS * 3_600_000) out.set(c.id, 'follow-up');
    else {
      out.set(c.id, c.words > longest ? 'full' : 'update');
      longest = Math.max(longest, c.words);
    }
  }
  return out;
}
