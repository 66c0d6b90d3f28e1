/**
 * Last checks on an extracted body before it is stored: control-character garbage
 * is not text (a page of NUL bytes is not an article), and a body is capped so one
 * huge page cannot fill Redis.
 */
import { hasWord } from './text-normalize.js';
import type { ExtractedArticle } from './types.js';

/** C0 and C1 controls but tab and newline; browsers drop NUL from text, the rest never reads as words. */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]+/g;
const HAS_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** A cut this close to the limit keeps most of the text; earlier ones are not worth a clean edge. */
const MIN_KEPT_SHARE = 0.5;

/** `text` cut to at most `max` characters, at the last paragraph end, else sentence end, else space. */
export function truncateBody(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const floor = max * MIN_KEPT_SHARE;
  const para = head.lastIndexOf('\n\n');
  if (para >= floor) return head.slice(0, para);
  // The last ". ", "! ", "? " or line end: a sentence boundary.
  for (let i = head.length - 1; i >= floor; i--) {
    const c = head.charCodeAt(i);
    if ((c === 0x20 || c === 0x0a) && /[.!?…»"”]/.test(head[i - 1] ?? '')) return head.slice(0, i);
  }
  const space = head.lastIndexOf(' ');
  return space >= floor ? head.slice(0, space) : head;
}

export function guardBody<T extends ExtractedArticle>(article: T, maxBodyChars: number): T {
  let text = article.text;
  if (HAS_CONTROL.test(text)) {
    text = text
      .replace(CONTROLS, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
  if (article.status === 'ok' && !hasWord(text))
    return {
      ...article,
      status: 'empty',
      text: '',
      reason: `extract: the body has no words (${article.text.length} characters of control characters or symbols)`,
    };
  if (text.length > maxBodyChars)
    return { ...article, text: truncateBody(text, maxBodyChars), truncated: true };
  return text === article.text ? article : { ...article, text };
}
