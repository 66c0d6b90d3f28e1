import { matchKey } from './text-normalize.js';

/**
 * Teaser labels that introduce a link to another article (English, French, German,
 * Spanish, Italian, Portuguese, Dutch; keyed without accents, as matchKey makes them). They are dropped with the
 * rest of their line whenever they are followed by a separator or only by a link,
 * whether or not the configuration lists them.
 */
const TEASER_LABELS = [
  'lire aussi',
  'a lire aussi',
  'lire egalement',
  'a lire egalement',
  'a lire',
  'voir aussi',
  'a voir aussi',
  'a voir',
  'sur le meme sujet',
  'read more',
  'read also',
  'also read',
  'see also',
  'related',
  'related article',
  'related articles',
  'more on this',
  'more on this story',
  'recommended',
  'lesen sie auch',
  'lesen sie mehr',
  'mehr zum thema',
  'siehe auch',
  'lee tambien',
  'lea tambien',
  'leer mas',
  'ver tambien',
  'leggi anche',
  'vedi anche',
  'leia tambem',
  'leia mais',
  'veja tambem',
  'lees ook',
];

/** Characters that end a label: "Lire aussi : …", "READ MORE - …", "Related » …". */
const LABEL_SEPARATOR = /[:|>»›–—]|\s-\s|\.\.\.|…/;

export type BoilerplateMatcher = {
  /**
   * True when a line is boilerplate. `outsideLinks` is the part of the line that is not
   * link text, so "Lire aussi <a>headline</a>" is recognised without a separator. `key`
   * is the line's matchKey when the caller has it already.
   */
  isBoilerplate(line: string, outsideLinks?: string, key?: string): boolean;
};

/**
 * Phrases match whole lines (case-, accent-, quote- and punctuation-insensitive), never
 * substrings of a sentence: "source" drops a line reading "Source" and nothing else.
 * Phrases ending in ":" or "…" (and the teaser labels above) also match lines that
 * start with them followed by a separator.
 */
export function compileBoilerplate(phrases: string[], learned: string[] = []): BoilerplateMatcher {
  // Every page brings the configured phrases (and its site's learned lines) again, copied to
  // its extraction thread: the content, not the arrays, says whether they changed.
  const key = `${phrases.join('\n')}\u0000${learned.join('\n')}`;
  if (key.length > MAX_CACHED_KEY_CHARS) return buildMatcher(phrases, learned);
  const hit = compiled.get(key);
  if (hit) return hit;
  const matcher = buildMatcher(phrases, learned);
  if (compiled.size >= MAX_CACHED_MATCHERS) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, matcher);
  return matcher;
}

/** Matchers already built, by the phrases and lines they match: a few sites' worth, and small ones only. */
const compiled = new Map<string, BoilerplateMatcher>();
const MAX_CACHED_MATCHERS = 64;
const MAX_CACHED_KEY_CHARS = 64 * 1024;

function buildMatcher(phrases: string[], learned: string[]): BoilerplateMatcher {
  const exact = new Set<string>();
  const prefixes = new Set<string>(TEASER_LABELS);
  for (const p of phrases) {
    const key = matchKey(p);
    if (!key) continue;
    exact.add(key);
    if (/(?::|…|\.\.\.)\s*$/.test(p)) prefixes.add(key);
  }
  for (const l of learned) {
    const key = matchKey(l);
    if (key) exact.add(key);
  }
  for (const p of prefixes) exact.add(p);

  return {
    isBoilerplate(line, outsideLinks, key = matchKey(line)) {
      if (!key) return false;
      if (exact.has(key)) return true;
      if (outsideLinks !== undefined && outsideLinks !== line) {
        const rest = matchKey(outsideLinks);
        if (rest && prefixes.has(rest)) return true;
      }
      const sep = line.search(LABEL_SEPARATOR);
      if (sep > 0 && sep < 40) {
        const head = matchKey(line.slice(0, sep));
        if (head && prefixes.has(head)) return true;
      }
      return false;
    },
  };
}
