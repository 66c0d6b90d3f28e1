import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { WebhookJob } from '../queues/jobs.js';

/** The consumer group webhook relays read the events stream in (docs/webhooks.md). */
export const RELAY_GROUP = 'wiresift-webhooks';

type Endpoint = Config['webhooks']['endpoints'][number];

/** "cluster.*" matches every type that starts with "cluster."; anything else matches itself. */
export function wantsEvent(endpoint: Pick<Endpoint, 'events'>, type: string): boolean {
  return endpoint.events.some((e) => (e.endsWith('*') ? type.startsWith(e.slice(0, -1)) : e === type));
}

/** The delivery id: one per event and endpoint, so a relay reading an entry twice queues it once. */
export function deliveryId(endpoint: string, streamId: string): string {
  return `${endpoint}.${streamId.replace('-', '.')}`;
}

type StreamReply = [string, [string, string[]][]][] | null;

function fields(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

/**
 * Moves events from the stream to the delivery queue: it reads the stream in a
 * consumer group (replicas share the entries), queues one delivery per entry
 * and endpoint that wants it (job id = delivery id, so queueing twice is
 * queueing once), and acknowledges the entry only then. An entry read but not
 * acknowledged (the process died) is read again: first this consumer's own on
 * start, then any consumer's left idle past `claimIdleMs`. So no event that
 * reached the stream is lost, unless the stream's trimming (events.maxLen)
 * drops it before any relay read it.
 */
export class EventRelay {
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly queue: Queue<WebhookJob>,
    private readonly endpoints: Endpoint[],
    private readonly log: Logger,
    private readonly opts: { consumer: string; blockMs?: number; count?: number; claimIdleMs?: number },
  ) {}

  /** Creates the group (at the stream's end: events from now on) when it is not there yet. */
  async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.stream, RELAY_GROUP, '$', 'MKSTREAM');
    } catch (err) {
      if (!String(err).includes('BUSYGROUP')) throw err;
    }
  }

  /** Queues the deliveries of some entries, then acknowledges them; how many deliveries. */
  async relay(entries: [string, string[]][]): Promise<number> {
    let queued = 0;
    for (const [streamId, flat] of entries) {
      const event = fields(flat);
      for (const e of this.endpoints) {
        if (!event.type || !wantsEvent(e, event.type)) continue;
        await this.queue.add(
          'deliver',
          { endpoint: e.name, streamId, event },
          { jobId: deliveryId(e.name, streamId) },
        );
        queued++;
      }
    }
    if (entries.length) await this.redis.xack(this.stream, RELAY_GROUP, ...entries.map(([id]) => id));
    return queued;
  }

  /**
   * One round: what this consumer left unacknowledged (`own`, until none is
   * left), what others left idle, then new entries. Says whether it relayed
   * entries of its own, so the caller asks for those again.
   */
  async step(own: boolean): Promise<{ own: boolean; deliveries: number }> {
    const count = this.opts.count ?? 100;
    if (own) {
      const mine = (await this.redis.xreadgroup(
        'GROUP',
        RELAY_GROUP,
        this.opts.consumer,
        'COUNT',
        count,
        'STREAMS',
        this.stream,
        '0',
      )) as StreamReply;
      const pending = mine?.[0]?.[1] ?? [];
      if (pending.length) return { own: true, deliveries: await this.relay(pending) };
    }
    const claimed = (await this.redis.xautoclaim(
      this.stream,
      RELAY_GROUP,
      this.opts.consumer,
      this.opts.claimIdleMs ?? 60_000,
      '0',
      'COUNT',
      count,
    )) as [string, [string, string[]][]];
    const stale = (claimed?.[1] ?? []).filter((e) => Array.isArray(e[1]));
    if (stale.length) return { own: false, deliveries: await this.relay(stale) };
    const fresh = (await this.redis.xreadgroup(
      'GROUP',
      RELAY_GROUP,
      this.opts.consumer,
      'COUNT',
      count,
      'BLOCK',
      this.opts.blockMs ?? 2000,
      'STREAMS',
      this.stream,
      '>',
    )) as StreamReply;
    return { own: false, deliveries: await this.relay(fresh?.[0]?.[1] ?? []) };
  }

  start(): void {
    this.loop = (async () => {
      let own = true;
      let grouped = false;
      while (!this.stopping) {
        try {
          if (!grouped) await this.ensureGroup();
          grouped = true;
          own = (await this.step(own)).own;
        } catch (err) {
          if (this.stopping) break;
          this.log.warn({ err: String(err) }, 'webhooks: relay failed; retrying in 1 s');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // The blocking read returns within blockMs.
    await this.loop;
  }
}

/**
 * Events the relay has not yet handed to the delivery queue: entries not read
 * by its group (the stream's `lag`) plus those read but not acknowledged; 0
 * before the group exists.
 */
export async function relayBacklog(redis: Redis, stream: string): Promise<number> {
  const groups = (await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
  for (const g of groups) {
    const info: Record<string, unknown> = {};
    for (let i = 0; i + 1 < g.length; i += 2) info[String(g[i])] = g[i + 1];
    if (info.name !== RELAY_GROUP) continue;
    return (Number(info.lag) || 0) + (Number(info.pending) || 0);
  }
  return 0;
}
