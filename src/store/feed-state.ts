import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

export type FeedState = {
  title: string;
  etag: string;
  lastModified: string;
  lastStatus: string;
  lastError: string;
  lastFetchedAt: string;
  lastSuccessAt: string;
  consecutiveErrors: number;
  items: number;
};

export async function readFeedState(redis: Redis, keys: Keys, feedId: string): Promise<FeedState> {
  const h = await redis.hgetall(keys.feedState(feedId));
  return {
    title: h.title ?? '',
    etag: h.etag ?? '',
    lastModified: h.lastModified ?? '',
    lastStatus: h.lastStatus ?? '',
    lastError: h.lastError ?? '',
    lastFetchedAt: h.lastFetchedAt ?? '',
    lastSuccessAt: h.lastSuccessAt ?? '',
    consecutiveErrors: Number(h.consecutiveErrors ?? 0),
    items: Number(h.items ?? 0),
  };
}

export async function recordFeedSuccess(
  redis: Redis,
  keys: Keys,
  feedId: string,
  info: { status: number; title?: string; etag?: string; lastModified?: string; items?: number },
): Promise<void> {
  const now = new Date().toISOString();
  const fields: Record<string, string> = {
    lastStatus: String(info.status),
    lastError: '',
    lastFetchedAt: now,
    lastSuccessAt: now,
    consecutiveErrors: '0',
  };
  if (info.title) fields.title = info.title;
  if (info.etag !== undefined) fields.etag = info.etag;
  if (info.lastModified !== undefined) fields.lastModified = info.lastModified;
  if (info.items !== undefined) fields.items = String(info.items);
  await redis.hset(keys.feedState(feedId), fields);
}

export async function recordFeedFailure(
  redis: Redis,
  keys: Keys,
  feedId: string,
  reason: string,
): Promise<void> {
  await redis
    .multi()
    .hset(keys.feedState(feedId), {
      lastStatus: 'error',
      lastError: reason,
      lastFetchedAt: new Date().toISOString(),
    })
    .hincrby(keys.feedState(feedId), 'consecutiveErrors', 1)
    .exec();
}
