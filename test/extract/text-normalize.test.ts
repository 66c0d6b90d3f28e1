import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collapseInline, hasWord, matchKey, wordCount } from '../../src/extract/text-normalize.js';
import { referenceCollapseInline, referenceMatchKey } from './text-normalize-reference.js';

const TRICKY = [
  '',
  ' ',
  '  Source :\u00a0AFP  ',
  'SOURCE – AFP',
  "L'État d’urgence, qu’il « oui » ; l´AFP l`AFP Ｌ＇ＡＦＰ",
  'a\u200bb c\u00ad d\ufeff \u200b e',
  'Vladi\u00admir \u200eשלום\u200f \u202bعربي\u202c \u2066iso\u2069 a\u2062b',
  'ﬁn ＡＢＣ Straße œuvre İstanbul ø łódź Ελλάδα ΣΟΦΟΣ Москва 東京 😀 x² 𝐀𝐁',
  'e\u0301te \u0301 Ĳssel ŉ ½ 1…2',
  'tab\there\nnew\r\nline\u2028sep\u3000wide\u202fnarrow',
  'Lire aussi : « Le titre »',
  '\u00a0\u00a0',
  'x'.repeat(5000),
  '\ud800 lone \udc00 surrogates \ud83d',
];

function samples(): string[] {
  const out = [...TRICKY];
  const truthPath = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'dev', 'truth.json');
  if (existsSync(truthPath)) {
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as { pages: Record<string, { body: string }> };
    for (const p of Object.values(truth.pages)) out.push(p.body, ...p.body.split('\n'));
  }
  return out;
}

describe('single-pass text normalisation', () => {
  it('collapseInline agrees with the regex reference', () => {
    for (const s of samples())
      expect(collapseInline(s), JSON.stringify(s.slice(0, 80))).toBe(referenceCollapseInline(s));
  });

  it('matchKey agrees with the regex reference', () => {
    for (const s of samples()) expect(matchKey(s), JSON.stringify(s.slice(0, 80))).toBe(referenceMatchKey(s));
  });

  it('keys boilerplate variants alike', () => {
    expect(matchKey('Source : AFP')).toBe('source afp');
    expect(matchKey('SOURCE – AFP')).toBe('source afp');
    expect(matchKey("L'AFP")).toBe('lafp');
    expect(matchKey('À lire aussi')).toBe('a lire aussi');
    expect(collapseInline('  Avec\u00a0 AFP \u200b ')).toBe('Avec AFP');
  });

  it('invisible characters are dropped alike in text and keys, never a word break', () => {
    expect(collapseInline('Vladi\u00admir Pu\u200etin')).toBe('Vladimir Putin');
    expect(matchKey('Vladi\u00admir Pu\u200etin')).toBe('vladimir putin');
    expect(matchKey('\u2066Lire aussi\u2069 :')).toBe('lire aussi');
  });
});

describe('hasWord', () => {
  it('is wordCount > 0, for letters and digits of any script', () => {
    for (const s of ['', '   ', '— … ©', '\u00ad\u200b', 'a', ' 9 ', 'Été', '東京', '٣', '— x —'])
      expect(hasWord(s)).toBe(wordCount(s) > 0);
  });
});
