/** Worker thread side of extract-pool.ts: one page per message, answered in order. */
import { parentPort } from 'node:worker_threads';
import { type ExtractRequest, runExtraction } from './guarded-extraction.js';
import type { ExtractedArticle } from './types.js';

export type { ExtractRequest };

export type ExtractReply =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; result: ExtractedArticle & { charset?: string } };

const port = parentPort;
if (port) {
  port.on('message', (req: ExtractRequest) => {
    port.postMessage({ kind: 'done', id: req.id, result: runExtraction(req) } satisfies ExtractReply);
  });
  port.postMessage({ kind: 'ready' } satisfies ExtractReply);
}
