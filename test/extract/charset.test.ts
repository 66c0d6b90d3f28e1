import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract-page.js';

const TITLE = 'Élections : le préfet réquisitionne l’école';
const BODY =
  'Le préfet de la Côte-d’Or a réquisitionné l’école élémentaire « Œuvre de Saint-Bénigne » pour le scrutin de dimanche, faute d’autre salle disponible. Coût estimé : 2 400 €.';

function page(head = ''): string {
  return `<!doctype html><html lang="fr"><head>${head}<title>${TITLE}</title></head><body><article><h1>${TITLE}</h1><p>${BODY}</p><p>${BODY}</p></article></body></html>`;
}

function expectClean(r: ReturnType<typeof extractPage>, charset: string) {
  expect(r.status).toBe('ok');
  expect(r.charset).toBe(charset);
  expect(r.title).toBe(TITLE);
  expect(r.text).toContain(BODY);
  // Mojibake ("Ã©", "â€™") and replacement or C1 control characters.
  expect(r.text).not.toMatch(/Ã|â€|[\u0080-\u009f\ufffd]/);
}

const opts = { boilerplate: [] };

describe('charset: BOM, then HTTP header, then <meta>, else UTF-8 when valid', () => {
  it('a UTF-8 BOM wins over a wrong header', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page(), 'utf8')]);
    expectClean(extractPage(bytes, { ...opts, contentType: 'text/html; charset=iso-8859-1' }), 'utf-8');
  });

  it('a UTF-16LE BOM page decodes', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(page(), 'utf16le')]);
    expectClean(extractPage(bytes, opts), 'utf-16le');
  });

  it('an HTTP header charset ISO-8859-1 is read as windows-1252 (curly quotes, €)', () => {
    const bytes = iconv.encode(page(), 'windows-1252');
    expectClean(
      extractPage(bytes, { ...opts, contentType: 'text/html; charset=ISO-8859-1' }),
      'windows-1252',
    );
  });

  it('the HTTP header wins over the document declaration', () => {
    const bytes = iconv.encode(page('<meta charset="utf-8">'), 'windows-1252');
    expectClean(
      extractPage(bytes, { ...opts, contentType: 'text/html; charset=windows-1252' }),
      'windows-1252',
    );
  });

  it('<meta charset> and <meta http-equiv> declare it without a header', () => {
    const a = iconv.encode(page('<meta charset="iso-8859-1">'), 'windows-1252');
    expectClean(extractPage(a, opts), 'windows-1252');
    const b = iconv.encode(
      page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'),
      'windows-1252',
    );
    expectClean(extractPage(b, opts), 'windows-1252');
  });

  it('no declaration at all: valid UTF-8 is UTF-8, anything else windows-1252', () => {
    expectClean(extractPage(Buffer.from(page(), 'utf8'), opts), 'utf-8');
    expectClean(extractPage(iconv.encode(page(), 'windows-1252'), opts), 'windows-1252');
  });

  it('a declaration in a comment or script does not count, and scripts do not hide it', () => {
    const bytes = iconv.encode(
      page(
        `<!-- <meta charset="iso-8859-15"> --><script>var x = "${'é'.repeat(5000)}";</script><meta charset="windows-1252">`,
      ),
      'windows-1252',
    );
    expectClean(extractPage(bytes, opts), 'windows-1252');
  });
});

describe('charset: the bytes win over a declaration they contradict', () => {
  const ZH = '研究人员周五表示，这款新的计算机能够利用自己的记忆学习新知识，并回答复杂的问题。';
  const zhPage = (head: string) =>
    `<!doctype html><html><head>${head}<title>新的计算机</title></head><body><article><p>${ZH}</p><p>${ZH}</p><p>${ZH}</p></article></body></html>`;

  it('valid UTF-8 declared gb2312 is UTF-8; real gb2312 bytes stay gb2312', () => {
    const head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">';
    const utf8 = extractPage(Buffer.from(zhPage(head), 'utf8'), opts);
    expect(utf8.charset).toBe('utf-8');
    expect(utf8.text).toContain(ZH);
    const gb = extractPage(iconv.encode(zhPage(head), 'gb2312'), opts);
    expect(gb.charset).toBe('gb2312');
    expect(gb.text).toContain(ZH);
  });

  it('one truncated UTF-8 sequence costs one character, not the page', () => {
    const good = Buffer.from(page('<meta charset="utf-8">'), 'utf8');
    const at = good.indexOf(Buffer.from('préfet de', 'utf8'));
    // "é" cut to its first byte, as a CMS truncating a string by bytes leaves it.
    const bytes = Buffer.concat([good.subarray(0, at + 2), good.subarray(at + 3)]);
    const r = extractPage(bytes, opts);
    expect(r.charset).toBe('utf-8');
    expect(r.text).toContain('pr\ufffdfet de la Côte-d’Or');
    expect(r.text).toContain(BODY);
    expect(r.text).not.toMatch(/Ã|â€/);
  });

  it('a windows-1252 page with a stray valid UTF-8 pair is still windows-1252', () => {
    const bytes = Buffer.concat([iconv.encode(page(), 'windows-1252'), Buffer.from('<p>Ã©</p>', 'utf8')]);
    expectClean(extractPage(bytes, opts), 'windows-1252');
  });

  it('<meta charset=utf-16> on ASCII-compatible bytes means UTF-8 (HTML standard)', () => {
    expectClean(extractPage(Buffer.from(page('<meta charset="utf-16">'), 'utf8'), opts), 'utf-8');
    const header = { ...opts, contentType: 'text/html; charset=utf-16' };
    expectClean(extractPage(Buffer.from(page(), 'utf8'), header), 'utf-8');
  });
});
