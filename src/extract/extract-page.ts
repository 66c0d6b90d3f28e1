import { decodeBytes } from '../charset/charset.js';
import { extractLean } from './extract-article.js';
import { failedArticle } from './failed-article.js';
import { isUtf16Page, leanBytes } from './strip-inert.js';
import type { ExtractedArticle, ExtractOptions } from './types.js';

/** Decode fetched bytes (BOM, Content-Type, <meta>, sniffing) and extract the article. */
export function extractPage(
  bytes: Uint8Array,
  opts: ExtractOptions & { contentType?: string },
): ExtractedArticle & { charset: string } {
  let decoded: { text: string; charset: string };
  // UTF-16 is stripped (and its tree bounded) once decoded; everything else before.
  const lean = isUtf16Page(bytes, opts.contentType) ? null : leanBytes(bytes, opts.limits);
  try {
    decoded = decodeBytes(lean ? lean.bytes : bytes, {
      contentType: opts.contentType,
      kind: 'html',
    });
  } catch (err) {
    return {
      ...failedArticle(`extract: cannot decode page: ${err instanceof Error ? err.message : String(err)}`),
      charset: 'unknown',
    };
  }
  return {
    ...extractLean(decoded.text, opts, lean !== null, lean?.stateScript ?? null),
    charset: decoded.charset,
  };
}
