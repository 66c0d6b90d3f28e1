import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type DecodedText = {
  text: string;
  charset: string;
  source: 'bom' | 'header' | 'document' | 'sniffed';
};

const BOMS: Array<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/**
 * WHATWG maps latin1 / iso-8859-1 / ascii labels to windows-1252, and real pages
 * that say "iso-8859-1" routinely carry 0x80–0x9F curly quotes and euro signs.
 */
function normaliseLabel(label: string): string | undefined {
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (!l) return undefined;
  if (['utf8', 'utf-8', 'unicode-1-1-utf-8'].includes(l)) return 'utf-8';
  if (
    [
      'iso-8859-1',
      'iso8859-1',
      'latin1',
      'latin-1',
      'l1',
      'us-ascii',
      'ascii',
      'cp1252',
      'windows-1252',
      'x-cp1252',
    ].includes(l)
  )
    return 'windows-1252';
  if (['iso-8859-15', 'iso8859-15', 'latin-9', 'l9'].includes(l)) return 'iso-8859-15';
  return iconv.encodingExists(l) ? l : undefined;
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/charset\s*=\s*["']?([^;"'\s]+)/i);
  return m?.[1] ? normaliseLabel(m[1]) : undefined;
}

function charsetFromDocument(head: string, kind: 'html' | 'xml'): string | undefined {
  if (kind === 'xml') {
    const m = head.match(/^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i);
    if (m?.[1]) return normaliseLabel(m[1]);
  }
  // Tag by tag: each `<meta…` is read once up to its `>` (or the end), then searched.
  for (const tag of head.matchAll(/<meta\b[^>]*/gi)) {
    const m = /charset\s*=\s*["']?([^"'\s/>;]+)/i.exec(tag[0]);
    if (m?.[1]) return normaliseLabel(m[1]);
  }
  return undefined;
}

/** simdutf validation: about ten times faster than a fatal TextDecoder on a large page. */
function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** Non-ASCII bytes at all: without any, every ASCII-compatible charset reads the same text. */
function hasHighBytes(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i]! >= 0x80) return true;
  return false;
}

/**
 * Bytes that are UTF-8 but for a few broken sequences (a truncated character where a CMS
 * cut a string, one pasted windows-1252 quote). In text of another charset valid UTF-8
 * sequences are rare and broken ones the rule (é alone, GB2312 pairs), so a handful of
 * bad sequences among many good ones is a UTF-8 page.
 */
function isAlmostUtf8(buf: Buffer): boolean {
  let good = 0;
  let bad = 0;
  const n = buf.length;
  for (let i = 0; i < n; ) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) ok = (buf[i + k]! & 0xc0) === 0x80;
    if (ok) {
      good++;
      i += len;
    } else {
      bad++;
      // Far more bad sequences than a UTF-8 page ever has: stop counting.
      if (bad > 16 && bad * 10 > good) return false;
      i++;
    }
  }
  return good >= 10 && bad * 10 <= good;
}

/** UTF-16 without a BOM still has a NUL in every ASCII character of its markup. */
function looksUtf16(buf: Buffer): boolean {
  return buf.subarray(0, 1024).includes(0);
}

/** Node's own UTF-8 decoder is faster than iconv's for the common case. */
function decodeAs(buf: Buffer, charset: string): string {
  return charset === 'utf-8' ? buf.toString('utf8') : iconv.decode(buf, charset);
}

/**
 * Decode fetched bytes: BOM, then the HTTP header, then the document's own
 * declaration (XML prolog or <meta>), else UTF-8 when the bytes are valid UTF-8
 * and windows-1252 otherwise — so French pages never turn into mojibake.
 * UTF-8 bytes win over a declaration that contradicts them (a "gb2312" or
 * "iso-8859-1" template around UTF-8 text), and bytes that are UTF-8 but for a
 * few broken sequences stay UTF-8, each bad byte costing one character (U+FFFD).
 * A <meta> naming UTF-16 means UTF-8, as the HTML standard says (the bytes that
 * carried an ASCII <meta> are not UTF-16); a UTF-16 header is believed only when
 * the bytes look like UTF-16.
 */
export function decodeBytes(
  bytes: Uint8Array,
  opts: { contentType?: string; kind: 'html' | 'xml' },
): DecodedText {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const [sig, charset] of BOMS) {
    if (sig.every((b, i) => buf[i] === b)) {
      return { text: decodeAs(buf.subarray(sig.length), charset), charset, source: 'bom' };
    }
  }
  let fromHeader = charsetFromContentType(opts.contentType);
  if (fromHeader?.startsWith('utf-16') && !looksUtf16(buf)) fromHeader = undefined;
  let fromDoc = charsetFromDocument(buf.subarray(0, 4096).toString('latin1'), opts.kind);
  if (fromDoc?.startsWith('utf-16')) fromDoc = opts.kind === 'html' || !looksUtf16(buf) ? 'utf-8' : fromDoc;
  const declared = fromHeader ?? fromDoc;
  const source = fromHeader ? 'header' : 'document';
  if (declared?.startsWith('utf-16')) return { text: decodeAs(buf, declared), charset: declared, source };
  if (isValidUtf8(buf)) {
    // Valid UTF-8 with non-ASCII text is UTF-8, whatever the page says it is.
    if (!declared || declared === 'utf-8' || hasHighBytes(buf))
      return {
        text: buf.toString('utf8'),
        charset: 'utf-8',
        source: declared === 'utf-8' ? source : 'sniffed',
      };
    return { text: decodeAs(buf, declared), charset: declared, source };
  }
  if (isAlmostUtf8(buf)) return { text: buf.toString('utf8'), charset: 'utf-8', source: 'sniffed' };
  // A UTF-8 declaration on bytes that are not UTF-8 is a common lie; trust the bytes.
  if (declared && declared !== 'utf-8') return { text: decodeAs(buf, declared), charset: declared, source };
  return { text: iconv.decode(buf, 'windows-1252'), charset: 'windows-1252', source: 'sniffed' };
}
