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
import { fmix32, hashString32 } from './hash32.js';

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHE_LIKE = new Set([0x2019, 0x2018, 0x02bc, 0x0060, 0x00b4, 0x2032, 0x201b]);
const ELISIONS = new Set(['jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'presqu', 'qu']);
const SINGLE_LETTER_ELISIONS = 'ldjmnstc';
const PERCENT_WORDS = ['percent', 'per cent', 'pour cent', 'pourcent'];

const APOS = 39;
const DOT = 46;
const COMMA = 44;
const PERCENT = 37;
const SPACE = 32;

/**
 * What a non-ASCII character (or surrogate pair) of the lower-cased text
 * becomes: NFKC, case fold, accents and marks dropped, ß/œ/æ expanded,
 * apostrophe look-alikes to "'", anything else that is not a letter or digit
 * to a space. Computed once per distinct character, so the hot loop runs no
 * regular expression and the text needs no whole-string NFKC: character by
 * character gives the same result here because accents are dropped anyway
 * (NFKC's only cross-character step is composing them).
 */
const foldCache = new Map<string, string>();
function foldChar(ch: string): string {
  let hit = foldCache.get(ch);
  if (hit !== undefined) return hit;
  const base = ch.normalize('NFKC').toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '');
  hit = '';
  for (const u of base) {
    const c = u.codePointAt(0)!;
    if (c < 0x80) hit += u;
    else if (APOSTROPHE_LIKE.has(c)) hit += "'";
    else if (c === 0xdf) hit += 'ss';
    else if (c === 0x153) hit += 'oe';
    else if (c === 0xe6) hit += 'ae';
    else hit += LETTER_OR_DIGIT.test(u) ? u : ' ';
  }
  foldCache.set(ch, hit);
  return hit;
}

/** The policy's steps 1-3 (NFKC, apostrophes, case, accents, ligatures) as one string. */
function fold(text: string): string {
  // Whole-string lower-casing keeps its context rules (Greek final sigma).
  const s = text.toLowerCase();
  // Chunks joined once: a string grown with += is a rope, and charCodeAt on a
  // rope is many times slower in the tokeniser's loop.
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    parts.push(s.slice(from, i));
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length;
    parts.push(foldChar(pair ? s.slice(i, i + 2) : s[i]!));
    if (pair) i++;
    from = i + 1;
  }
  if (from === 0) return s;
  parts.push(s.slice(from));
  return parts.join('');
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** A letter or digit of the folded text: fold() kept non-ASCII characters only when they are one. */
function isWordChar(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c) || c >= 0x80;
}

/** Non-ASCII digits (Arabic-Indic...) count as letters here: number rules are for ASCII digits. */
function isLetter(c: number): boolean {
  return isAsciiLetter(c) || c >= 0x80;
}

function isSeparatorSpace(c: number): boolean {
  return c === SPACE || c === 0xa0 || c === 0x202f || c === 0x2009;
}

/** Exactly three digits at i (and no fourth): what follows a thousands separator. */
function threeDigitsAt(s: string, i: number): boolean {
  return (
    i + 2 < s.length &&
    isDigit(s.charCodeAt(i)) &&
    isDigit(s.charCodeAt(i + 1)) &&
    isDigit(s.charCodeAt(i + 2)) &&
    !isDigit(s.charCodeAt(i + 3))
  );
}

/** True when s[from, apos) is an elision and a letter follows its apostrophe at apos. */
function isElision(s: string, from: number, apos: number): boolean {
  if (!isLetter(s.charCodeAt(apos + 1))) return false;
  if (apos - from === 1) return SINGLE_LETTER_ELISIONS.includes(s[from]!);
  return ELISIONS.has(s.slice(from, apos));
}

/** Length of a spelled-out percent ("per cent", "pour cent", "percent") at i, or 0. */
function percentWordAt(s: string, i: number): number {
  if (s.charCodeAt(i) !== 112) return 0; // 'p'
  for (const w of PERCENT_WORDS) {
    if (s.startsWith(w, i) && !isLetter(s.charCodeAt(i + w.length) || 0)) return w.length;
  }
  // "per\scent" / "pour\scent" with another single whitespace character
  for (const head of ['per', 'pour']) {
    const at = i + head.length;
    if (s.startsWith(head, i) && /\s/.test(s[at] ?? '') && s.startsWith('cent', at + 1)) {
      if (!isLetter(s.charCodeAt(at + 5) || 0)) return head.length + 5;
    }
  }
  return 0;
}

