import type { Redis } from 'ioredis';
import { type Config, feedSettingsSchema } from '../config.js';
import { feedIdFor } from '../feeds/feed-id.js';
import { type FeedSettings, hasSettings, pickSettings } from '../feeds/feed-settings.js';
import type { FeedJob } from '../queues/jobs.js';
import { deleteAddedFeed, readAddedFeed, readAddedFeeds, writeAddedFeed } from '../store/added-feeds.js';
import type { Keys } from '../store/keys.js';

export type RegisteredFeed = FeedJob & { intervalSeconds: number; origin: 'config' | 'added' | 'list' };

/** What `feeds add` stores for a feed (the JSON value of its field in the feeds hash). */
export type AddedFeed = { name?: string; intervalSeconds?: number; settings?: FeedSettings };

function registered(
  feedId: string,
  url: string,
  entry: AddedFeed,
  config: Config,
  origin: RegisteredFeed['origin'],
): RegisteredFeed {
  return {
    feedId,
    url,
    ...(entry.name ? { name: entry.name } : {}),
    ...(hasSettings(entry.settings) ? { settings: entry.settings } : {}),
    intervalSeconds: entry.intervalSeconds ?? config.schedule.pollIntervalSeconds,
    origin,
  };
}

/** Feeds from the config file plus those added at run time (`wiresift feeds add`), deduplicated by URL. */
export async function activeFeeds(redis: Redis, keys: Keys, config: Config): Promise<RegisteredFeed[]> {
  const out = new Map<string, RegisteredFeed>();
  for (const f of config.feeds) {
    const feedId = feedIdFor(f.url);
    out.set(feedId, registered(feedId, f.url, { ...f, settings: pickSettings(f) }, config, 'config'));
  }
  for (const [feedId, f] of await readAddedFeeds(redis, keys)) {
    if (out.has(feedId)) continue;
    // Settings stored by hand or by an older version are checked like the config's; bad ones are dropped.
    const settings = feedSettingsSchema.safeParse(f.settings ?? {});
    out.set(
      feedId,
      registered(feedId, f.url, { ...f, settings: settings.success ? settings.data : {} }, config, 'added'),
    );
  }
  return [...out.values()];
}

/**
 * Adds a feed, or updates one added before: what this call does not give (a
 * name, an interval, a setting) stays as it was, so re-adding a feed to change
 * its interval does not lose the name an editor sees.
 */
export async function addFeed(redis: Redis, keys: Keys, url: string, entry: AddedFeed = {}): Promise<string> {
  const feedId = feedIdFor(url);
  const before = await readAddedFeed(redis, keys, feedId);
  const settings = {
    ...before?.settings,
    ...(hasSettings(entry.settings) ? pickSettings(entry.settings) : {}),
  };
  const name = entry.name ?? before?.name;
  const intervalSeconds = entry.intervalSeconds ?? before?.intervalSeconds;
  await writeAddedFeed(redis, keys, feedId, {
    url,
    ...(name ? { name } : {}),
    ...(intervalSeconds ? { intervalSeconds } : {}),
    ...(hasSettings(settings) ? { settings } : {}),
    addedAt: before?.addedAt ?? new Date().toISOString(),
  });
  return feedId;
}

/** The feed it removed (for the confirmation), or null when no added feed has that id. */
export async function removeFeed(
  redis: Redis,
  keys: Keys,
  feedId: string,
): Promise<{ url: string; name?: string } | null> {
  const before = await readAddedFeed(redis, keys, feedId);
  if (!(await deleteAddedFeed(redis, keys, feedId))) return null;
  return before ? { url: before.url, ...(before.name ? { name: before.name } : {}) } : { url: '' };
}
