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
 * 3. Case fold (toLowerCase, then ß -> ss and the Greek final ς -> σ),
 *    ligatures œ -> oe and æ -> ae,
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
import { FNV_PRIME, FNV_START, fmix32, hashString32 } from './hash32.js';

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHE_LIKE = new Set([0x2019, 0x2018, 0x02bc, 0x0060, 0x00b4, 0x2032, 0x201b]);

const APOS = 39;
const DOT = 46;
const COMMA = 44;
const PERCENT = 37;
const SPACE = 32;
const LOWER_P = 112;
const LOWER_S = 115;

/**
 * What one character (or surrogate pair) becomes: NFKC, case fold, accents
 * and marks dropped, ß/œ/æ expanded, apostrophe look-alikes to "'", anything
 * else that is not a letter or digit to a space. Character by character gives
 * the whole-string result here because accents are dropped anyway (NFKC's only
 * cross-character step is composing them); the one context rule of lower
 * casing, the Greek final sigma, is folded away too (ς -> σ, as Unicode case
 * folding does).
 */
function foldString(ch: string): string {
  const base = ch.normalize('NFKC').toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '');
  let out = '';
  for (const u of base) {
    const c = u.codePointAt(0)!;
    if (c < 0x80) out += u;
    else if (APOSTROPHE_LIKE.has(c)) out += "'";
    else if (c === 0xdf) out += 'ss';
    else if (c === 0x153) out += 'oe';
    else if (c === 0xe6) out += 'ae';
    else if (c === 0x3c2) out += 'σ';
    else out += LETTER_OR_DIGIT.test(u) ? u : ' ';
  }
  return out;
}

/**
 * The fold of each BMP code unit, filled on first sight: one typed-array read
 * per character in the hot loop, no regular expression, no string method call.
 * UNSEEN: not computed yet; EXPANDS: the fold is not exactly one code unit
 * (ß -> "ss", a dropped mark -> "", a surrogate) and lives in `expansions`.
 */
const UNSEEN = 0xffff;
const EXPANDS = 0xfffe;
const foldTable = new Uint16Array(0x10000).fill(UNSEEN);
const expansions = new Map<string, Uint16Array>();

function unitsOf(s: string): Uint16Array {
  const u = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}

function learnUnit(c: number): number {
  const ch = String.fromCharCode(c);
  const f = foldString(ch);
  // A high surrogate is folded together with the unit after it (fold()).
  if (f.length === 1 && !(c >= 0xd800 && c <= 0xdbff)) {
    foldTable[c] = f.charCodeAt(0);
  } else {
    foldTable[c] = EXPANDS;
    expansions.set(ch, unitsOf(f));
  }
  return foldTable[c]!;
}

function expansionOf(key: string): Uint16Array {
  let e = expansions.get(key);
  if (e === undefined) {
    e = unitsOf(foldString(key));
    expansions.set(key, e);
  }
  return e;
}

/**
 * Scratch, grown as needed and reused: the tokeniser runs on every article and
 * typed arrays sized to a text live outside the JS heap, costly to allocate.
 * `raw` receives the text's UTF-16 code units in one native copy (faster than
 * a charCodeAt per character); `folded` receives the folded text.
 */
let raw = Buffer.alloc(1 << 15);
let rawUnits = new Uint16Array(raw.buffer, raw.byteOffset, raw.length >> 1);
let folded = new Uint16Array(1 << 14);
/**
 * Where each unit of `folded` came from in the text, once a fold changed a
 * length (ß -> ss, a dropped accent); until then `mapped` is false and the
 * positions are equal, which is most texts.
 */
let origin = new Int32Array(1 << 14);
let mapped = false;

