import { describe, expect, it } from 'vitest';
import { compileBoilerplate } from '../../src/extract/boilerplate.js';
import { ALL_PHRASES } from './fixtures.js';

const m = compileBoilerplate(ALL_PHRASES);

describe('boilerplate phrases', () => {
  it('match whole lines whatever the case, spacing, quotes and punctuation', () => {
    for (const line of [
      'Retour en haut',
      'RETOUR EN HAUT ↑',
      '  avec   AFP. ',
      'Source: AFP',
      'source : afp',
      '« Publicité »',
      'Back to top',
    ]) {
      expect(m.isBoilerplate(line), line).toBe(true);
    }
  });

  it('teaser labels in German, Spanish, Italian, Portuguese and Dutch, never a sentence using the words', () => {
    const none = compileBoilerplate([]);
    for (const line of [
      'Lesen Sie auch: Die Bahn streikt wieder',
      'Mehr zum Thema – Wahlen in Hessen',
      'Lee también: El Gobierno aprueba el presupuesto',
      'Leggi anche: Il governo approva la manovra',
      'Leia também: Governo aprova orçamento',
      'Lees ook: Kabinet valt',
    ])
      expect(none.isBoilerplate(line), line).toBe(true);
    expect(none.isBoilerplate('Leggi anche', 'Leggi anche')).toBe(true);
    expect(none.isBoilerplate('Er sagte, man müsse mehr zum Thema Klima tun: jetzt.')).toBe(false);
  });

  it('"source" drops only a line that is that word, never a sentence containing it', () => {
    expect(m.isBoilerplate('Source')).toBe(true);
    expect(m.isBoilerplate('source :')).toBe(true);
    expect(m.isBoilerplate('Une source proche du dossier a confirmé la nouvelle.')).toBe(false);
    expect(m.isBoilerplate('The source of the leak is unknown.')).toBe(false);
  });

  it('prefix phrases drop a teaser line after a separator or before a link only', () => {
    expect(m.isBoilerplate('Lire aussi : Sécheresse, des restrictions dans l’Ardèche')).toBe(true);
    expect(m.isBoilerplate('À LIRE AUSSI - Le Rhône en crue')).toBe(true);
    expect(m.isBoilerplate('Read more: Airlines brace for higher fuel costs')).toBe(true);
    expect(m.isBoilerplate('Related » Port strike enters third week')).toBe(true);
    expect(m.isBoilerplate('Lire aussi Le Rhône en crue', 'Lire aussi ')).toBe(true);
    expect(m.isBoilerplate('Read more about the plan in the ministry report published on Monday.')).toBe(
      false,
    );
    expect(m.isBoilerplate('Il faut lire aussi le rapport de la Cour des comptes.')).toBe(false);
  });

  it('a phrase ending in ":" or "…" from config is a prefix phrase', () => {
    const custom = compileBoilerplate(['Notre dossier :', 'Voir la vidéo…']);
    expect(custom.isBoilerplate('Notre dossier : la réforme des retraites')).toBe(true);
    expect(custom.isBoilerplate('Voir la vidéo… du match')).toBe(true);
    expect(custom.isBoilerplate('Notre dossier complet sort demain.')).toBe(false);
  });

  it('learned lines match exactly and only exactly', () => {
    const learned = compileBoilerplate([], ['Suivez toute l’actualité de votre région']);
    expect(learned.isBoilerplate("Suivez toute l'actualité de votre région.")).toBe(true);
    expect(learned.isBoilerplate('Suivez toute l’actualité de votre région sur notre appli')).toBe(false);
  });

  it('the same phrases and lines (copies, as each page brings them) match the same; new lines are seen at once', () => {
    const phrases = ['Notre dossier :'];
    const before = compileBoilerplate([...phrases], ['Ligne apprise une']);
    expect(compileBoilerplate([...phrases], ['Ligne apprise une'])).toBe(before);
    const after = compileBoilerplate([...phrases], ['Ligne apprise une', 'Ligne apprise deux']);
    expect(after.isBoilerplate('Ligne apprise deux')).toBe(true);
    expect(before.isBoilerplate('Ligne apprise deux')).toBe(false);
  });

  it('shares on their own are boilerplate, sentences about sharing are not', () => {
    expect(m.isBoilerplate('Partager sur Facebook')).toBe(true);
    expect(m.isBoilerplate('Share')).toBe(true);
    expect(m.isBoilerplate('Share prices rose 3% on Monday.')).toBe(false);
  });
});
