import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/extract-article.js';

/**
 * Deep nesting: htmlparser2's open-element stack costs O(depth) per tag, and
 * recursive tree walks overflow the call stack near 5,000 levels. The depth cap
 * flattens what lies deeper (text kept) and every walk of extraction is iterative.
 * Time bounds are generous ("does not hang"), for a loaded machine.
 */

const PARAGRAPHS = [
  'The regional council approved the new tram line on Monday after a debate that lasted most of the night.',
  'Work on the first section, between the station and the university, is due to start in the spring, officials said.',
  'Opponents argued that the cost had doubled since the project was first presented, and asked for an independent audit.',
  'The council president replied that the audit had already been ordered and would be published before the summer.',
];
const ARTICLE = PARAGRAPHS.map((p) => `<p>${p}</p>`).join('');

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

describe('deep nesting', () => {
  it('an article under 5,000 nested <div> is extracted, not failed by a stack overflow', () => {
    const html = `<html><body>${'<div>'.repeat(5000)}<article>${ARTICLE}</article>${'</div>'.repeat(5000)}</body></html>`;
    const r = extractArticle(html, { boilerplate: [] });
    expect(r.reason ?? '').not.toMatch(/call stack/);
    expect(r.status).toBe('ok');
    expect(r.text).toContain(PARAGRAPHS[3]);
  });

  it('with the depth cap raised to 100,000, 30,000 levels still never overflow the stack (the walks are iterative)', () => {
    const html = `<html><body><article>${'<div>'.repeat(30_000)}${ARTICLE}${'</div>'.repeat(30_000)}</article></body></html>`;
    const r = extractArticle(html, {
      boilerplate: [],
      limits: { maxDepth: 100_000, maxElements: 1_000_000 },
    });
    expect(r.reason ?? '').not.toMatch(/call stack/);
    expect(r.status).toBe('ok');
    expect(r.text).toContain(PARAGRAPHS[0]);
  });

  it('160,000 nested <b> after the article: bounded time, the article kept', () => {
    const html = `<html><body><article>${ARTICLE}</article>${'<b>'.repeat(160_000)}trailing</body></html>`;
    const { value, ms } = timed(() => extractArticle(html, { boilerplate: [] }));
    expect(value.status).toBe('ok');
    expect(value.text).toContain(PARAGRAPHS[2]);
    expect(ms).toBeLessThan(8000);
  });

  it('text nested past the cap is flattened into its ancestor and kept', () => {
    const html = `<html><body><article><p>${PARAGRAPHS[0]}</p><p>${'<span>'.repeat(8000)}${PARAGRAPHS[1]}</p><p>${PARAGRAPHS[2]}</p></article></body></html>`;
    const r = extractArticle(html, { boilerplate: [] });
    expect(r.status).toBe('ok');
    expect(r.text).toContain(PARAGRAPHS[1]);
  });

  it('JSON-LD nested 100,000 arrays deep does not overflow the stack', () => {
    const deep = `${'['.repeat(100_000)}"x"${']'.repeat(100_000)}`;
    const html = `<html><head><script type="application/ld+json">{"@type":"NewsArticle","author":${deep},"headline":${deep}}</script></head><body><article>${ARTICLE}</article></body></html>`;
    const r = extractArticle(html, { boilerplate: [] });
    expect(r.status).toBe('ok');
  });

  it('a title padded with a long run of no-break spaces is read in linear time', () => {
    const title = `Tram line approved${'\u00a0'.repeat(60_000)}x`;
    const html = `<html><head><meta property="og:title" content="${title}"><title>${title}</title></head><body><article>${ARTICLE}</article></body></html>`;
    const { value, ms } = timed(() => extractArticle(html, { boilerplate: [] }));
    expect(value.status).toBe('ok');
    expect(ms).toBeLessThan(3000);
  });
});
