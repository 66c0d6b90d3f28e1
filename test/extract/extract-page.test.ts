import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/extract-article.js';
import { extractPage } from '../../src/extract/extract-page.js';
import { ALL_PHRASES, lines, pageBytes } from './fixtures.js';

const opts = { boilerplate: ALL_PHRASES };

describe('extractPage on French AFP page with page chrome', () => {
  const r = extractPage(pageBytes('fr-afp-article.html'), opts);

  it('keeps the article paragraphs, dateline first', () => {
    expect(r.status).toBe('ok');
    expect(r.charset).toBe('utf-8');
    const paragraphs = r.text.split('\n\n');
    expect(paragraphs).toHaveLength(4);
    expect(paragraphs[0]).toMatch(/^VALENCE, 8 juillet 2025 \(AFP\) - Météo-France a placé mardi/);
    expect(paragraphs[2]).toMatch(/^« Nous demandons aux personnes âgées/);
    expect(paragraphs[3]).toMatch(/comme lors de l'épisode de l'été dernier\.$/);
  });

  it('drops cookie banner, nav, share buttons, "Lire aussi", ads, credit, related, comments and footer', () => {
    const text = r.text.toLowerCase();
    for (const gone of [
      'cookies',
      'accepter',
      'partager',
      'lire aussi',
      'sécheresse',
      'publicité',
      'avec afp',
      'photo : jean martin',
      'sur le même sujet',
      'orages',
      'il fait de plus en plus chaud',
      'retour en haut',
      'tous droits réservés',
      'météo\n',
    ]) {
      expect(text).not.toContain(gone);
    }
  });

  it('reads the metadata', () => {
    expect(r.title).toBe('Canicule : la Drôme passe en vigilance orange');
    expect(r.byline).toBe('La Gazette du Rhône avec AFP');
    expect(r.publishedAt).toBe('2025-07-08T14:20:00Z');
    expect(r.updatedAt).toBe('2025-07-08T16:05:00Z');
    expect(r.lang).toBe('fr');
    expect(r.agency).toBe('AFP');
  });
});

describe('extractPage on English Reuters page', () => {
  const r = extractPage(pageBytes('en-reuters-article.html'), opts);

  it('keeps the dispatch and drops "Read more", ads, sign-off, share bar, sidebar and newsletter', () => {
    expect(r.status).toBe('ok');
    expect(r.text.startsWith('OSLO, April 14 (Reuters) - Nordvik Air will cancel')).toBe(true);
    expect(r.text.split('\n\n')).toHaveLength(4);
    for (const gone of [
      'read more',
      'fuel costs',
      'advertisement',
      'reporting by',
      'most read',
      'newsletter',
      'back to top',
      'accept cookies',
      'by courier staff',
    ]) {
      expect(r.text.toLowerCase()).not.toContain(gone);
    }
    expect(lines(r.text)).not.toContain('share');
    expect(lines(r.text)).not.toContain('share on x');
  });

  it('reads the metadata', () => {
    expect(r).toMatchObject({
      title: 'Nordvik Air cuts summer flights as engine checks drag on',
      byline: 'Courier staff with Reuters',
      publishedAt: '2025-04-14T09:40:00Z',
      lang: 'en',
      agency: 'Reuters',
    });
  });
});

describe('extractPage on a windows-1252 page declared only in <meta>', () => {
  const r = extractPage(pageBytes('fr-windows-1252.html'), opts);

  it('decodes é ’ € œ with a real windows-1252 table', () => {
    expect(r.charset).toBe('windows-1252');
    expect(r.title).toBe('Le prix du bœuf grimpe de 12 % en un an');
    expect(r.text).toContain('21,40 € en janvier, soit 12 % de plus qu’il y a un an');
    expect(r.text).toContain('Les éleveurs');
    expect(r.text).not.toMatch(/[\u0080-\u009f\ufffd]/);
  });

  it('removes the "Source : AFP" credit but reports the agency', () => {
    expect(lines(r.text)).not.toContain('source : afp');
    expect(r.text).not.toContain('Source');
    expect(r.agency).toBe('AFP');
  });

  it('guesses French without a lang attribute and reads a Paris local time', () => {
    expect(r.lang).toBe('fr');
    // "14/02/2025 09h05" in Paris (UTC+1 in February)
    expect(r.publishedAt).toBe('2025-02-14T08:05:00Z');
    expect(r.byline).toBe('Rédaction du Courrier des Halles');
  });

  it('honours a Content-Type charset over the document (and says which it used)', () => {
    const asUtf8 = extractPage(pageBytes('fr-windows-1252.html'), {
      ...opts,
      contentType: 'text/html; charset=utf-8',
    });
    // Bytes that are not UTF-8 under a UTF-8 header are sniffed back to windows-1252 by decodeBytes.
    expect(asUtf8.charset).toBe('windows-1252');
    expect(asUtf8.text).toContain('21,40 €');
  });
});

