import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** A feed added at run time (`wiresift feeds add`), as its field of the feeds hash holds it (JSON). */
export type StoredFeed = {
  url: string;
  name?: string;
  intervalSeconds?: number;
  /** Checked by the caller: stored by hand or by an older version, it may not be valid. */
  settings?: Record<string, unknown>;
  addedAt?: string;
};

/** A stored entry, or null when absent or not a feed's JSON (hand-edited). */
function parseStored(json: string | null | undefined): StoredFeed | null {
  if (!json) return null;
  try {
    const f = JSON.parse(json) as StoredFeed;
    return f && typeof f.url === 'string' ? f : null;
  } catch {
    return null;
  }
}

/** Every added feed by id; a hand-edited entry that is not a feed's JSON is skipped (`feeds list` shows the rest). */
export async function readAddedFeeds(redis: Redis, keys: Keys): Promise<[string, StoredFeed][]> {
  const out: [string, StoredFeed][] = [];
  for (const [feedId, json] of Object.entries(await redis.hgetall(keys.feeds))) {
    const f = parseStored(json);
    if (f) out.push([feedId, f]);
  }
  return out;
}

export async function readAddedFeed(redis: Redis, keys: Keys, feedId: string): Promise<StoredFeed | null> {
  return parseStored(await redis.hget(keys.feeds, feedId));
}

export async function writeAddedFeed(
  redis: Redis,
  keys: Keys,
  feedId: string,
  feed: StoredFeed,
): Promise<void> {
  await redis.hset(keys.feeds, feedId, JSON.stringify(feed));
}

/** False when no added feed had that id. */
export async function deleteAddedFeed(redis: Redis, keys: Keys, feedId: string): Promise<boolean> {
  return (await redis.hdel(keys.feeds, feedId)) > 0;
}
