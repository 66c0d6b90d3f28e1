import { open } from 'node:fs/promises';

/**
 * Reads a whole file, but never more than `maxBytes`: the same cap as a body
 * from the network, so a huge file (or /dev/zero) is refused with a clear
 * error instead of being read into memory.
 */
export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly maxBytes: number,
    stage: string,
  ) {
    super(`${stage}: ${path} is larger than the ${maxBytes}-byte cap (net.maxBodyBytes), not read`);
  }
}

export async function readFileCapped(path: string, maxBytes: number, stage: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    // Reads until EOF rather than trusting the size fstat reports (0 for a pipe or /dev/zero).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLargeError(path, maxBytes, stage);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** The same cap on a stream (standard input may be a pipe, a socket or a file: opening /dev/stdin fails on a socket). */
export async function readStreamCapped(
  stream: NodeJS.ReadableStream,
  name: string,
  maxBytes: number,
  stage: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += b.length;
    if (total > maxBytes) throw new FileTooLargeError(name, maxBytes, stage);
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}
