/**
 * The earlier regex implementations of collapseInline and matchKey, kept only
 * as the references the single-pass ones in src/extract/text-normalize.ts must
 * agree with. One deliberate difference: matchKey lower-cases character by
 * character, so a capital sigma is always σ (whole-string lower-casing made it
 * ς at a word's end); keys only need to be consistent.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const HSPACE = /[\t\f\v \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

export function referenceCollapseInline(s: string): string {
  return s.replace(INVISIBLE, '').replace(/\s+/g, ' ').replace(HSPACE, ' ').trim();
}

const NON_ASCII = /[^\x00-\x7f]/;

export function referenceMatchKey(raw: string): string {
  const s = raw.replace(INVISIBLE, '');
  const folded = NON_ASCII.test(s) ? s.normalize('NFKD').replace(/\p{M}+/gu, '') : s;
  const words = [...folded]
    .map((c) => c.toLowerCase())
    .join('')
    .replace(/['’‘`´]/g, '')
    .match(/[\p{L}\p{N}]+/gu);
  return words ? words.join(' ') : '';
}
