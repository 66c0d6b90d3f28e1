/** Worker thread side of extract-pool.ts: one page per message, answered in order. */
import { parentPort } from 'node:worker_threads';
import { guardBody } from './body-guard.js';
import { extractArticle } from './extract-article.js';
import { extractPage } from './extract-page.js';
import { failedArticle } from './failed-article.js';
import type { ExtractedArticle, ExtractOptions } from './types.js';

export type ExtractRequest = {
  id: number;
  options: ExtractOptions & { contentType?: string };
  maxBodyChars: number;
} & ({ kind: 'page'; bytes: Uint8Array } | { kind: 'html'; html: string });

export type ExtractReply =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; result: ExtractedArticle & { charset?: string } };

function run(req: ExtractRequest): ExtractedArticle & { charset?: string } {
  try {
    const result =
      req.kind === 'page' ? extractPage(req.bytes, req.options) : extractArticle(req.html, req.options);
    return guardBody(result, req.maxBodyChars);
  } catch (err) {
    // extractPage never throws; this is a bug, reported on the article instead of killing the thread.
    return failedArticle(`extract: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const port = parentPort;
if (port) {
  port.on('message', (req: ExtractRequest) => {
    port.postMessage({ kind: 'done', id: req.id, result: run(req) } satisfies ExtractReply);
  });
  port.postMessage({ kind: 'ready' } satisfies ExtractReply);
}
