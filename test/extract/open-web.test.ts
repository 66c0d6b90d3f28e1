/**
 * Failure classes of extraction on real pages it was not tuned on (issue 12): each test
 * is a small self-written page of one class, and fails without the rule that fixes it.
 */
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/extract-article.js';

const opts = { boilerplate: [] };
const sentences = (topic: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `The ${topic} note number ${i + 1} explains, in plain words and with some detail, how the thing works and why.`,
  );

describe('bare pages', () => {
  it('keeps text that sits directly under <body> (specs, docs, old sites)', () => {
    const [a, b, c] = sentences('protocol', 3);
    const html = `<html><head><title>A protocol draft</title></head><body>
      <span>[Docs] [txt|pdf]</span>
      <pre>${a}\n${b}</pre>
      ${c}<br>${a}<br><br>${b}
      </body></html>`;
    const r = extractArticle(html, opts);
    expect(r.status).toBe('ok');
    expect(r.text).toContain(a);
    expect(r.text).toContain(c);
  });
});
