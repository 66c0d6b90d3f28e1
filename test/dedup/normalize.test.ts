import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashString32 } from '../../src/dedup/hash32.js';
import {
  normalizeForDedup,
  tokenHashesForDedup,
  tokenize,
  tokensForDedup,
} from '../../src/dedup/normalize.js';
import { referenceNormalize } from './normalize-reference.js';

describe('normalizeForDedup', () => {
  it('drops French elisions with straight or typographic apostrophes', () => {
    expect(normalizeForDedup("L'État d'urgence qu'il jusqu'à")).toBe('etat urgence il a');
    expect(normalizeForDedup('L’État d’urgence qu’il jusqu’à')).toBe('etat urgence il a');
    expect(normalizeForDedup("n'est c'est s'est m'a t'a j'ai lorsqu'elle")).toBe('est est est a a ai elle');
  });

  it('does not treat a word ending in one of the elided letters as an elision', () => {
    expect(normalizeForDedup("aujourd'hui")).toBe('aujourd hui');
    expect(normalizeForDedup("Brazil's crop")).toBe('brazil crop');
  });

  it('folds case, accents and ligatures', () => {
    expect(normalizeForDedup('ÉTÉ à Noël, Œuvre du cœur, ex æquo, Straße')).toBe(
      'ete a noel oeuvre du coeur ex aequo strasse',
    );
  });

  it('applies NFKC before anything else', () => {
    expect(normalizeForDedup('ＡＢＣ ﬁn')).toBe('abc fin');
  });

  it('removes quotes and punctuation, splitting hyphenated names', () => {
    expect(normalizeForDedup('« Nous partons », a-t-il dit. "We go," she said; Tarn-et-Garonne!')).toBe(
      'nous partons a t il dit we go she said tarn et garonne',
    );
  });

  it('normalises thousands separators and decimal marks', () => {
    for (const s of ['1 200', '1,200', '1.200', '1\u00a0200', '1\u202f200', "1'200"]) {
      expect(normalizeForDedup(`${s} personnes`)).toBe('1200 personnes');
    }
    expect(normalizeForDedup('2 100 000')).toBe('2100000');
    expect(normalizeForDedup('6,20 mètres')).toBe(normalizeForDedup('6.20 metres'));
    expect(normalizeForDedup('6,20 mètres')).toBe('6.20 metres');
    expect(normalizeForDedup('en 2025.')).toBe('en 2025');
  });

  it('makes every percent spelling the same token', () => {
    const expected = 'down 22 % today';
    expect(normalizeForDedup('down 22% today')).toBe(expected);
    expect(normalizeForDedup('down 22 % today')).toBe(expected);
    expect(normalizeForDedup('down 22 per cent today')).toBe(expected);
    expect(normalizeForDedup('down 22 percent today')).toBe(expected);
    expect(normalizeForDedup('down 22percent today')).toBe(expected);
    expect(normalizeForDedup('the percentage')).toBe('the percentage');
    expect(normalizeForDedup('baisse de 22 pour cent')).toBe('baisse de 22 %');
  });
});

describe('tokenize', () => {
  it('splits normalised text into words', () => {
    expect(tokenize(normalizeForDedup("  Le préfet l'a dit :  « non » "))).toEqual([
      'le',
      'prefet',
      'a',
      'dit',
      'non',
    ]);
    expect(tokenize('')).toEqual([]);
    expect(tokenize(normalizeForDedup(' — … ! '))).toEqual([]);
  });
});

describe('single-pass normaliser', () => {
  it('agrees with the regex-chain reference on the corpus bodies and tricky inputs', () => {
    const samples = [
      "L'État d’urgence, qu’il jusqu’à 1 200,5 % ; Brazil's 3.5 per cent",
      'ﬁn ＡＢＣ Straße œuvre İstanbul ø łódź Ελλάδα Москва 東京 😀 x²',
      "a 1,2,345 b 2 100 000. c'est 12'500 l'1 d'",
      'pourcent per\tcent 5percentage 22percent %% .5 5. ,5',
      'ΣΟΦΟΣ ½ 𝐀𝐁 1…2 ＭＷ ẞ e\u0301te Ĳssel ŉ',
    ];
    const truthPath = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'dev', 'truth.json');
    if (existsSync(truthPath)) {
      const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as {
        pages: Record<string, { body: string }>;
      };
      for (const p of Object.values(truth.pages)) samples.push(p.body);
    }
    for (const text of samples) expect(normalizeForDedup(text)).toBe(referenceNormalize(text));
    expect(tokensForDedup("L'été, 22 %")).toEqual(['ete', '22', '%']);
  });
});

describe('tokenHashesForDedup', () => {
  it('hashes exactly the tokens tokensForDedup gives', () => {
    for (const text of ["L'État, 1 200,5 % et 22percent ; Brazil's crop", 'ÉTÉ à Noël', '', ' — ']) {
      const tokens = tokensForDedup(text);
      const { hashes, count } = tokenHashesForDedup(text);
      expect(count).toBe(tokens.length);
      expect(Array.from(hashes.subarray(0, count))).toEqual(tokens.map((t) => hashString32(t) | 0));
    }
  });
});
