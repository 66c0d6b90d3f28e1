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
  /** Epoch ms before which scheduled polls are skipped (backoff, Retry-After, max-age); 0 when none. */
  nextFetchAt: number;
};

export const FEED_HEALTH = ['ok', 'error', 'backoff', 'never'] as const;
export type FeedHealth = (typeof FEED_HEALTH)[number];

function fromHash(h: Record<string, string>): FeedState {
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
    nextFetchAt: Number(h.nextFetchAt ?? 0) || 0,
  };
}

export async function readFeedState(redis: Redis, keys: Keys, feedId: string): Promise<FeedState> {
  return fromHash(await redis.hgetall(keys.feedState(feedId)));
}

/**
 * never: not polled yet; ok: last poll worked; backoff: failing and waiting
 * before the next poll; error: failing, next poll at the normal time.
 */
export function feedHealth(state: FeedState, now = Date.now()): FeedHealth {
  if (!state.lastFetchedAt) return 'never';
  if (state.consecutiveErrors === 0) return 'ok';
  return state.nextFetchAt > now ? 'backoff' : 'error';
}

/** Feeds per health, for /metrics: one pipelined read, no per-feed series. */
export async function feedHealthCounts(
  redis: Redis,
  keys: Keys,
  feedIds: string[],
  now = Date.now(),
): Promise<Record<FeedHealth, number>> {
  const counts: Record<FeedHealth, number> = { ok: 0, error: 0, backoff: 0, never: 0 };
  if (!feedIds.length) return counts;
  const pipe = redis.pipeline();
  for (const id of feedIds) pipe.hgetall(keys.feedState(id));
  for (const [err, h] of (await pipe.exec()) ?? []) {
    if (err) throw err;
    counts[feedHealth(fromHash((h ?? {}) as Record<string, string>), now)]++;
  }
  return counts;
}

/**
 * A feed's state outlives its last poll by this much: a feed dropped from the
 * config or removed stops being polled, and its validators and error count go.
 */
export const FEED_STATE_TTL_SECONDS = 30 * 86_400;

export async function recordFeedSuccess(
  redis: Redis,
  keys: Keys,
  feedId: string,
  info: {
    status: number;
    title?: string;
    etag?: string;
    lastModified?: string;
    items?: number;
    nextFetchAt?: number;
  },
): Promise<void> {
  const now = new Date().toISOString();
  const fields: Record<string, string> = {
    lastStatus: String(info.status),
    lastError: '',
    lastFetchedAt: now,
    lastSuccessAt: now,
    consecutiveErrors: '0',
    nextFetchAt: String(info.nextFetchAt ?? 0),
  };
  if (info.title) fields.title = info.title;
  if (info.etag !== undefined) fields.etag = info.etag;
  if (info.lastModified !== undefined) fields.lastModified = info.lastModified;
  if (info.items !== undefined) fields.items = String(info.items);
  await redis
    .pipeline()
    .hset(keys.feedState(feedId), fields)
    .expire(keys.feedState(feedId), FEED_STATE_TTL_SECONDS)
    .exec();
}

export async function recordFeedFailure(
  redis: Redis,
  keys: Keys,
  feedId: string,
  reason: string,
  info: { status?: number; nextFetchAt?: number } = {},
): Promise<void> {
  await redis
    .multi()
    .hset(keys.feedState(feedId), {
      lastStatus: info.status === undefined ? 'error' : String(info.status),
      lastError: reason,
      lastFetchedAt: new Date().toISOString(),
      nextFetchAt: String(info.nextFetchAt ?? 0),
    })
    .hincrby(keys.feedState(feedId), 'consecutiveErrors', 1)
    .expire(keys.feedState(feedId), FEED_STATE_TTL_SECONDS)
    .exec();
}
