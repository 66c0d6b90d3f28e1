import type { IncomingMessage } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { FetchError } from './fetch-error.js';

function decompressorFor(contentEncoding: string | undefined): Transform | undefined {
  const encodings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e !== 'identity');
  if (encodings.length === 0) return undefined;
  if (encodings.length > 1) return undefined; // stacked encodings are not worth the risk; read as-is
  switch (encodings[0]) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * Reads a response body into memory, counting bytes AFTER decompression so a
 * small gzip bomb stops at maxBytes like a large plain body does. The stream
 * pulls chunk by chunk, so at most one chunk past the cap is ever inflated.
 */
export async function readBody(res: IncomingMessage, url: string, maxBytes: number): Promise<Buffer> {
  const decompressor = decompressorFor(res.headers['content-encoding']);
  const source: Readable = decompressor ? pipeline(res, decompressor, () => {}) : res;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      const buf = chunk as Buffer;
      total += buf.length;
      if (total > maxBytes) {
        throw new FetchError('too_large', url, `body exceeds ${maxBytes} bytes`);
      }
      chunks.push(buf);
    }
  } finally {
    // Leaving the loop early (cap, error) must not leave a socket streaming into nowhere.
    if (!res.complete) res.destroy();
    decompressor?.destroy();
  }
  return Buffer.concat(chunks, total);
}
