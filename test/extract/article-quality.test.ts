import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/extract-article.js';

const para = (n: number, from = 1) =>
  Array.from(
    { length: n },
    (_, i) =>
      `<p>Paragraph ${i + from} of the story, with enough words, commas, and detail to read as real article text.</p>`,
  ).join('');

const extract = (body: string) =>
  extractArticle(`<html><body>${body}</body></html>`, { boilerplate: ['Read more'] }).text;

describe('links inside the text', () => {
  it('keeps a sentence most of which is one link, and a list item led by a linked headline', () => {
    const text = extract(`<article>${para(3)}
      <p>The council now faces <a href="/x">a formal complaint over the way it ran the tender</a>.</p>
      <ol><li><strong><a href="/y">The mayor resigned after a week of protests over the new tax on boats</a>.</strong> He will stay on until May.</li></ol>
      ${para(2, 4)}</article>`);
    expect(text).toContain('The council now faces a formal complaint over the way it ran the tender.');
    expect(text).toContain('The mayor resigned after a week of protests');
  });

  it('still drops link lists and follow-us lines', () => {
    const text = extract(`<article>${para(3)}
      <p><a href="/a">Another story about the harbour</a></p>
      <p>Follow us on <a href="/f">Facebook</a>, <a href="/t">Twitter</a>, <a href="/i">Instagram</a> and <a href="/y">YouTube</a>.</p>
      <p>Read more: <a href="/b">Why the harbour is closed on Sundays this winter</a></p>
      ${para(2, 4)}</article>`);
    expect(text).not.toContain('Another story');
    expect(text).not.toContain('Follow us');
    expect(text).not.toContain('closed on Sundays');
  });
});

describe('teaser cards', () => {
  const card = (i: number) =>
    `<div class="card"><a href="/s${i}"><img src="x.jpg"></a><h3><a href="/s${i}">Other headline number ${i} of the site</a></h3>` +
    `<p>Excerpt ${i}: a short summary of another story, written to read like the first lines of an article.</p><span>2 days ago</span></div>`;

  it('drops a grid of linked headlines with excerpts that would join the story', () => {
    // Without the card rule, the grid's excerpts read like text and join the story.
    const text = extract(`<main><h1>Title</h1>
      <p>A short story of four paragraphs, with enough words, commas, and detail to be the article here.</p>
      <p>The second paragraph of that short story, which goes on about the harbour and its boats.</p>
      <p>The third paragraph, on the new tax, the mayor, and the council that voted for it.</p>
      <p>The fourth paragraph, which ends the article before the teaser grid comes.</p>
      <div class="grid">${[1, 2, 3].map(card).join('')}</div></main>`);
    expect(text).toContain('A short story of four paragraphs');
    expect(text).not.toContain('Excerpt');
  });

  it('keeps a round-up whose items are boxed like cards, when they are most of the page', () => {
    const text = extract(`<article><h1>Ten deals</h1><p>Our picks of the week.</p>
      <div class="items">${[1, 2, 3, 4, 5, 6].map(card).join('')}</div></article>`);
    expect(text).toContain('Excerpt 1');
    expect(text).toContain('Excerpt 6');
  });

  it('keeps sections led by a linked subheading, and a single teaser box is left to the other rules', () => {
    const section = (i: number) =>
      `<div class="section"><h2><a href="#s${i}">Section ${i} of the guide</a></h2>${para(4, i * 10)}</div>`;
    const text = extract(`<article>${section(1)}${section(2)}${section(3)}</article>`);
    expect(text).toContain('Paragraph 10 of the story');
    expect(text).toContain('Paragraph 33 of the story');
  });
});

