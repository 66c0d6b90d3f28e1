/**
 * The BullMQ job id of an article's jobs: the article id, made non-numeric.
 * BullMQ refuses integer-looking custom ids, and a hex article id is all
 * digits about once in 2,000 articles.
 */
export function articleJobId(articleId: string): string {
  return `a-${articleId}`;
}
