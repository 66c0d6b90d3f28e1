import { UnrecoverableError } from 'bullmq';
import type { Config } from '../config.js';
import { FetchError } from '../net/fetch-error.js';
import { safePost } from '../net/post.js';
import type { WebhookJob } from '../queues/jobs.js';
import { deliveryId } from './event-relay.js';
import { DELIVERY_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signBody } from './signature.js';

/** Failures no retry can mend: the URL itself is refused (a private address, a bad scheme). */
const CONFIG_ERRORS = new Set(['ssrf_blocked', 'bad_scheme', 'invalid_url']);

/** The body a receiver gets: the event's stream id, then the stream entry's fields (docs/redis.md). */
export function deliveryBody(job: Pick<WebhookJob, 'streamId' | 'event'>): string {
  return JSON.stringify({ id: job.streamId, ...job.event });
}

/**
 * POSTs one event to one endpoint, signed, through the network policy's SSRF
 * guard. A failure throws: BullMQ retries it with backoff (webhooks.attempts,
 * webhooks.backoffMs) and leaves it failed after the last attempt, where the
 * dashboard can retry it. An endpoint no longer configured, or a URL the
 * policy refuses, fails at once: retrying would not change the answer.
 */
export async function deliverEvent(config: Config, job: WebhookJob): Promise<{ status: number }> {
  const endpoint = config.webhooks.endpoints.find((e) => e.name === job.endpoint);
  if (!endpoint) throw new UnrecoverableError(`webhooks: endpoint ${job.endpoint} is no longer configured`);
  const body = deliveryBody(job);
  try {
    const res = await safePost(endpoint.url, body, {
      timeoutMs: config.webhooks.timeoutMs,
      userAgent: config.net.userAgent,
      policy: { allowPrivateNetworks: config.net.allowPrivateNetworks, allowHosts: config.net.allowHosts },
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signBody(endpoint.secret, body),
        [EVENT_TYPE_HEADER]: job.event.type ?? '',
        [DELIVERY_HEADER]: deliveryId(job.endpoint, job.streamId),
      },
    });
    return { status: res.status };
  } catch (err) {
    if (err instanceof FetchError && CONFIG_ERRORS.has(err.code))
      throw new UnrecoverableError(`webhooks: ${endpoint.name}: ${err.message}`);
    throw err;
  }
}
