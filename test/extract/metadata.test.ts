import * as cheerio from 'cheerio/slim';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/extract/dates.js';
import { readArticleLd } from '../../src/extract/json-ld.js';
import { guessLanguage, primaryLanguage } from '../../src/extract/language.js';
import { readMetadata, stripSiteName } from '../../src/extract/metadata.js';
import { normalizeText } from '../../src/extract/text-normalize.js';

describe('dates', () => {
  it('converts offsets to UTC', () => {
    expect(parseDate('2025-03-05T10:16:00-05:00', 'UTC')?.iso).toBe('2025-03-05T15:16:00Z');
    expect(parseDate('2025-07-21T05:45:00Z', 'UTC')?.iso).toBe('2025-07-21T05:45:00Z');
    expect(parseDate('2025-07-21T05:45:00.123+0200', 'UTC')?.iso).toBe('2025-07-21T03:45:00Z');
  });

  it('reads local French times in Paris time, across DST', () => {
    expect(parseDate('27/01/2025 12h35', 'Europe/Paris')?.iso).toBe('2025-01-27T11:35:00Z');
    expect(parseDate('07/04/2025 18h37', 'Europe/Paris')?.iso).toBe('2025-04-07T16:37:00Z');
    expect(parseDate('2025-07-21 07:45', 'Europe/Paris')?.iso).toBe('2025-07-21T05:45:00Z');
  });

  it('keeps bare days and rejects nonsense', () => {
    expect(parseDate('20250721', 'UTC')).toEqual({ iso: '2025-07-21T00:00:00Z', precision: 'day' });
    expect(parseDate('hier soir', 'UTC')).toBeNull();
    expect(parseDate('2025-13-40', 'UTC')).toBeNull();
  });
});

describe('titles', () => {
  it('strips the site name suffix or prefix, not parts of the headline', () => {
    expect(stripSiteName('Crues : le Tarn en vigilance rouge | L’Écho du Sud', 'L’Écho du Sud')).toBe(
      'Crues : le Tarn en vigilance rouge',
    );
    expect(stripSiteName('Le Fil - INFO - Ligue 2 : le club limoge son entraîneur', 'Le Fil')).toBe(
      'INFO - Ligue 2 : le club limoge son entraîneur',
    );
    expect(stripSiteName('Stocks rally as inflation cools | The Courier', null)).toBe(
      'Stocks rally as inflation cools',
    );
    expect(stripSiteName('Brexit - what happens next', null)).toBe('Brexit - what happens next');
  });

  it('prefers og:title, then falls back to <h1> and <title>', () => {
    const $ = cheerio.load(
      '<html><head><title>Headline here today | Site</title></head><body><h1>Headline here today</h1></body></html>',
    );
    expect(readMetadata($, null).title).toBe('Headline here today');
  });
});

describe('JSON-LD', () => {
  it('finds the article in a @graph and reads authors, dates and body', () => {
    const $ = cheerio.load(`<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebSite","name":"x"},
      {"@type":["NewsArticle"],"headline":"H","datePublished":"2025-01-02T03:04:05Z","author":[{"@type":"Person","name":"A"},{"name":"B"}],"articleBody":"Body."}]}</script>`);
    expect(readArticleLd($)).toEqual({
      headline: 'H',
      articleBody: 'Body.',
      datePublished: '2025-01-02T03:04:05Z',
      dateModified: null,
      authors: ['A', 'B'],
      inLanguage: null,
    });
  });

  it('survives broken JSON', () => {
    const $ = cheerio.load('<script type="application/ld+json">{"@type": "NewsArticle", </script>');
    expect(readArticleLd($)).toBeNull();
  });
});

describe('language', () => {
  it('normalises declared tags and guesses fr/en from stop words', () => {
    expect(primaryLanguage('fr-FR')).toBe('fr');
    expect(primaryLanguage('en_US')).toBe('en');
    expect(
      guessLanguage(
        'Le gouvernement a annoncé mardi une hausse des prix pour les ménages et les entreprises.',
      ),
    ).toBe('fr');
    expect(
      guessLanguage(
        'The government said on Tuesday that prices would rise for households and for companies.',
      ),
    ).toBe('en');
    expect(guessLanguage('12 345 678')).toBeNull();
  });
});

describe('text normalisation', () => {
  it('turns NBSP and zero-width characters into plain text but keeps paragraph breaks', () => {
    expect(normalizeText('« Bonjour\u00a0»\u200b  dit-il.\n\n\n\nSecond\u202fparagraphe ')).toBe(
      '« Bonjour » dit-il.\n\nSecond paragraphe',
    );
  });
});
