import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/extract-article.js';
import { extractPage } from '../../src/extract/extract-page.js';
import { stripInert, stripInertBytes } from '../../src/extract/strip-inert.js';

const para = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `<p>Paragraph ${i + 1} of the story, with enough words, commas, and detail to read as real article text.</p>`,
  ).join('');

describe('scripts, styles and comments cut before parsing', () => {
  it('keeps JSON-LD and the text around, reads markup inside comments the browser way', () => {
    const html =
      '<p>a</p><script>var s="<p>not text</p>";</script><!-- <script> --><p>b</p>' +
      '<style>p{}</style><script type="application/ld+json">{"@type":"NewsArticle"}</script><!-- <p>c</p> -->';
    expect(stripInert(html)).toBe(
      '<p>a</p><p>b</p><script type="application/ld+json">{"@type":"NewsArticle"}</script>',
    );
  });

  it('works on undecoded windows-1252 bytes without touching them, and leaves UTF-16 alone', () => {
    const bytes = Buffer.from('<p>caf\xe9</p><script>x</script><p>\x80 \x92</p>', 'latin1');
    expect(Buffer.from(stripInertBytes(bytes)).toString('latin1')).toBe('<p>caf\xe9</p><p>\x80 \x92</p>');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<script>x</script>', 'utf16le')]);
    expect(stripInertBytes(utf16)).toBe(utf16);
  });

  it('a script that never closes does not eat the page', () => {
    const r = extractArticle(`<html><body><article>${para(4)}</article><!-- unclosed</body></html>`, {
      boilerplate: [],
    });
    expect(r.text.split('\n\n')).toHaveLength(4);
  });
});

describe('article furniture', () => {
  it('keeps an embedded tweet quoted in the article, drops the share bar', () => {
    const html = `<html><body><article>${para(3)}
      <div class="social-media-embed"><blockquote class="twitter-tweet"><p>Yes this is real and the state spent half a million on it.</p>— Jane Doe (@jdoe) November 18, 2019</blockquote></div>
      <div class="social-share"><p>Share this story on every network you like today</p></div>
      ${para(2)}</article></body></html>`;
    const r = extractArticle(html, { boilerplate: [] });
    expect(r.text).toContain('Yes this is real and the state spent half a million on it.');
    expect(r.text).not.toContain('Share this story');
  });

  it('keeps a tweet in a widget wrapper, drops the caption of an image embed', () => {
    const html = `<html><body><article>${para(3)}
      <div class="article-widget article-tweet"><blockquote class="twitter-tweet"><p>Good luck and hope to see you again my friend.</p>— Dele (@dele) November 19, 2019</blockquote></div>
      <div class="InlineImage-imageEmbed"><div class="InlineImage-imageEmbedCaption">The minister, centre, passes an aircraft during the show</div></div>
      ${para(2)}</article></body></html>`;
    const r = extractArticle(html, { boilerplate: [] });
    expect(r.text).toContain('Good luck and hope to see you again my friend.');
    expect(r.text).not.toContain('passes an aircraft');
  });

  it('drops a long figure caption even when its class names the article', () => {
    const caption = 'A long caption describing the picture above in detail, '.repeat(5);
    const html = `<html><body><article><div class="article-main"><figure class="article-img"><img src="x.jpg"><figcaption class="text-muted">${caption}</figcaption></figure>${para(4)}</div></article></body></html>`;
    const r = extractPage(Buffer.from(html), { boilerplate: [] });
    expect(r.status).toBe('ok');
    expect(r.text).not.toContain('A long caption');
    expect(r.text).toContain('Paragraph 4 of the story');
  });
});