describe('articles nested in the article', () => {
  it('drops a list of other posts nested in a post (the HTML spec use of nested <article>)', () => {
    const post = (i: number) =>
      `<article class="post"><p>Another post ${i}, quoted whole on this page: long enough, with commas, to read as text.</p></article>`;
    const text =
      extract(`<article class="post"><h1>Title</h1><p>The one post of this page, which is short, but is the story.</p>${para(2)}</article>
      <article class="post"><h3>You may also like</h3>${[1, 2, 3, 4, 5].map(post).join('')}</article>`);
    expect(text).toContain('The one post of this page');
    expect(text).not.toContain('Another post');
  });

  it("keeps a live blog's entries: nested articles with no other story on the page", () => {
    const entry = (i: number) =>
      `<article class="entry"><p>Entry ${i} of the live coverage, long enough, with commas, to read as real text.</p></article>`;
    const text = extract(
      `<article><h1>Live</h1><p>What we know so far.</p>${[1, 2, 3, 4].map(entry).join('')}</article>`,
    );
    expect(text).toContain('Entry 1 of the live coverage');
    expect(text).toContain('Entry 4 of the live coverage');
  });

  it('keeps a single article wrapped in another one', () => {
    const text = extract(`<article><article class="body">${para(3)}</article></article>`);
    expect(text).toContain('Paragraph 3 of the story');
  });
});

describe('publication stamps above the text', () => {
  it('drops a leading date line however it is worded, keeps dated sentences and datelines', () => {
    for (const stamp of [
      'By Jane Doe - 11/18/19 11:04 PM EST',
      'lundi 22 janvier 2018 à 10h13',
      '2016.12.01 | Rédaction',
      'October 06, 2018',
    ]) {
      const text = extract(`<article><div class="meta">${stamp}</div>${para(3)}</article>`);
      expect(text.startsWith('Paragraph 1'), stamp).toBe(true);
    }
    const dated = extract(`<article><p>On 11/18/19 the council met.</p>${para(3)}</article>`);
    expect(dated.startsWith('On 11/18/19 the council met.')).toBe(true);
    const dateline = extract(
      `<article><p>PARIS, 12 janvier 2024 (AFP) - Le ministre a annoncé lundi une réforme du code du travail.</p>${para(3)}</article>`,
    );
    expect(dateline.startsWith('PARIS, 12 janvier 2024 (AFP)')).toBe(true);
  });

  it('drops stamps, reading times and date lines in German, Spanish, Italian, Portuguese and Dutch', () => {
    for (const stamp of [
      'Aktualisiert am 13.03.2024, 10:15 Uhr',
      'Veröffentlicht: 13. März 2024',
      'Publicado el 13 de marzo de 2024',
      'Pubblicato il 12 ottobre',
      'Atualizado em 3 de outubro de 2024',
      'Gepubliceerd op 13 maart',
      'Lesezeit: 4 Minuten',
      'Tiempo de lectura: 2 minutos',
      'Tempo de leitura: 1 minuto',
      'Mittwoch, 13. März 2024',
      'martedì 5 settembre 2023',
    ]) {
      const text = extract(`<article><div class="meta">${stamp}</div>${para(3)}</article>`);
      expect(text.startsWith('Paragraph 1'), stamp).toBe(true);
    }
  });

  it('keeps short lines whose numbers are no dates ("4 out of 5", "3 settings")', () => {
    for (const line of ['Rated 4 out of 5 by critics', 'The 3 settings that matter', 'Energy 2024 summit']) {
      const text = extract(`<article><h2>${line}</h2><p>${line}</p>${para(3)}</article>`);
      expect(text.startsWith(line), line).toBe(true);
    }
  });

  it('keeps a wire dateline that stands alone in the first paragraph, and reports it', () => {
    for (const line of [
      'TOULOUSE, 13 sept 2024 (AFP) -',
      'OSLO, March 5 (Reuters) -',
      'NANTES, 2 mai 2025 -',
    ]) {
      const r = extractArticle(
        `<html lang="fr"><body><article><p>${line}</p>${para(3)}</article></body></html>`,
        {
          boilerplate: [],
        },
      );
      expect(r.text.startsWith(line), line).toBe(true);
    }
    const r = extractArticle(
      `<html lang="fr"><body><article><p>TOULOUSE, 13 sept 2024 (AFP) -</p>${para(3)}</article></body></html>`,
      { boilerplate: [] },
    );
    expect(r.dateline).toBe('TOULOUSE, 13 sept 2024 (AFP)');
    expect(r.agency).toBe('AFP');
  });
});