/** Token hashes of a text, as hashString32 gives them (FNV-1a over UTF-16 units, then fmix32). */
export type TokenHashes = { hashes: Int32Array; count: number };

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const PERCENT_HASH = hashString32('%') | 0;

/**
 * One pass over the folded text: words split on anything that is not a letter
 * or digit, with elisions, possessives, thousands separators, decimal marks
 * and percent handled as the policy says. Each token is hashed as it is
 * scanned, so the hot path (sketching) never builds token strings; `strings`
 * also collects them, for normalizeForDedup. Plain loops over char codes: the
 * regex chain this replaces cost several times more.
 */
function scan(text: string, strings: string[] | null): TokenHashes {
  const s = fold(text);
  const n = s.length;
  // Every token takes at least one character of s.
  const hashes = new Int32Array(n + 1);
  let count = 0;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (!isWordChar(c)) {
      if (c === PERCENT) {
        hashes[count++] = PERCENT_HASH;
        strings?.push('%');
      }
      i++;
      continue;
    }
    // A word starts here (the previous character, if any, is not a letter).
    const pct = percentWordAt(s, i);
    if (pct > 0) {
      hashes[count++] = PERCENT_HASH;
      strings?.push('%');
      i += pct;
      continue;
    }
    let h = FNV_OFFSET;
    let len = 0;
    let token = '';
    let from = i;
    for (;;) {
      while (i < n) {
        const d = s.charCodeAt(i);
        if (!isWordChar(d)) break;
        // "22percent": a spelled-out percent right after a digit
        if (d === 112 && isDigit(s.charCodeAt(i - 1)) && percentWordAt(s, i) > 0) break;
        h = Math.imul(h ^ d, FNV_PRIME);
        len++;
        i++;
      }
      if (i >= n) break;
      const d = s.charCodeAt(i);
      const prev = s.charCodeAt(i - 1);
      // "l'", "qu'", "jusqu'"... before a letter, at the start of a word: dropped
      if (d === APOS && len <= 6 && len === i - from && token === '' && isElision(s, from, i)) {
        len = 0;
        break;
      }
      if (isDigit(prev)) {
        // "1 200", "1,200", "1.200", "1'200": a thousands separator, removed
        if ((isSeparatorSpace(d) || d === COMMA || d === DOT || d === APOS) && threeDigitsAt(s, i + 1)) {
          if (strings) token += s.slice(from, i);
          from = ++i;
          continue;
        }
        // "6,20" / "6.20": a decimal mark, written "."
        if ((d === COMMA || d === DOT) && isDigit(s.charCodeAt(i + 1))) {
          if (strings) token += `${s.slice(from, i)}.`;
          h = Math.imul(h ^ DOT, FNV_PRIME);
          len++;
          from = ++i;
          continue;
        }
      }
      if (d === APOS && isLetter(prev) && s.charCodeAt(i + 1) === 115 && !isWordChar(s.charCodeAt(i + 2))) {
        // English possessive "'s", dropped
        if (strings) token += s.slice(from, i);
        i += 2;
        from = i;
      }
      break;
    }
    if (len > 0) {
      hashes[count++] = fmix32(h);
      strings?.push(token + s.slice(from, i));
    }
  }
  return { hashes, count };
}

/** The normalised tokens of a text (normalizeForDedup, split). */
export function tokensForDedup(text: string): string[] {
  const out: string[] = [];
  scan(text, out);
  return out;
}

/** The hashes of tokensForDedup(text), without building the token strings. */
export function tokenHashesForDedup(text: string): TokenHashes {
  return scan(text, null);
}

export function normalizeForDedup(text: string): string {
  return tokensForDedup(text).join(' ');
}

/** Splits the output of normalizeForDedup into tokens (it is single-space separated). */
export function tokenize(normalized: string): string[] {
  if (normalized.length === 0) return [];
  return normalized.split(' ').filter((t) => t.length > 0);
}
