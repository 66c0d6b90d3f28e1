import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/extract-article.js';
import { extractPage } from '../../src/extract/extract-page.js';
import { leanMarkup, stripInert } from '../../src/extract/strip-inert.js';

/**
 * The pre-parse pass that cuts comments, scripts and styles follows the HTML
 * tokenizer in one linear scan. The floods below took the old regular expression
 * seconds (the 1 MB versions minutes); the bounds are generous, for a loaded machine.
 */

const STORY =
  'The harbour authority said on Tuesday that ferry traffic would resume after a two-day strike by the crews. ' +
  'Several hundred passengers had waited on the quays, and the company promised refunds for every cancelled crossing. ' +
  'Union leaders said talks over night-shift pay would continue next week, with a mediator appointed by the region.';

function page(inner: string): string {
  return `<html><head><title>Ferries resume</title></head><body><article><p>${STORY}</p>${inner}</article></body></html>`;
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

describe('stripInert: linear on hostile markup', () => {
  it('a flood of unterminated comment openers ("<!--" x 65,536) is cut in linear time', () => {
    const html = '<!--'.repeat(65_536);
    const { value, ms } = timed(() => stripInert(html));
    // An unterminated comment runs to EOF in a browser too.
    expect(value).toBe('');
    expect(ms).toBeLessThan(1500);
  });

  it('a flood of unterminated script openers ("<script>" x 65,536) is cut in linear time', () => {
    const html = `<p>before</p>${'<script>'.repeat(65_536)}`;
    const { value, ms } = timed(() => stripInert(html));
    expect(value).toBe('<p>before</p>');
    expect(ms).toBeLessThan(1500);
  });

  it('a flood of "</script" without ">" inside one script is linear too', () => {
    const html = `<script>${'</scrip'.repeat(100_000)}</script><p>after</p>`;
    const { value, ms } = timed(() => stripInert(html));
    expect(value).toBe('<p>after</p>');
    expect(ms).toBeLessThan(1500);
  });
});

describe('stripInert: where a browser ends comments and raw text', () => {
  it('"</script" followed by a space ends the script: its end tag runs to the next ">" and the body stays', () => {
    const html = page(
      '<script>track()</script <p>The mediator is expected to report within a month.</p><script>later()</script>',
    );
    const r = extractArticle(html, { boilerplate: [] });
    expect(r.text).toContain('The mediator is expected to report within a month.');
    expect(r.text).not.toContain('track()');
  });

  it('"</script/" ends a script too', () => {
    expect(stripInert('<script>a()</script/><p>kept</p><script>b()</script>')).toBe('<p>kept</p>');
  });

  it('"<script>" and "</script>" written inside a commented-out script do not end it early', () => {
    const html = page(
      '<script><!-- document.write("<script>x()</script>"); --></script><p>Refunds will be paid within thirty days.</p>',
    );
    const r = extractArticle(html, { boilerplate: [] });
    expect(r.text).toContain('Refunds will be paid within thirty days.');
    expect(r.text).not.toMatch(/document|-->|\)"/);
  });

  it('"--!>" ends a comment, as in a browser', () => {
    expect(stripInert('<!-- a --!><p>kept</p><!-- b -->')).toBe('<p>kept</p>');
  });

  it('"<!-->" and "<!--->" are complete (empty) comments', () => {
    expect(stripInert('<!--><p>one</p><!---><p>two</p>')).toBe('<p>one</p><p>two</p>');
  });

  it('a comment left open at EOF takes the rest of the page, as in a browser; the page before it stays', () => {
    expect(stripInert('<p>kept</p><!-- open <p>gone</p>')).toBe('<p>kept</p>');
  });

  it('a CDATA section in HTML is a bogus comment that ends at the first ">", not a swallow to "]]>"', () => {
    const html = page('<![CDATA[ legacy > <p>Crossings to the islands restart on Thursday morning.</p>');
    const r = extractArticle(html, { boilerplate: [] });
    expect(r.text).toContain('Crossings to the islands restart on Thursday morning.');
  });

  it('a style or iframe is raw text up to its own end tag, whatever it holds', () => {
    expect(stripInert('<style>p{}</style x="1"><p>a</p><iframe><p>fallback</p></iframe><p>b</p>')).toBe(
      '<p>a</p><p>b</p>',
    );
  });

  it('JSON-LD is kept, a "</script" its commented part may hold escaped the JSON way so no parser ends it early', () => {
    const out = stripInert(
      '<script type="application/ld+json">{"headline":"<!--<script>x</script>-->"}</script x><p>kept</p>',
    );
    expect(out).toBe(
      '<script type="application/ld+json">{"headline":"<!--<script>x<\\/script>-->"}</script><p>kept</p>',
    );
    const json = out.slice(out.indexOf('{'), out.indexOf('}') + 1);
    expect(JSON.parse(json).headline).toBe('<!--<script>x</script>-->');
  });

  it('a title ended by "</title/>" ends there, and the rest of the page is markup again', () => {
    const r = extractArticle(
      `<html><head><title>Ferries resume</title/></head><body><article><p>${STORY}</p></article></body></html>`,
      { boilerplate: [] },
    );
    expect(r.title).toBe('Ferries resume');
    expect(r.text).toContain('Union leaders said');
  });

  it('bytes of an ASCII-compatible page are stripped before decoding, byte for byte', () => {
    const html = Buffer.from('<p>caf\u00e9 <!-- x --> cr\u00e8me</p><script>y</script>', 'utf8');
    const out = extractPage(html, { boilerplate: [] });
    expect(out.charset).toBe('utf-8');
    expect(Buffer.from(stripInert(html.toString('latin1')), 'latin1').toString('utf8')).toBe(
      '<p>café  crème</p>',
    );
  });
});

describe('leanMarkup: the element tree is bounded before parsing', () => {
  it('elements deeper than maxDepth are flattened into their ancestor; their text stays', () => {
    const html = `<div>${'<b>'.repeat(50)}deep words${'</b>'.repeat(50)}</div><p>after</p>`;
    const r = leanMarkup(html, { maxDepth: 10, maxElements: 1000 });
    expect(r.html).toBe(`<div>${'<b>'.repeat(9)}deep words${'</b>'.repeat(9)}</div><p>after</p>`);
    expect(r.flattened).toBe(82);
  });

  it('a flattened block tag still separates words', () => {
    const r = leanMarkup('<div><div><div>one</div><div>two</div></div></div>', {
      maxDepth: 2,
      maxElements: 100,
    });
    expect(r.html).toBe('<div><div> one two </div></div>');
  });

  it('implied end tags (unclosed <li>, <p>, <td>) do not count as depth', () => {
    const html = `<ul>${'<li>item'.repeat(2000)}</ul><table>${'<tr><td>a<td>b'.repeat(1000)}</table>${'<p>para'.repeat(2000)}`;
    const r = leanMarkup(html, { maxDepth: 8, maxElements: 100_000 });
    expect(r.flattened).toBe(0);
    expect(r.html).toBe(html);
  });

  it('tags past maxElements are dropped, text kept', () => {
    const r = leanMarkup(`${'<br>'.repeat(1500)}end`, { maxDepth: 100, maxElements: 1000 });
    expect(r.elements).toBe(1000);
    expect(r.html).toBe(`${'<br>'.repeat(1000)}end`);
  });

  it('what one page leaves open does not count on the next (tag names are shared between scans)', () => {
    const next = `<div>${'<b>'.repeat(20)}deep</span>${'</b>'.repeat(20)}</div><p>after</p>`;
    const limits = { maxDepth: 10, maxElements: 1000 };
    const fresh = leanMarkup(next, limits);
    leanMarkup(`<html><body>${'<div><span><b>'.repeat(3)}unclosed`, limits);
    expect(leanMarkup(next, limits)).toEqual(fresh);
    // The stray </span> closes nothing, here as on a first page.
    expect(fresh.html).toBe(`<div>${'<b>'.repeat(9)}deep${'</b>'.repeat(9)}</div><p>after</p>`);
  });

  it('pages of made-up tag names, past what the shared table keeps, still close and count them', () => {
    const names = Array.from({ length: 6000 }, (_, i) => `x-tag${i}`);
    const html = `<body>${names.map((n) => `<${n.toUpperCase()}>w</${n}>`).join('')}<div>${'<x-tag5999>'.repeat(30)}deep</div>`;
    const r = leanMarkup(html, { maxDepth: 12, maxElements: 100_000 });
    // body and div, then x-tag5999 up to 12 open elements: the 6,000 closed ones took no depth.
    expect(r.html.toLowerCase().split('<x-tag5999>').length - 1).toBe(1 + 10);
    expect(r.elements).toBe(1 + 6000 + 1 + 10);
  });

  it('a million nested <b> (3 MB) are bounded in linear time and the text survives', () => {
    const html = `<html><body><p>${STORY}</p>${'<b>'.repeat(1_000_000)}tail words</body></html>`;
    const { value, ms } = timed(() => leanMarkup(html));
    // html, body and the closed <p>, then <b> up to 512 open elements.
    expect(value.elements).toBe(513);
    expect(value.html.split('<b>').length - 1).toBe(510);
    expect(value.html).toContain('tail words');
    expect(ms).toBeLessThan(5000);
  });
});
