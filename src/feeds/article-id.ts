import { createHash } from 'node:crypto';

/**
 * Stable id for an article, derived from its canonical URL: the BullMQ job id
 * that makes a re-enqueued article a no-op. 64 bits keeps collisions negligible
 * at newsroom scale while staying short in Redis keys.
 */
export function articleIdFor(canonicalUrl: string): string {
  return createHash('sha256').update(canonicalUrl, 'utf8').digest('hex').slice(0, 16);
}
