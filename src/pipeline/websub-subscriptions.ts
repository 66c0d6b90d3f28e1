import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { fetchOptionsFor, parseOptionsFor } from '../feeds/feed-settings.js';
import type { ParsedFeed } from '../feeds/feed-types.js';
import type { CappedFeed } from '../feeds/parse-pool.js';
import { postToHub } from '../feeds/websub-hub-client.js';
import type { FeedJob } from '../queues/jobs.js';
import { readWebSub, updateWebSub, type WebSubState, writeWebSub } from '../store/websub-state.js';
import type { PipelineContext } from './context.js';

/**
 * The subscriber side of WebSub (W3C Recommendation 2018): a polled feed
 * that names a hub is subscribed to when http.publicUrl says where hubs can
 * reach us; the hub verifies the intent at our callback, then pushes new
 * content, signed with the secret we gave it (X-Hub-Signature). Polling goes
 * on as the fallback; a poll renews the subscription before its lease ends.
 */

/** A subscription request not verified after this long is asked again at the next poll. */
const PENDING_RETRY_MS = 10 * 60_000;
const MAX_CHALLENGE_CHARS = 1024;
const SIGNATURE_ALGORITHMS = new Set(['sha1', 'sha256', 'sha384', 'sha512']);

export function callbackUrl(publicUrl: string, feedId: string): string {
  return new URL(
    `websub/${encodeURIComponent(feedId)}`,
    publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`,
  ).href;
}

function due(
  state: WebSubState<FeedJob> | null,
  hub: string,
  topic: string,
  now: number,
  renewBeforeMs: number,
): boolean {
  if (!state || state.hub !== hub || state.topic !== topic) return true;
  // Renewed once less than renewBeforeSeconds is left, or half the lease when the hub granted a short one.
  if (state.state === 'active')
    return state.leaseEnds - now <= Math.min(renewBeforeMs, (state.leaseEnds - state.requestedAt) / 2);
  if (state.state === 'pending') return now - state.requestedAt > PENDING_RETRY_MS;
  // denied or failed: asked again after the same pause, the hub may have changed its mind.
  return now - state.requestedAt > PENDING_RETRY_MS;
}

/**
 * Subscribes (or renews) when due. Never fails the poll: a hub that cannot
 * be reached is logged and recorded, and polling carries on.
 */
export async function ensureSubscribed(
  ctx: PipelineContext,
  job: FeedJob,
  feed: ParsedFeed,
  now = Date.now(),
): Promise<void> {
  const publicUrl = ctx.config.http.publicUrl;
  const hub = feed.hubs[0];
  if (!publicUrl || !hub) return;
  const topic = feed.self ?? job.url;
  const { leaseSeconds, renewBeforeSeconds } = ctx.config.websub;
  const current = await readWebSub<FeedJob>(ctx.redis, ctx.keys, job.feedId);
  if (!due(current, hub, topic, now, renewBeforeSeconds * 1000)) return;
  // A renewal keeps its secret: content the hub signed before it learns a new one must still verify.
  const sameSubscription = current && current.hub === hub && current.topic === topic;
  const secret = sameSubscription ? current.secret : randomBytes(32).toString('hex');
  const state: WebSubState<FeedJob> = {
    state: sameSubscription && current.state === 'active' ? 'active' : 'pending',
    hub,
    topic,
    secret,
    requestedAt: now,
    leaseEnds: sameSubscription ? current.leaseEnds : 0,
    job,
    lastError: '',
  };
  // Written before asking: a hub may verify the intent before it answers the request.
  await writeWebSub(ctx.redis, ctx.keys, job.feedId, state);
  const opts = fetchOptionsFor(ctx.fetchOptions, job.settings);
  try {
    const res = await postToHub({
      hub,
      params: {
        'hub.mode': 'subscribe',
        'hub.topic': topic,
        'hub.callback': callbackUrl(publicUrl, job.feedId),
        'hub.secret': secret,
        'hub.lease_seconds': String(leaseSeconds),
      },
      policy: opts.policy,
      timeoutMs: opts.timeoutMs,
      userAgent: opts.userAgent,
    });
    if (res.status < 200 || res.status >= 300)
      throw new Error(`the hub answered HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ''}`);
    ctx.log.info({ feed: job.url, hub, topic }, 'websub: subscription requested');
  } catch (err) {
    const message = `websub: subscribing at ${hub} failed: ${err instanceof Error ? err.message : String(err)}`;
    await updateWebSub(ctx.redis, ctx.keys, job.feedId, { state: 'failed', lastError: message });
    ctx.log.warn({ feed: job.url, hub }, message);
  }
}

export type IntentQuery = Record<string, unknown>;

/**
 * A hub's verification of intent (GET on the callback): the challenge to
 * echo when the hub asks about the subscription we requested, else null.
 */
export async function verifyIntent(
  ctx: PipelineContext,
  feedId: string,
  query: IntentQuery,
  now = Date.now(),
): Promise<string | null> {
  const mode = typeof query['hub.mode'] === 'string' ? query['hub.mode'] : '';
  const topic = typeof query['hub.topic'] === 'string' ? query['hub.topic'] : '';
  const state = await readWebSub<FeedJob>(ctx.redis, ctx.keys, feedId);
  if (!state || topic !== state.topic) return null;
  if (mode === 'denied') {
    const reason = typeof query['hub.reason'] === 'string' ? query['hub.reason'].slice(0, 200) : '';
    await updateWebSub(ctx.redis, ctx.keys, feedId, {
      state: 'denied',
      lastError: `websub: the hub denied the subscription${reason ? `: ${reason}` : ''}`,
    });
    return '';
  }
  const challenge = typeof query['hub.challenge'] === 'string' ? query['hub.challenge'] : '';
  // We never unsubscribe: an unsubscribe we did not ask for is refused.
  if (mode !== 'subscribe' || !challenge || challenge.length > MAX_CHALLENGE_CHARS) return null;
  const lease = Number(query['hub.lease_seconds']);
  const leaseSeconds = Number.isFinite(lease) && lease > 0 ? lease : ctx.config.websub.leaseSeconds;
  await updateWebSub(ctx.redis, ctx.keys, feedId, {
    state: 'active',
    leaseEnds: now + leaseSeconds * 1000,
    lastError: '',
  });
  ctx.log.info({ feed: state.job.url, leaseSeconds }, 'websub: subscription verified');
  return challenge;
}

/** Whether `header` (`sha256=<hex>`, or sha1/sha384/sha512) is the HMAC of `body` under `secret`. */
export function signatureMatches(header: string | undefined, secret: string, body: Buffer): boolean {
  const m = header ? /^(sha1|sha256|sha384|sha512)=([0-9a-fA-F]+)$/.exec(header.trim()) : null;
  if (!m?.[1] || !m[2] || !SIGNATURE_ALGORITHMS.has(m[1])) return false;
  const expected = createHmac(m[1], secret).update(body).digest();
  const given = Buffer.from(m[2], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type PushOutcome =
  | { kind: 'unknown' }
  | { kind: 'ignored'; reason: string }
  | { kind: 'ingested'; items: number; enqueued: number };

/**
 * Content a hub pushed: verified against the subscription's secret, parsed
 * on the feed parsing pool exactly as a poll would, its new items enqueued at
 * once. An unsigned or wrongly signed body is ignored (the spec has it
 * acknowledged all the same, so the hub does not retry it).
 */
export async function receivePush(
  ctx: PipelineContext,
  feedId: string,
  body: Buffer,
  contentType: string | undefined,
  signature: string | undefined,
  enqueue: (job: FeedJob, feed: CappedFeed) => Promise<number>,
): Promise<PushOutcome> {
  const state = await readWebSub<FeedJob>(ctx.redis, ctx.keys, feedId);
  if (state?.state !== 'active') return { kind: 'unknown' };
  if (!signatureMatches(signature, state.secret, body)) {
    ctx.log.warn(
      { feed: state.job.url },
      'websub: pushed content ignored, its X-Hub-Signature does not match',
    );
    return { kind: 'ignored', reason: 'signature does not match' };
  }
  const copy = new Uint8Array(body.byteLength);
  copy.set(body);
  try {
    const feed = await ctx.feedParser.parse(
      copy,
      contentType,
      state.topic,
      parseOptionsFor(state.job.settings, ctx.config.feedLimits.maxItemsPerPoll),
    );
    const enqueued = await enqueue(state.job, feed);
    ctx.log.info(
      { feed: state.job.url, items: feed.items.length, enqueued },
      'websub: pushed content ingested',
    );
    return { kind: 'ingested', items: feed.items.length, enqueued };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    ctx.log.warn({ feed: state.job.url, err: reason }, 'websub: pushed content could not be read');
    return { kind: 'ignored', reason };
  }
}