/** The policy's steps 1-3 (NFKC, apostrophes, case, accents, ligatures) into `folded`; returns its length. */
function fold(text: string, mapPositions = false): number {
  const n = text.length;
  if (raw.length < 2 * n) {
    // Buffer.alloc keeps byteOffset 0, so the Uint16Array view is aligned.
    raw = Buffer.alloc(Math.max(2 * n, raw.length * 2));
    rawUnits = new Uint16Array(raw.buffer, raw.byteOffset, raw.length >> 1);
  }
  raw.write(text, 0, 'utf16le');
  const units = rawUnits;
  if (folded.length < n + 8) folded = new Uint16Array(Math.max(n + 8, folded.length * 2));
  let buf = folded;
  let w = 0;
  // Locals, not the module's bindings: this is the tokeniser's hottest loop.
  let map = false;
  let from = origin;
  for (let i = 0; i < n; i++) {
    const c = units[i]!;
    let f = foldTable[c]!;
    if (f === UNSEEN) f = learnUnit(c);
    if (f !== EXPANDS) {
      if (map) from[w] = i;
      buf[w++] = f;
      continue;
    }
    if (mapPositions && !map) {
      // Up to here every unit folded to one: positions were equal.
      if (from.length < buf.length) from = new Int32Array(buf.length);
      for (let k = 0; k < w; k++) from[k] = k;
      map = true;
    }
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < n;
    const e = pair
      ? expansionOf(String.fromCharCode(c, units[i + 1]!))
      : expansions.get(String.fromCharCode(c))!;
    if (pair) i++;
    // An expansion can outgrow the input (NFKC of U+FDFA is 18 characters).
    if (w + e.length + (n - i) + 8 > buf.length) {
      const bigger = new Uint16Array((w + e.length + (n - i) + 8) * 2);
      bigger.set(buf.subarray(0, w));
      folded = buf = bigger;
    }
    if (map && from.length < buf.length) {
      const bigger = new Int32Array(buf.length);
      bigger.set(from.subarray(0, w));
      from = bigger;
    }
    for (let j = 0; j < e.length; j++) {
      if (map) from[w] = pair ? i - 1 : i;
      buf[w++] = e[j]!;
    }
  }
  origin = from;
  mapped = map;
  // Sentinels: look-aheads past the end read a non-word character.
  buf[w] = SPACE;
  buf[w + 1] = SPACE;
  buf[w + 2] = SPACE;
  buf[w + 3] = SPACE;
  return w;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

/**
 * Letters and digits of the folded text, as a table: one load instead of three
 * range tests in the tokeniser's innermost loop. fold() kept non-ASCII
 * characters only when they are a letter or digit.
 */
const WORD_CHAR = new Uint8Array(0x10000).fill(1);
for (let c = 0; c < 0x80; c++) WORD_CHAR[c] = isDigit(c) || isAsciiLetter(c) ? 1 : 0;

function isWordChar(c: number): boolean {
  return WORD_CHAR[c] === 1;
}

/** Non-ASCII digits (Arabic-Indic...) count as letters here: number rules are for ASCII digits. */
function isLetter(c: number): boolean {
  return isAsciiLetter(c) || c >= 0x80;
}

/** Whitespace that survives fold() (every non-ASCII space became " "). */
function isFoldedSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13);
}

/** Exactly three digits at i (and no fourth): what follows a thousands separator. */
function threeDigitsAt(s: Uint16Array, i: number): boolean {
  return isDigit(s[i]!) && isDigit(s[i + 1]!) && isDigit(s[i + 2]!) && !isDigit(s[i + 3]!);
}

/** Elided words other than the single letters l' d' j' m' n' s' t' c'. */
const ELISIONS = ['jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'presqu', 'qu'].map(unitsOf);
const SINGLE_LETTER_ELISIONS = new Set([...'ldjmnstc'].map((c) => c.charCodeAt(0)));

function unitsAt(s: Uint16Array, at: number, word: Uint16Array): boolean {
  for (let j = 0; j < word.length; j++) if (s[at + j] !== word[j]) return false;
  return true;
}

/** True when s[from, apos) is an elision and a letter follows its apostrophe at apos. */
function isElision(s: Uint16Array, from: number, apos: number, end: number): boolean {
  if (apos + 1 >= end || !isLetter(s[apos + 1]!)) return false;
  const len = apos - from;
  if (len === 1) return SINGLE_LETTER_ELISIONS.has(s[from]!);
  for (const e of ELISIONS) if (e.length === len && unitsAt(s, from, e)) return true;
  return false;
}

const PERCENT_WORDS = ['percent', 'per cent', 'pour cent', 'pourcent'].map(unitsOf);
const PERCENT_HEADS = ['per', 'pour'].map(unitsOf);
const CENT = unitsOf('cent');

/** Length of a spelled-out percent ("per cent", "pour cent", "percent") at i, or 0. */
function percentWordAt(s: Uint16Array, i: number, end: number): number {
  if (s[i] !== LOWER_P) return 0;
  for (const w of PERCENT_WORDS) {
    if (i + w.length <= end && unitsAt(s, i, w) && !isLetter(s[i + w.length]!)) return w.length;
  }
  // "per\tcent" / "pour\ncent": another single whitespace character
  for (const head of PERCENT_HEADS) {
    const at = i + head.length;
    if (at + 5 <= end && unitsAt(s, i, head) && isFoldedSpace(s[at]!) && unitsAt(s, at + 1, CENT)) {
      if (!isLetter(s[at + 5]!)) return head.length + 5;
    }
  }
  return 0;
}

function decodeUnits(s: Uint16Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i += 4096) {
    out += String.fromCharCode.apply(null, s.subarray(i, Math.min(to, i + 4096)) as unknown as number[]);
  }
  return out;
}

