import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * How a body is stored. Plain: the text (UTF-8), as docs/redis.md promises
 * consumers. Compressed (articles.compressBodies): a NUL byte, the format
 * byte 1, then the text as raw DEFLATE (RFC 1951), which any zlib reads. An
 * extracted body never starts with NUL (text-normalize drops control
 * characters), so one read tells the two apart and a deployment can switch
 * either way while old bodies are still stored.
 */
const MARK = 0x00;
const DEFLATE_RAW = 0x01;
/** Shorter bodies gain too little to pay the header and the CPU. */
const MIN_COMPRESSED_BYTES = 256;

export function encodeBody(text: string, compress: boolean): string | Buffer {
  if (!compress) return text;
  const raw = Buffer.from(text, 'utf8');
  if (raw.length < MIN_COMPRESSED_BYTES) return text;
  const packed = deflateRawSync(raw, { level: 6 });
  if (packed.length + 2 >= raw.length) return text;
  return Buffer.concat([Buffer.from([MARK, DEFLATE_RAW]), packed]);
}

export function decodeBody(stored: Buffer | null): string | null {
  if (stored === null) return null;
  if (stored.length >= 2 && stored[0] === MARK) {
    if (stored[1] !== DEFLATE_RAW) throw new Error(`store: body in an unknown stored format (${stored[1]})`);
    return inflateRawSync(stored.subarray(2)).toString('utf8');
  }
  return stored.toString('utf8');
}
