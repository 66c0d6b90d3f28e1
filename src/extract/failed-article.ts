import type { ExtractedArticle } from './types.js';

/** An article without text: extraction failed, or the page holds no article ('empty'). */
export function failedArticle(reason: string, status: 'failed' | 'empty' = 'failed'): ExtractedArticle {
  return {
    status,
    reason,
    title: null,
    text: '',
    byline: null,
    publishedAt: null,
    updatedAt: null,
    lang: null,
    agency: null,
  };
}
