/** One extraction request, run to a result whatever happens: the same on a pool thread and in place. */
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

export function runExtraction(req: ExtractRequest): ExtractedArticle & { charset?: string } {
  try {
    const result =
      req.kind === 'page' ? extractPage(req.bytes, req.options) : extractArticle(req.html, req.options);
    return guardBody(result, req.maxBodyChars);
  } catch (err) {
    // extractPage never throws; this is a bug, reported on the article instead of killing the thread.
    return failedArticle(`extract: ${err instanceof Error ? err.message : String(err)}`);
  }
}
