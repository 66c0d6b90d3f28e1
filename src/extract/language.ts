/**
 * Tiny stop-word language guesser for pages that do not declare their language.
 * It only has to tell the configured languages apart; anything else stays null.
 */
const STOP_WORDS: Record<string, Set<string>> = {
  fr: new Set(
    'le la les des du de un une et est sont été pour dans sur au aux avec par pas que qui ne se ce cette ces il elle ils elles ont a leur leurs plus mais ou où son sa ses selon entre lors après depuis'.split(
      ' ',
    ),
  ),
  en: new Set(
    'the of and to in is are was were for on with by at from that this an as it its be have has had not but or which who their said after will would than'.split(
      ' ',
    ),
  ),
};

/** Primary subtag of a declared language: "fr-FR" / "fr_FR" -> "fr". */
export function primaryLanguage(tag: string | null | undefined): string | null {
  const m = tag?.trim().match(/^([a-zA-Z]{2,3})(?:[-_]|$)/);
  return m?.[1] ? m[1].toLowerCase() : null;
}

export function guessLanguage(text: string): string | null {
  // The first 2000 words decide; a 10 MB body is not read (nor held as an array of words) to the end.
  const words = text
    .slice(0, 50_000)
    .toLowerCase()
    .match(/\p{L}+/gu);
  if (!words) return null;
  const counts: Record<string, number> = {};
  for (const w of words.slice(0, 2000)) {
    for (const [lang, set] of Object.entries(STOP_WORDS))
      if (set.has(w)) counts[lang] = (counts[lang] ?? 0) + 1;
  }
  const ranked = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || first[1] < 3) return null;
  if (second && first[1] < second[1] * 1.5) return null;
  return first[0];
}
