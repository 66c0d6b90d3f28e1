/** Zero-width and formatting characters that only break matching and tokenising. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200D\u2060\uFEFF]/g;
/** Every horizontal space, NBSP and narrow NBSP included (French typography puts them before : ; ! ? and inside « »). */
const HSPACE = /[\t\f\v \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

/** Collapse a run of inline text: one space between words, no newlines. */
export function collapseInline(s: string): string {
  return s.replace(INVISIBLE, '').replace(/\s+/g, ' ').replace(HSPACE, ' ').trim();
}

/**
 * One line of display text (a headline): ASCII whitespace collapsed, but the no-break
 * spaces of French typography ("« une atteinte »") kept as the page has them.
 */
export function tidyLine(s: string): string {
  return s
    .replace(INVISIBLE, '')
    .replace(/[\t\n\r\f\v ]+/g, ' ')
    .trim();
}

/**
 * Tidy extracted text while keeping its structure: single newlines stay line breaks,
 * blank lines stay paragraph breaks (at most one blank line in a row).
 */
export function normalizeText(s: string): string {
  return s
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(HSPACE, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Key for comparing short lines: case, accents, quotes, punctuation and spacing do not
 * matter, so "Source : AFP", "source: AFP" and "SOURCE – AFP" compare equal.
 */
export function matchKey(s: string): string {
  // ASCII has no accents to fold: skipping NFKD halves the cost on English pages.
  const folded = NON_ASCII.test(s) ? s.normalize('NFKD').replace(/\p{M}+/gu, '') : s;
  const words = folded
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .match(/[\p{L}\p{N}]+/gu);
  return words ? words.join(' ') : '';
}

export function wordCount(s: string): number {
  return s.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}
