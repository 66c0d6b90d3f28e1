import type { ReviewRefusal } from '../../review/review-error.js';

/** What a refused editor action answers in HTTP. */
export function statusOfRefusal(refusal: ReviewRefusal): 400 | 404 | 409 {
  return refusal === 'not-found' ? 404 : refusal === 'conflict' ? 409 : 400;
}
