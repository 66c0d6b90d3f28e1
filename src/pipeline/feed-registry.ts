import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { feedIdFor } from '../feeds/feed-id.js';
import type { FeedJob } from '../queues/jobs.js';
import type { Keys } from '../store/keys.js';

export type RegisteredFeed = FeedJob & { intervalSeconds: number; origin: 'config' | 'added' | 'list' };

/** Feeds from the config file plus those added at run time (`wiresift feeds add`), deduplicated by URL. */
export async function activeFeeds(redis: Redis, keys: Keys, config: Config): Promise<RegisteredFeed[]> {
  const out = new Map<string, RegisteredFeed>();
  for (const f of config.feeds) {
    const feedId = feedIdFor(f.url);
    out.set(feedId, {
      feedId,
      url: f.url,
      ...(f.name ? { name: f.name } : {}),
      intervalSeconds: f.intervalSeconds ?? config.schedule.pollIntervalSeconds,
      origin: 'config',
    });
  }
  for (const [feedId, json] of Object.entries(await redis.hgetall(keys.feeds))) {
    if (out.has(feedId)) continue;
    try {
      const f = JSON.parse(json) as { url: string; name?: string; intervalSeconds?: number };
      out.set(feedId, {
        feedId,
        url: f.url,
        ...(f.name ? { name: f.name } : {}),
        intervalSeconds: f.intervalSeconds ?? config.schedule.pollIntervalSeconds,
        origin: 'added',
      });
    } catch {
      // A hand-edited entry that is not JSON is skipped, not fatal; `feeds list` shows it.
    }
  }
  return [...out.values()];
}

export async function addFeed(redis: Redis, keys: Keys, url: string, name?: string): Promise<string> {
  const feedId = feedIdFor(url);
  await redis.hset(
    keys.feeds,
    feedId,
    JSON.stringify({ url, ...(name ? { name } : {}), addedAt: new Date().toISOString() }),
  );
  return feedId;
}

export async function removeFeed(redis: Redis, keys: Keys, feedId: string): Promise<boolean> {
  return (await redis.hdel(keys.feeds, feedId)) > 0;
}
