/**
 * Which words are a text's key terms (key-terms.ts): the figures, days and names
 * that tell one dispatch of a templated series from the next.
 */
import { describe, expect, it } from 'vitest';
import { keyContainment, keySketch } from '../../src/dedup/key-terms.js';

const keysOf = (text: string) => [...keySketch(text).keys];
const countOf = (text: string) => keySketch(text).keyCount;

describe('key terms', () => {
  it('counts a number the same whatever its notation, and twice: the figures are the news', () => {
    const spaced = keysOf('Le chantier a coûté 1 200 euros.');
    expect(spaced).toHaveLength(2);
    expect(keysOf('Le chantier a coûté 1,200 euros.')).toEqual(spaced);
    expect(keysOf('Le chantier a coûté 1200 euros.')).toEqual(spaced);
    expect(keysOf('Le chantier a coûté 1\u202f200 euros.')).toEqual(spaced);
    expect(keysOf('Le taux est de 6,20 %.')).toEqual(keysOf('Le taux est de 6.20 %.'));
    expect(keysOf('Le taux est de 6,20 %.')).not.toEqual(keysOf('Le taux est de 6,25 %.'));
  });

  it('takes capitalised words inside a sentence, not the capital that opens one', () => {
    expect(countOf('Le maire de Vaurignac a parlé.')).toBe(1);
    expect(countOf('Vaurignac a voté. Le maire a parlé.')).toBe(0);
    expect(countOf('Il a dit : « Demain nous rouvrons » et « Tout ira bien ».')).toBe(0);
    expect(countOf('He said: "Tomorrow we reopen."')).toBe(0);
    expect(countOf('Le maire a parlé.\nLes élus ont voté.')).toBe(0);
    // a one-letter capital is a word of the sentence, not a name
    expect(countOf('Le plan B et le maire de Vaurignac.')).toBe(1);
  });

  it('folds case and accents, and sees a name behind an elision or a possessive', () => {
    expect(keysOf("la ville de Sète et l'État")).toEqual(keysOf("la ville de Sete et l'Etat"));
    expect(countOf("Il a saisi l'État.")).toBe(1);
    expect(keysOf("the mayor of Brazil's capital")).toEqual(keysOf('the capital of Brazil'));
  });

  it('takes weekdays, capitalised or not, even opening a sentence', () => {
    const day = keysOf('le conseil se réunit mardi soir');
    expect(day).toHaveLength(1);
    expect(keysOf('Mardi, le conseil se réunit.')).toEqual(day);
    expect(keysOf('le conseil se réunit mercredi soir')).not.toEqual(day);
    expect(countOf('The board meets on Tuesday.')).toBe(1);
  });

  it('skips a wire dateline, which outlets keep or strip', () => {
    const body = 'Le maire de Vaurignac a parlé.';
    expect(keysOf(`NICE, 15 avril 2026 (AFP) - ${body}`)).toEqual(keysOf(body));
    expect(keysOf(`NICE (AFP) – ${body}`)).toEqual(keysOf(body));
    expect(keysOf(`Un premier paragraphe.\nTULSA, Okla. (AP) — ${body}`)).toEqual(
      keysOf(`Un premier paragraphe.\n${body}`),
    );
    // not a dateline: the figures of a sentence with a parenthesis stay
    expect(countOf('Le groupe suisse Brenner (chocolat) a supprimé 600 emplois.')).toBe(3);
  });

  it("estimates how much of one text's key terms the other holds", () => {
    const short = keySketch('Le maire de Vaurignac a annoncé 600 emplois mardi.');
    const long = keySketch(
      'Le maire de Vaurignac a annoncé 600 emplois mardi, avec le préfet de Savoie et la ministre Dargaud.',
    );
    expect(keyContainment(short, long)).toBeCloseTo(1, 5);
    expect(keyContainment(long, short)).toBeCloseTo(4 / 6, 5);
    expect(keyContainment(keySketch('sans nom ni chiffre'), long)).toBe(1);
  });
});