/**
 * Token hashes of a text, as hashString32 gives them (FNV-1a over UTF-16
 * units, then fmix32), in hashes[0, count).
 */
export type TokenHashes = { hashes: Int32Array; count: number };

/**
 * Reused between calls: allocating a typed array the size of the text cost
 * more than a tenth of the whole tokeniser (its memory lives outside the JS
 * heap). So tokenHashesForDedup's result is only valid until its next call.
 */
let hashScratch = new Int32Array(1 << 12);

const PERCENT_HASH = hashString32('%') | 0;

/** Where wordAt() left off: the end of the word, its hash, whether it is a token, its text. */
let wordEnd = 0;
let wordHash = 0;
let wordKept = false;
let wordText = '';

/**
 * The word starting at `from`, with every rule of the policy: elisions,
 * possessives, thousands separators, decimal marks, "22percent". The common
 * case never needs it (see scan); keeping it out of the hot loop lets V8 keep
 * that loop's variables in registers.
 */
function wordAt(s: Uint16Array, from: number, n: number, wantText: boolean): void {
  let i = from;
  let h = FNV_START;
  let len = 0;
  let token = '';
  for (;;) {
    for (;;) {
      const d = s[i]!;
      if (!isWordChar(d)) break;
      // "22percent": a spelled-out percent right after a digit
      if (d === LOWER_P && i > 0 && isDigit(s[i - 1]!) && percentWordAt(s, i, n) > 0) break;
      h = Math.imul(h ^ d, FNV_PRIME);
      len++;
      i++;
    }
    if (i >= n) break;
    const d = s[i]!;
    const prev = s[i - 1]!;
    // "l'", "qu'", "jusqu'"... before a letter, at the start of a word: dropped
    if (d === APOS && len <= 6 && len === i - from && token === '' && isElision(s, from, i, n)) {
      len = 0;
      break;
    }
    if (isDigit(prev)) {
      // "1 200", "1,200", "1.200", "1'200": a thousands separator, removed
      if ((d === SPACE || d === COMMA || d === DOT || d === APOS) && threeDigitsAt(s, i + 1)) {
        if (wantText) token += decodeUnits(s, from, i);
        from = ++i;
        continue;
      }
      // "6,20" / "6.20": a decimal mark, written "."
      if ((d === COMMA || d === DOT) && isDigit(s[i + 1]!)) {
        if (wantText) token += `${decodeUnits(s, from, i)}.`;
        h = Math.imul(h ^ DOT, FNV_PRIME);
        len++;
        from = ++i;
        continue;
      }
    }
    if (d === APOS && isLetter(prev) && s[i + 1] === LOWER_S && !isWordChar(s[i + 2]!)) {
      // English possessive "'s", dropped
      if (wantText) token += decodeUnits(s, from, i);
      i += 2;
      from = i;
    }
    break;
  }
  wordEnd = i;
  wordKept = len > 0;
  wordHash = fmix32(h) | 0;
  wordText = wantText && wordKept ? token + decodeUnits(s, from, i) : '';
}

/**
 * What key-term selection (key-terms.ts) needs to know of each token beyond
 * its hash, read from the text as written: its case, and where it stands.
 */
export const TOKEN_CAPITALISED = 1;
/** First word of the text, of a paragraph, or after . ! ? : ; … ( or a quotation mark. */
export const TOKEN_OPENS_SENTENCE = 2;
/** Inside a paragraph's wire dateline ("NICE, 15 avril 2026 (AFP) -"), which outlets keep or strip. */
export const TOKEN_IN_DATELINE = 4;
/** Starts with a digit. */
export const TOKEN_NUMBER = 8;
/** One character long. */
export const TOKEN_SHORT = 16;

export type TokenFacts = TokenHashes & { facts: Uint8Array };

let factScratch = new Uint8Array(1 << 12);
const NEWLINE = 10;

