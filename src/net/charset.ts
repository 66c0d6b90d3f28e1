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
  const meta = head.match(/<meta[^>]+charset\s*=\s*["']?([^"'\s/>;]+)/i);
  if (meta?.[1]) return normaliseLabel(meta[1]);
  return undefined;
}

/** simdutf validation: about ten times faster than a fatal TextDecoder on a large page. */
function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** Node's own UTF-8 decoder is faster than iconv's for the common case. */
function decodeAs(buf: Buffer, charset: string): string {
  return charset === 'utf-8' ? buf.toString('utf8') : iconv.decode(buf, charset);
}

/**
 * Decode fetched bytes: BOM, then the HTTP header, then the document's own
 * declaration (XML prolog or <meta>), else UTF-8 when the bytes are valid UTF-8
 * and windows-1252 otherwise — so French pages never turn into mojibake.
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
  const fromHeader = charsetFromContentType(opts.contentType);
  const fromDoc = charsetFromDocument(buf.subarray(0, 4096).toString('latin1'), opts.kind);
  const declared = fromHeader ?? fromDoc;
  if (declared) {
    // A UTF-8 declaration on bytes that are not UTF-8 is a common lie; trust the bytes.
    if (declared === 'utf-8' && !isValidUtf8(buf)) {
      return { text: iconv.decode(buf, 'windows-1252'), charset: 'windows-1252', source: 'sniffed' };
    }
    return {
      text: decodeAs(buf, declared),
      charset: declared,
      source: fromHeader ? 'header' : 'document',
    };
  }
  if (isValidUtf8(buf)) return { text: buf.toString('utf8'), charset: 'utf-8', source: 'sniffed' };
  return { text: iconv.decode(buf, 'windows-1252'), charset: 'windows-1252', source: 'sniffed' };
}
