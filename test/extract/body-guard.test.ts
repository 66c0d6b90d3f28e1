import { describe, expect, it } from 'vitest';
import { guardBody, truncateBody } from '../../src/extract/body-guard.js';
import type { ExtractedArticle } from '../../src/extract/types.js';

const article = (text: string): ExtractedArticle => ({
  status: 'ok',
  title: 'T',
  text,
  byline: null,
  publishedAt: null,
  updatedAt: null,
  lang: null,
  agency: null,
});

describe('body guard', () => {
  it('a body of NUL bytes is empty, with the reason', () => {
    const r = guardBody(article('\u0000'.repeat(5000)), 100_000);
    expect(r).toMatchObject({
      status: 'empty',
      text: '',
      reason: 'extract: the body has no words (5000 characters of control characters or symbols)',
    });
  });

  it('control characters are dropped from a real body, which stays ok', () => {
    const r = guardBody(article('The council\u0000 met\u0007 on Monday.\n\n\u0001\n\nIt voted.'), 100_000);
    expect(r).toMatchObject({ status: 'ok', text: 'The council met on Monday.\n\nIt voted.' });
    expect(r.truncated).toBeUndefined();
  });

  it('a long body is cut at the last paragraph end before the cap, and flagged', () => {
    const para = 'A sentence of the story. Another one follows it.';
    const text = Array.from({ length: 100 }, () => para).join('\n\n');
    const r = guardBody(article(text), 1000);
    expect(r.truncated).toBe(true);
    expect(r.text.length).toBeLessThanOrEqual(1000);
    expect(r.text.endsWith('follows it.')).toBe(true);
    expect(text.startsWith(r.text)).toBe(true);
  });

  it('without a paragraph end in reach, at a sentence end; without one, at a space', () => {
    const sentences = 'One clause, and another clause. '.repeat(100);
    expect(truncateBody(sentences, 500).endsWith('another clause.')).toBe(true);
    const words = 'word '.repeat(300);
    const cut = truncateBody(words, 500);
    expect(cut.length).toBeLessThanOrEqual(500);
    expect(cut.endsWith('word')).toBe(true);
  });
});
