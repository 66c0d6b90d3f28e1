/**
 * Zero-width and formatting characters that only break matching and tokenising: soft
 * hyphens, zero-width spaces and joiners, direction marks and bidi embeddings/isolates,
 * invisible operators. Dropped everywhere (text, lines, match keys), never a word break.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/** Every horizontal space, NBSP and narrow NBSP included (French typography puts them before : ; ! ? and inside « »). */
const HSPACE = /[\t\f\v \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

/** Characters dropped by INVISIBLE. */
function isInvisible(c: number): boolean {
  if (c < 0xad) return false;
  return (
    c === 0xad ||
    c === 0x61c ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff
  );
}

/** What /\s/ matches (HSPACE is a subset of it). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * What collapseInline changes: a space other than U+0020 (/\s/), an INVISIBLE character,
 * a space opening or closing the run, or two in a row. Tested by one regular expression,
 * which reads a clean run about twice as fast as a loop over its characters.
 */
const NOT_COLLAPSED =
  /[\t-\r\u00A0\u00AD\u061C\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u2064\u2066-\u2069\u3000\uFEFF]|^ | $| {2}/;

/**
 * Collapse a run of inline text: one space between words, no newlines, no
 * zero-width characters. One test, then one pass over the characters of a run that
 * needs it: it runs on every text block of every page, where three regex passes
 * were a visible share of a worker's CPU.
 */
export function collapseInline(s: string): string {
  // Already collapsed (the common case): no copy at all.
  if (!NOT_COLLAPSED.test(s)) return s;
  const n = s.length;
  let out = '';
  let from = 0;
  let pendingSpace = false;
  let started = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (isInvisible(c)) {
      if (from < i) {
        out += s.slice(from, i);
        started = true;
      }
      from = i + 1;
      continue;
    }
    if (isSpace(c)) {
      if (from < i) {
        out += s.slice(from, i);
        started = true;
      }
      from = i + 1;
      if (started) pendingSpace = true;
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
  }
  if (from < n) out += s.slice(from);
  return out;
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

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARKS = /\p{M}+/gu;

/** Quote marks dropped inside words ("l'AFP" keys as "lafp"): ' ’ ‘ ` ´. */
function isQuoteMark(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 0x2018 || c === 96 || c === 0xb4;
}

/**
 * What a non-ASCII character (or surrogate pair) contributes to a match key:
 * NFKD without marks, lower-cased, each resulting character kept when it is a
 * letter or digit, dropped when it is a quote mark, a word break ('\0') when
 * it is anything else. Computed once per distinct character.
 */
const keyFoldCache = new Map<string, string>();
function keyFold(ch: string): string {
  let hit = keyFoldCache.get(ch);
  if (hit !== undefined) return hit;
  hit = '';
  for (const u of ch.normalize('NFKD').replace(MARKS, '').toLowerCase()) {
    const c = u.codePointAt(0)!;
    if (isQuoteMark(c)) continue;
    hit += LETTER_OR_DIGIT.test(u) ? u : '\0';
  }
  keyFoldCache.set(ch, hit);
  return hit;
}

/**
 * Key for comparing short lines: case, accents, quotes, punctuation and spacing do not
 * matter, so "Source : AFP", "source: AFP" and "SOURCE – AFP" compare equal. Words are
 * runs of letters and digits, joined by one space. One pass over the characters (no
 * regular expression): it runs on every block and line of every page.
 */
export function matchKey(s: string): string {
  let out = '';
  let word = '';
  const flush = () => {
    if (word === '') return;
    out = out === '' ? word : `${out} ${word}`;
    word = '';
  };
  let from = -1;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      const lower = c >= 65 && c <= 90;
      if (lower || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        // Plain ASCII runs are sliced, not built a character at a time.
        if (lower) {
          if (from >= 0) word += s.slice(from, i);
          from = -1;
          word += String.fromCharCode(c + 32);
        } else if (from < 0) from = i;
        continue;
      }
      if (from >= 0) word += s.slice(from, i);
      from = -1;
      if (c !== 39 && c !== 96) flush();
      continue;
    }
    if (from >= 0) word += s.slice(from, i);
    from = -1;
    // "Vladi\u00ADmir" keys as "vladimir", as the text reads once INVISIBLE is dropped.
    if (isInvisible(c)) continue;
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < n;
    const folded = keyFold(pair ? s.slice(i, i + 2) : s[i]!);
    if (pair) i++;
    for (let j = 0; j < folded.length; j++) {
      if (folded.charCodeAt(j) === 0) flush();
      else word += folded[j];
    }
  }
  if (from >= 0) word += s.slice(from);
  flush();
  return out;
}

const WORD_RUN = /[\p{L}\p{N}]+/gu;

/** Runs of letters and digits; counted without building the array of matches (it runs on every page's body). */
export function wordCount(s: string): number {
  WORD_RUN.lastIndex = 0;
  let n = 0;
  while (WORD_RUN.test(s)) n++;
  return n;
}

/** wordCount(s) > 0, stopping at the first letter or digit (every page's body is checked). */
export function hasWord(s: string): boolean {
  return LETTER_OR_DIGIT.test(s);
}

/**
 * A copy of `s` that shares no memory with the string it was cut from. V8 keeps a substring
 * of 13 characters or more as a view into its parent: a cache that kept such a class name or
 * tag name would keep the whole page it came from alive, every page of a long run.
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
