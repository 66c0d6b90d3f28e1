/**
 * The earlier regex-chain normaliser, kept only as the reference the
 * single-pass one in src/dedup/normalize.ts must agree with.
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

export function referenceNormalize(text: string): string {
  let s = text.normalize('NFKC').replace(APOSTROPHES, "'");
  s = s.toLowerCase().replace(/ς/g, 'σ').replace(/ß/g, 'ss').replace(/œ/g, 'oe').replace(/æ/g, 'ae');
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
