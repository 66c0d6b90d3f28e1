import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/**
 * One feed's WebSub subscription. `pending` from the subscription request
 * until the hub verifies the intent (then `active`, with the lease end) or
 * says `denied`; `failed` when the hub could not be asked. `Job` is the feed's
 * poll job (src/queues/jobs.ts FeedJob), kept as JSON.
 */
export type WebSubState<Job = unknown> = {
  state: 'pending' | 'active' | 'denied' | 'failed';
  hub: string;
  topic: string;
  /** The HMAC key given to the hub: pushed content must be signed with it. */
  secret: string;
  /** Epoch ms. */
  requestedAt: number;
  /** Epoch ms the lease ends; 0 until verified. */
  leaseEnds: number;
  /** The poll job of the feed, so pushed content is ingested with its name and settings. */
  job: Job;
  lastError: string;
};

export async function readWebSub<Job>(
  redis: Redis,
  keys: Keys,
  feedId: string,
): Promise<WebSubState<Job> | null> {
  const h = await redis.hgetall(keys.websub(feedId));
  if (!h.state || !h.hub || !h.topic || !h.secret || !h.job) return null;
  let job: Job;
  try {
    job = JSON.parse(h.job) as Job;
  } catch {
    return null;
  }
  return {
    state: h.state as WebSubState['state'],
    hub: h.hub,
    topic: h.topic,
    secret: h.secret,
    requestedAt: Number(h.requestedAt) || 0,
    leaseEnds: Number(h.leaseEnds) || 0,
    job,
    lastError: h.lastError ?? '',
  };
}

/** A subscription's state outlives its last change by this much (a hub lease is days, not weeks). */
const WEBSUB_STATE_TTL_SECONDS = 30 * 86_400;

export async function writeWebSub<Job>(
  redis: Redis,
  keys: Keys,
  feedId: string,
  s: WebSubState<Job>,
): Promise<void> {
  await redis
    .pipeline()
    .hset(keys.websub(feedId), {
      state: s.state,
      hub: s.hub,
      topic: s.topic,
      secret: s.secret,
      requestedAt: String(s.requestedAt),
      leaseEnds: String(s.leaseEnds),
      job: JSON.stringify(s.job),
      lastError: s.lastError,
    })
    .expire(keys.websub(feedId), WEBSUB_STATE_TTL_SECONDS)
    .exec();
}

export async function updateWebSub(
  redis: Redis,
  keys: Keys,
  feedId: string,
  fields: Partial<Pick<WebSubState, 'state' | 'leaseEnds' | 'lastError'>>,
): Promise<void> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = String(v);
  await redis
    .pipeline()
    .hset(keys.websub(feedId), out)
    .expire(keys.websub(feedId), WEBSUB_STATE_TTL_SECONDS)
    .exec();
}
