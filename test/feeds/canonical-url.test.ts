import { describe, expect, it } from 'vitest';
import { articleIdFor } from '../../src/feeds/article-id.js';
import { canonicalizeUrl } from '../../src/feeds/canonical-url.js';

describe('canonicalizeUrl', () => {
  it.each([
    ['HTTP://WWW.Example.COM:80/Path/A.html', 'http://www.example.com/Path/A.html'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['https://example.com:8443/a', 'https://example.com:8443/a'],
    ['https://example.com/a#comments', 'https://example.com/a'],
    ['https://example.com/a?', 'https://example.com/a'],
    ['https://example.com/a/', 'https://example.com/a/'],
    ['https://user:pw@example.com/a', 'https://example.com/a'],
    [
      'https://example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x&id=42',
      'https://example.com/a?id=42',
    ],
    ['https://example.com/a?fbclid=abc&gclid=def&mc_cid=1&mc_eid=2', 'https://example.com/a'],
    ['https://example.com/a?xtor=RSS-3208&at_medium=custom7&at_campaign=flux', 'https://example.com/a'],
    ['https://example.com/a?b=2&a=1&c=3', 'https://example.com/a?a=1&b=2&c=3'],
    ['https://example.com/a?tag=b&tag=a', 'https://example.com/a?tag=a&tag=b'],
    [
      'https://example.com/a?q=caf%C3%A9+cr%C3%A8me&page=2',
      'https://example.com/a?page=2&q=caf%C3%A9+cr%C3%A8me',
    ],
    ['  https://example.com/a  ', 'https://example.com/a'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalizeUrl(input)).toBe(expected);
  });

  it('gives tracking variants of one article the same canonical URL', () => {
    const a = canonicalizeUrl('https://news.example/2025/10/story.html?utm_source=twitter#top');
    const b = canonicalizeUrl('https://NEWS.example:443/2025/10/story.html?xtor=RSS-1&fbclid=zz');
    expect(a).toBe(b);
  });

  it('keeps the path as published', () => {
    expect(canonicalizeUrl('https://example.com/A/b/../c')).toBe('https://example.com/A/c');
    expect(canonicalizeUrl('https://example.com/a%2Fb')).toBe('https://example.com/a%2Fb');
  });

  it.each(['ftp://example.com/a', 'javascript:alert(1)', 'mailto:x@example.com', 'not a url', ''])(
    'throws on %s',
    (input) => {
      expect(() => canonicalizeUrl(input)).toThrow(/^feeds: /);
    },
  );
});

describe('articleIdFor', () => {
  it('is the first 16 hex chars of sha256', () => {
    // sha256("https://example.com/a") computed independently with `printf %s ... | sha256sum`.
    expect(articleIdFor('https://example.com/a')).toBe('2dce0a4c50441bfc');
  });

  it('is stable and distinguishes URLs', () => {
    const id = articleIdFor('https://example.com/a');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(articleIdFor('https://example.com/a')).toBe(id);
    expect(articleIdFor('https://example.com/b')).not.toBe(id);
  });
});