describe('extractPage on <br><br> paragraphs', () => {
  const r = extractPage(pageBytes('fr-br-paragraphs.html'), opts);

  it('splits paragraphs at double line breaks and drops the inline "Lire aussi" and "Avec AFP"', () => {
    expect(r.status).toBe('ok');
    const paragraphs = r.text.split('\n\n');
    expect(paragraphs).toHaveLength(4);
    expect(paragraphs[0]).toMatch(/^PARIS, 30 mai 2025 \(AFP\) - La Française Léa Fournier/);
    expect(paragraphs[3]).toBe(
      "Elle affrontera samedi la tenante du titre, qu'elle n'a jamais battue en trois confrontations.",
    );
    expect(r.text).not.toContain('Lire aussi');
    expect(r.text).not.toContain('classement mondial');
    expect(r.text).not.toContain('Avec AFP');
    expect(r.agency).toBe('AFP');
    expect(r.title).toBe('Tennis : Léa Fournier qualifiée pour les demi-finales');
    expect(r.publishedAt).toBe('2025-05-30T19:10:00Z');
  });
});

describe('pages without an article', () => {
  it('an article template with no text is empty, with a reason', () => {
    const r = extractPage(pageBytes('empty-article.html'), opts);
    expect(r.status).toBe('empty');
    expect(r.reason).toMatch(/^extract: /);
    expect(r.text).toBe('');
  });

  it('a section front made of headline links is empty', () => {
    const r = extractPage(pageBytes('non-article.html'), opts);
    expect(r.status).toBe('empty');
    expect(r.text).toBe('');
  });

  it('an internal error becomes status failed, never a throw', () => {
    const r = extractArticle(null as unknown as string, opts);
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/^extract: /);
  });

  it('a bare fragment without <html>/<body> is still extracted', () => {
    const para =
      'The harbour authority said on Tuesday that the new breakwater, started in 2021, would be finished by the end of the year, two years later than planned.';
    const r = extractArticle(`<div><p>${para}</p><p>${para.replace('Tuesday', 'Friday')}</p></div>`, opts);
    expect(r.status).toBe('ok');
    expect(r.text.split('\n\n')).toHaveLength(2);
  });
});

describe('site rules', () => {
  const html = Buffer.from(pageBytes('en-reuters-article.html')).toString('utf8');

  it('a body selector wins over detection and matches subdomains', () => {
    const r = extractArticle(html, {
      ...opts,
      url: 'https://www.courier.example/business/nordvik',
      siteRules: { 'courier.example': { body: '.story-content p:nth-of-type(2)' } },
    });
    expect(r.text).toBe(
      'The airline said the checks, ordered by the engine maker after wear was found on turbine blades, were taking longer than planned and that spare engines were hard to source.',
    );
  });

  it('remove selectors drop matching elements; other hosts are untouched', () => {
    const rules = { 'courier.example': { remove: ['.story-content p:first-child'] } };
    const mine = extractArticle(html, { ...opts, url: 'https://courier.example/x', siteRules: rules });
    expect(mine.text).not.toContain('Nordvik Air will cancel');
    expect(mine.text).toContain('The airline said the checks');
    const other = extractArticle(html, { ...opts, url: 'https://notcourier.example/x', siteRules: rules });
    expect(other.text).toContain('Nordvik Air will cancel');
  });

  it('a broken selector does not cost the article', () => {
    const r = extractArticle(html, {
      ...opts,
      url: 'https://courier.example/x',
      siteRules: { 'courier.example': { body: '!!nope', remove: ['[[['] } },
    });
    expect(r.status).toBe('ok');
    expect(r.text).toContain('Nordvik Air will cancel');
  });
});

describe('learned boilerplate', () => {
  it('drops exact learned lines for the domain', () => {
    const html = Buffer.from(pageBytes('en-reuters-article.html')).toString('utf8');
    const line =
      'Shares in the company fell 4.5% in early trading in Oslo, making them the worst performer among European airline stocks.';
    expect(extractArticle(html, opts).text).toContain(line);
    expect(extractArticle(html, { ...opts, learnedBoilerplate: [line] }).text).not.toContain(line);
  });
});