// The written character's class, filled on first sight (UNKNOWN until then).
const ORIG_UNKNOWN = 0x80;
const ORIG_UPPER = 1;
/** A sentence opens after it. */
const ORIG_MARK = 2;
/** Leaves the sentence state as it is: spaces, apostrophes, dashes. */
const ORIG_NEUTRAL = 4;
const ORIG_SPACE = 8;
const ORIG_DASH = 16;
const origClass = new Uint8Array(0x10000).fill(ORIG_UNKNOWN);
const MARKS = new Set([...'.!?:;\u2026\u00ab\u00bb"\u201c\u201d(\n'].map((c) => c.charCodeAt(0)));
const SPACES = new Set([32, 9, 13, 0xa0, 0x202f]);
const DASHES = new Set([45, 0x2013, 0x2014]);

function classOfOriginal(c: number): number {
  const k = origClass[c]!;
  if (k !== ORIG_UNKNOWN) return k;
  const ch = String.fromCharCode(c);
  let cls = 0;
  if (ch !== ch.toLowerCase() && /\p{L}/u.test(ch)) cls |= ORIG_UPPER;
  if (MARKS.has(c)) cls |= ORIG_MARK;
  if (SPACES.has(c)) cls |= ORIG_NEUTRAL | ORIG_SPACE;
  if (DASHES.has(c)) cls |= ORIG_NEUTRAL | ORIG_DASH;
  if (c === APOS || c === 0x2019) cls |= ORIG_NEUTRAL;
  origClass[c] = cls;
  return cls;
}

/** Class of the written character behind folded position p. */
function writtenAt(p: number): number {
  const k = origClass[rawUnits[mapped ? origin[p]! : p]!]!;
  return k !== ORIG_UNKNOWN ? k : classOfOriginal(rawUnits[mapped ? origin[p]! : p]!);
}

function factsOf(s: Uint16Array, from: number, to: number, opens: boolean, datelineEnd: number): number {
  return (
    ((writtenAt(from) & ORIG_UPPER) !== 0 ? TOKEN_CAPITALISED : 0) |
    // The paragraph's text proper opens where its dateline ends.
    (opens || from === datelineEnd ? TOKEN_OPENS_SENTENCE : 0) |
    (from < datelineEnd ? TOKEN_IN_DATELINE : 0) |
    (isDigit(s[from]!) ? TOKEN_NUMBER : 0) |
    (to - from < 2 ? TOKEN_SHORT : 0)
  );
}

/** A dateline is found this close to its paragraph's start or not at all. */
const DATELINE_REACH = 80;

/**
 * Where a wire dateline opening the paragraph at `at` ends: a capital, up to
 * DATELINE_REACH characters without a line break to "(" + a capitalised word +
 * ")", then a dash. `at` itself when there is none.
 */
function datelineEndAt(s: Uint16Array, at: number, n: number): number {
  const limit = Math.min(n, at + DATELINE_REACH);
  let i = at;
  while (i < limit && (writtenAt(i) & ORIG_SPACE) !== 0) i++;
  if (i >= limit || (writtenAt(i) & ORIG_UPPER) === 0) return at;
  for (let j = i; j < limit; j++) {
    const c = s[j]!;
    if (c === NEWLINE) return at;
    if (c !== 40) continue;
    let k = j + 1;
    if (k >= limit || (writtenAt(k) & ORIG_UPPER) === 0) return at;
    while (k < limit && isLetter(s[k]!)) k++;
    if (s[k] !== 41) return at;
    k++;
    while (k < limit && (writtenAt(k) & ORIG_SPACE) !== 0) k++;
    if (k >= n || (writtenAt(k) & ORIG_DASH) === 0) return at;
    k++;
    while (k < n && (writtenAt(k) & ORIG_SPACE) !== 0) k++;
    return k;
  }
  return at;
}

/**
 * One pass over the folded text: words split on anything that is not a letter
 * or digit, with elisions, possessives, thousands separators, decimal marks
 * and percent handled as the policy says. Each token is hashed as it is
 * scanned, so the hot path (sketching) never builds token strings; `strings`
 * also collects them, for normalizeForDedup. Plain loops over a typed array:
 * the regex chain this replaced cost several times more.
 *
 * Most words are letters followed by a space or punctuation; those are
 * hashed here. A word that reaches an apostrophe, a digit before a
 * separator, or a "p" after a digit is handed to wordAt, which starts it over
 * with every rule.
 */
