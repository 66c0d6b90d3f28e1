import { createHash } from 'node:crypto';

/** A stable, short id for a feed URL: the job scheduler id and the feed-state key. */
export function feedIdFor(url: string): string {
  return createHash('sha256').update(url.trim()).digest('hex').slice(0, 12);
}
