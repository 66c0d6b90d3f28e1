/**
 * Text normalisation for near-duplicate detection.
 *
 * Outlets republish one wire dispatch with cosmetic edits: curly vs straight
 * apostrophes, « » vs " ", "22%" vs "22 %" vs "22 per cent", "1,900" vs "1900"
 * vs "1 900", accents dropped by a CMS, ligatures typed out. All of these must
 * map to the same token stream, otherwise every edit breaks k shingles.
 *
 * Policy, in order:
 * 1. Unicode NFKC (fullwidth forms, compatibility spaces, "ﬁ" ligatures).
 * 2. Every apostrophe look-alike (’ ‘ ʼ ` ´ ′) becomes "'".
 * 3. Case fold (toLowerCase, then ß -> ss), ligatures œ -> oe and æ -> ae,
 *    then accents folded away (NFD, combining marks dropped).
 * 4. French elisions are dropped together with their apostrophe
 *    (l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu' quoiqu' presqu'),
 *    so "l'Etat" and "l’État" both give "etat"; the English possessive "'s"
 *    is dropped too ("Brazil's" -> "brazil").
 * 5. Numbers: a single space, no-break space, thin space, comma, dot or
 *    apostrophe followed by exactly three digits is a thousands separator and
 *    is removed ("1 200", "1,200", "1.200" -> "1200"). Any other comma or dot
 *    between digits is a decimal mark and becomes "." ("6,20" -> "6.20").
 *    The ambiguous "1,200" (English thousands, French 1.2) resolves to 1200:
 *    copies of one dispatch share a language, so the choice only has to be
 *    consistent, not right.
 * 6. Percent: "%" is its own token and the spelled-out forms "percent",
 *    "per cent", "pour cent" become "%" ("15%" / "15 %" / "15 per cent" ->
 *    "15 %").
 * 7. All other punctuation and symbols become spaces (so "Tarn-et-Garonne"
 *    gives three tokens); whitespace is collapsed to single spaces.
 */
const APOSTROPHES = /[\u2019\u2018\u02BC\u0060\u00B4\u2032\u201B]/g;
const LATIN_MARKS = /[\u0300-\u036f]+/g;
const ANY_MARK = /\p{M}/u;
const COMBINING_MARKS = /\p{M}+/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
// Matched anywhere, then kept only at a word start (checked in isElision): a
// leading "(^|[^\p{L}\p{N}])" made the regex engine try every position.
const ELISION = /(?:jusqu|lorsqu|puisqu|quoiqu|presqu|qu|[ldjmnstc])'(?=\p{L})/gu;
const POSSESSIVE = /(\p{L})'s(?![\p{L}\p{N}])/gu;
const THOUSANDS = /(\d)[ \u00A0\u202F\u2009,.'](?=\d{3}(?!\d))/g;
const DECIMAL = /(\d)[,.](?=\d)/g;
const PERCENT_WORDS = /(?:per\s?cent|pour\s?cent|percent)(?![\p{L}])/gu;
// Two passes instead of one /[^\p{L}\p{N}%.]+/u, which is slow in V8: ASCII
// punctuation first, then the few non-ASCII characters one by one.
const ASCII_PUNCT = /[^a-z0-9%. \u0080-\uffff]+/g;
const NON_ASCII = /[^\x00-\x7f]/gu;
const STRAY_DOT = /(?<!\d)\.|\.(?!\d)/g;
const SPACES = /\s+/g;

export function normalizeForDedup(text: string): string {
  let s = text.normalize('NFKC').replace(APOSTROPHES, "'");
  s = s.toLowerCase().replace(/ß/g, 'ss').replace(/œ/g, 'oe').replace(/æ/g, 'ae');
  s = s.normalize('NFD').replace(LATIN_MARKS, '');
  if (ANY_MARK.test(s)) s = s.replace(COMBINING_MARKS, '');
  s = s.replace(ELISION, dropElision).replace(POSSESSIVE, '$1');
  s = s.replace(THOUSANDS, '$1').replace(DECIMAL, '$1.');
  s = s.replace(PERCENT_WORDS, percentSign).replace(/%/g, ' % ');
  s = s.replace(ASCII_PUNCT, ' ').replace(NON_ASCII, keepLetterOrDigit).replace(STRAY_DOT, ' ');
  return s.replace(SPACES, ' ').trim();
}

/** Replace callbacks: the regexes match anywhere, these keep only matches at a word start. */
function dropElision(match: string, offset: number, whole: string): string {
  return offset > 0 && LETTER_OR_DIGIT.test(whole[offset - 1]!) ? match : '';
}

function percentSign(match: string, offset: number, whole: string): string {
  return offset > 0 && LETTER.test(whole[offset - 1]!) ? match : '%';
}

function keepLetterOrDigit(ch: string): string {
  return LETTER_OR_DIGIT.test(ch) ? ch : ' ';
}

/** Splits the output of normalizeForDedup into tokens (it is single-space separated). */
export function tokenize(normalized: string): string[] {
  if (normalized.length === 0) return [];
  return normalized.split(' ').filter((t) => t.length > 0);
}
