import { describe, expect, it } from 'vitest';
import { normalizeForDedup, tokenize } from '../../src/dedup/normalize.js';

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
