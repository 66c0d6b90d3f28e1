import { decodeBytes } from '../net/charset.js';
import { extractLean } from './extract-article.js';
import { failedArticle } from './failed-article.js';
import { stateScriptOfBytes } from './script-state.js';
import { stripInertBytes } from './strip-inert.js';
import type { ExtractedArticle, ExtractOptions } from './types.js';

/** Decode fetched bytes (BOM, Content-Type, <meta>, sniffing) and extract the article. */
export function extractPage(
  bytes: Uint8Array,
  opts: ExtractOptions & { contentType?: string },
): ExtractedArticle & { charset: string } {
  let decoded: { text: string; charset: string };
  try {
    decoded = decodeBytes(stripInertBytes(bytes, opts.contentType), {
      contentType: opts.contentType,
      kind: 'html',
    });
  } catch (err) {
    return {
      ...failedArticle(`extract: cannot decode page: ${err instanceof Error ? err.message : String(err)}`),
      charset: 'unknown',
    };
  }
  return { ...extractLean(decoded.text, opts, true, stateScriptOfBytes(bytes)), charset: decoded.charset };
}