function scan(text: string, strings: string[] | null, withFacts = false): TokenHashes {
  const n = fold(text, withFacts);
  const s = folded;
  const wantText = strings !== null;
  // Every token takes at least one character of s.
  if (hashScratch.length < n + 1) hashScratch = new Int32Array(Math.max(n + 1, hashScratch.length * 2));
  if (withFacts && factScratch.length < n + 1) factScratch = new Uint8Array(hashScratch.length);
  const hashes = hashScratch;
  const facts = factScratch;
  let count = 0;
  let i = 0;
  // Facts: whether a sentence opens at the next word, and where the paragraph's dateline ends.
  let opens = true;
  let datelineEnd = withFacts ? datelineEndAt(s, 0, n) : 0;
  const written = rawUnits;
  const remap = mapped;
  const at = origin;
  while (i < n) {
    const c = s[i]!;
    if (WORD_CHAR[c] !== 1) {
      if (c === PERCENT) {
        if (withFacts) facts[count] = 0;
        hashes[count++] = PERCENT_HASH;
        strings?.push('%');
        opens = false;
      } else if (withFacts) {
        if (c === NEWLINE) {
          opens = true;
          datelineEnd = datelineEndAt(s, i + 1, n);
        } else {
          const o = written[remap ? at[i]! : i]!;
          // A space leaves the sentence state as it is: the common case, without a table.
          if (o === SPACE) {
            i++;
            continue;
          }
          const k = classOfOriginal(o);
          if ((k & ORIG_MARK) !== 0) opens = true;
          else if ((k & ORIG_NEUTRAL) === 0) opens = false;
        }
      }
      i++;
      continue;
    }
    // A word starts here (the previous character, if any, is not a letter).
    if (c === LOWER_P) {
      const pct = percentWordAt(s, i, n);
      if (pct > 0) {
        if (withFacts) facts[count] = 0;
        hashes[count++] = PERCENT_HASH;
        strings?.push('%');
        i += pct;
        opens = false;
        continue;
      }
    }
    const from = i;
    let h = FNV_START;
    let d = c;
    let prev = 0;
    // No bounds test: the sentinel space after the text ends every word.
    do {
      if (d === LOWER_P && isDigit(prev)) break;
      h = Math.imul(h ^ d, FNV_PRIME);
      prev = d;
      d = s[++i]!;
    } while (WORD_CHAR[d] === 1);
    const rare =
      WORD_CHAR[d] === 1 || d === APOS || (isDigit(prev) && (d === SPACE || d === COMMA || d === DOT));
    if (!rare) {
      if (withFacts) {
        const first = written[remap ? at[from]! : from]!;
        // A lower-case ASCII word inside a sentence, most words, has no fact at all.
        facts[count] =
          first >= 97 && first <= 122 && !opens && from > datelineEnd && i - from >= 2
            ? 0
            : factsOf(s, from, i, opens, datelineEnd);
        opens = false;
      }
      hashes[count++] = fmix32(h);
      if (wantText) strings.push(decodeUnits(s, from, i));
      continue;
    }
    wordAt(s, from, n, wantText);
    i = wordEnd;
    if (wordKept) {
      if (withFacts) facts[count] = factsOf(s, from, i, opens, datelineEnd);
      hashes[count++] = wordHash;
      if (wantText) strings.push(wordText);
    }
    opens = false;
  }
  return { hashes, count };
}

/** The normalised tokens of a text (normalizeForDedup, split). */
export function tokensForDedup(text: string): string[] {
  const out: string[] = [];
  scan(text, out);
  return out;
}

/**
 * The hashes of tokensForDedup(text), without building the token strings.
 * The array is scratch space, overwritten by the next call: use or copy it first.
 */
export function tokenHashesForDedup(text: string): TokenHashes {
  return scan(text, null);
}

/**
 * tokenHashesForDedup with each token's facts (TOKEN_*), for key terms. Both
 * arrays are scratch space, overwritten by the next call.
 */
export function tokenFactsForDedup(text: string): TokenFacts {
  const { hashes, count } = scan(text, null, true);
  return { hashes, count, facts: factScratch };
}

/** tokensForDedup and tokenFactsForDedup from one pass (the facts array is scratch space, as there). */
export function tokenWordsAndFactsForDedup(text: string): TokenFacts & { words: string[] } {
  const words: string[] = [];
  const { hashes, count } = scan(text, words, true);
  return { hashes, count, facts: factScratch, words };
}

export function normalizeForDedup(text: string): string {
  return tokensForDedup(text).join(' ');
}

/** Splits the output of normalizeForDedup into tokens (it is single-space separated). */
export function tokenize(normalized: string): string[] {
  if (normalized.length === 0) return [];
  return normalized.split(' ').filter((t) => t.length > 0);
}
