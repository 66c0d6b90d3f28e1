/**
 * Why an editor's action was refused: a bad request, a cluster or thread
 * that is not there, or a change since the page was read. The web layer
 * decides what each means in HTTP (http/review/review-status.ts).
 */
export type ReviewRefusal = 'invalid' | 'not-found' | 'conflict';

export class ReviewError extends Error {
  override name = 'ReviewError';
  constructor(
    message: string,
    readonly refusal: ReviewRefusal,
  ) {
    super(message);
  }
}
