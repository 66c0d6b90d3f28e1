import type { IncomingMessage } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import type { Running } from '../../src/app/job-worker.js';
import { startWebhooks } from '../../src/app/webhooks-worker.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/log.js';
import { deliveryBody } from '../../src/webhooks/deliver.js';
import { EventRelay, RELAY_GROUP } from '../../src/webhooks/event-relay.js';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  signBody,
  verifySignature,
} from '../../src/webhooks/signature.js';
import { reviewConfig, seedArticles } from '../review/seed.js';
import { THREAD_ARTICLES } from '../review/thread-seed.js';
import { startHttpServer } from '../support/http-server.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';

const SECRET = 'hook-secret-5Qm8Zr2Lx7Vt4Kp9';

type Received = { type: string; delivery: string; body: Record<string, string>; signed: boolean };

/** A receiver as a newsroom system would write one: it checks the signature over the raw body first. */
async function receiver(status: () => number) {
  const got: Received[] = [];
  const srv = await startHttpServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signed = verifySignature(SECRET, raw, req.headers[SIGNATURE_HEADER] as string | undefined);
      const code = status();
      if (code < 300)
        got.push({
          type: String(req.headers['x-wiresift-event-type']),
          delivery: String(req.headers[DELIVERY_HEADER]),
          body: JSON.parse(raw.toString()),
          signed,
        });
      res.writeHead(signed ? code : 401).end();
    });
  });
  return { ...srv, got };
}

async function until(check: () => Promise<boolean> | boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function streamTypes(ctx: AppContext): Promise<string[]> {
  const entries = await ctx.redis.xrange(ctx.keys.events, '-', '+');
  return entries.map(([, f]) => f[f.indexOf('type') + 1]!);
}

describe('signatures', () => {
  it('are the hex HMAC-SHA256 of the raw body (a published test vector)', () => {
    expect(signBody('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
    const body = deliveryBody({ streamId: '1-0', event: { type: 'thread.created', threadId: 't1' } });
    expect(verifySignature(SECRET, body, signBody(SECRET, body))).toBe(true);
    expect(verifySignature(SECRET, `${body} `, signBody(SECRET, body))).toBe(false);
    expect(verifySignature('another-secret-0123456789', body, signBody(SECRET, body))).toBe(false);
    expect(verifySignature(SECRET, body, undefined)).toBe(false);
  });
});

describe('signed webhooks, end to end on a real Redis and HTTP receivers', () => {
  const redis = connectTestRedis();
  const prefixes: string[] = [];
  const running: Running[][] = [];
  const contexts: AppContext[] = [];
  afterAll(async () => {
    for (const r of running) for (const p of r) await p.close();
    for (const c of contexts) await c.close();
    for (const p of prefixes) await dropPrefix(redis, p);
    redis.disconnect();
  });

  function context(url: string, opts: { attempts?: number; privateOk?: boolean } = {}) {
    const prefix = uniquePrefix('webhooks');
    prefixes.push(prefix);
    const config = reviewConfig(prefix);
    config.net.allowPrivateNetworks = opts.privateOk ?? true;
    config.webhooks = {
      ...config.webhooks,
      endpoints: [
        { name: 'newsroom', url, secret: SECRET, events: ['cluster.*', 'thread.*', 'review.undone'] },
      ],
      attempts: opts.attempts ?? 3,
      backoffMs: 50,
      timeoutMs: 2000,
    };
    const ctx = createContext(config, createLogger('silent'));
    contexts.push(ctx);
    return ctx;
  }

  it('POSTs every cluster and thread event once, signed; the receiver verifies each', async () => {
    const rx = await receiver(() => 204);
    try {
      const ctx = context(`${rx.url}/hooks`);
      running.push(startWebhooks(ctx));
      // The relay's group starts at the end of the stream: let it exist before the events.
      await until(
        async () =>
          ((await ctx.redis.xinfo('GROUPS', ctx.keys.events).catch(() => [])) as unknown[]).length > 0,
      );
      await seedArticles(ctx, THREAD_ARTICLES, { threads: true });
      const wanted = (await streamTypes(ctx)).filter(
        (t) => t.startsWith('cluster.') || t.startsWith('thread.'),
      );
      expect(wanted).toContain('thread.created');
      await until(() => rx.got.length >= wanted.length);
      await new Promise((r) => setTimeout(r, 300));
      expect(rx.got.map((g) => g.type).sort()).toEqual([...wanted].sort());
      expect(rx.got.every((g) => g.signed)).toBe(true);
      expect(new Set(rx.got.map((g) => g.delivery)).size).toBe(rx.got.length);
      const created = rx.got.find((g) => g.type === 'thread.created')!;
      expect(created.body).toMatchObject({
        type: 'thread.created',
        threadId: expect.stringMatching(/^t\d+$/),
      });
      expect(created.body.id).toMatch(/^\d+-\d+$/);
      // article.* events are not cluster or thread events: not sent.
      expect(rx.got.some((g) => g.type.startsWith('article.'))).toBe(false);
    } finally {
      await rx.close();
    }
  });

  it('a dead endpoint loses no event: retried, then failed and visible, delivered once it is back', async () => {
    let up = false;
    const rx = await receiver(() => (up ? 200 : 503));
    try {
      const ctx = context(`${rx.url}/hooks`, { attempts: 3 });
      running.push(startWebhooks(ctx));
      await until(
        async () =>
          ((await ctx.redis.xinfo('GROUPS', ctx.keys.events).catch(() => [])) as unknown[]).length > 0,
      );
      await seedArticles(ctx, THREAD_ARTICLES.slice(0, 2), { threads: true });
      const wanted = (await streamTypes(ctx)).filter(
        (t) => t.startsWith('cluster.') || t.startsWith('thread.'),
      );
      await until(async () => (await ctx.queues.webhooks.getFailedCount()) === wanted.length);
      expect(rx.got).toEqual([]);
      const failed = await ctx.queues.webhooks.getFailed();
      expect(failed.every((j) => j.attemptsMade === 3)).toBe(true);
      expect(failed[0]!.failedReason).toContain('HTTP 503');
      const metrics = await await createMetrics(ctx).metrics();
      expect(metrics).toMatch(/wiresift_queue_jobs\{queue="webhooks",state="failed"\} [1-9]/);
      expect(metrics).toMatch(
        /wiresift_webhook_deliveries_total\{endpoint="newsroom",outcome="failed"\} [1-9]/,
      );
      expect(metrics).toMatch(
        /wiresift_webhook_deliveries_total\{endpoint="newsroom",outcome="retrying"\} [1-9]/,
      );
      // Every event was handed to the queue: none waits in the stream.
      expect(metrics).toMatch(/^wiresift_webhook_events_unrelayed 0$/m);
      // The endpoint is back; an operator retries the failed deliveries (the dashboard's button does the same).
      up = true;
      await ctx.queues.webhooks.retryJobs({ state: 'failed' });
      await until(() => rx.got.length === wanted.length);
      expect(rx.got.map((g) => g.type).sort()).toEqual([...wanted].sort());
    } finally {
      await rx.close();
    }
  });

  it('the SSRF guard applies: a private address fails at once, visible, without a request', async () => {
    const rx = await receiver(() => 204);
    try {
      const ctx = context(`${rx.url}/hooks`, { privateOk: false });
      running.push(startWebhooks(ctx));
      await until(
        async () =>
          ((await ctx.redis.xinfo('GROUPS', ctx.keys.events).catch(() => [])) as unknown[]).length > 0,
      );
      await seedArticles(ctx, THREAD_ARTICLES.slice(0, 1), { threads: true });
      await until(async () => (await ctx.queues.webhooks.getFailedCount()) > 0);
      const [job] = await ctx.queues.webhooks.getFailed();
      expect(job!.attemptsMade).toBe(1);
      expect(job!.failedReason).toMatch(/private address .*net\.allowHosts/);
      expect(rx.got).toEqual([]);
    } finally {
      await rx.close();
    }
  });

  it('an entry read but not acknowledged (a relay that died) is queued again, once', async () => {
    const ctx = context('http://127.0.0.1:1/hooks');
    const relayRedis = connectTestRedis();
    try {
      const relay = new EventRelay(
        relayRedis,
        ctx.keys.events,
        ctx.queues.webhooks,
        ctx.config.webhooks.endpoints,
        ctx.log,
        {
          consumer: 'worker-a',
          blockMs: 100,
        },
      );
      await relay.ensureGroup();
      await ctx.redis.xadd(ctx.keys.events, '*', 'type', 'cluster.created', 'clusterId', 'c1');
      await ctx.redis.xadd(ctx.keys.events, '*', 'type', 'article.clustered', 'clusterId', 'c1');
      // The relay read them and died before acknowledging.
      await relayRedis.xreadgroup('GROUP', RELAY_GROUP, 'worker-a', 'STREAMS', ctx.keys.events, '>');
      expect((await relay.step(true)).deliveries).toBe(1);
      expect((await relay.step(true)).own).toBe(false);
      const pending = (await ctx.redis.xpending(ctx.keys.events, RELAY_GROUP)) as [number];
      expect(pending[0]).toBe(0);
      // Queued again by a second relay (same delivery id): still one job.
      await relay.relay((await ctx.redis.xrange(ctx.keys.events, '-', '+')) as [string, string[]][]);
      expect(await ctx.queues.webhooks.count()).toBe(1);
    } finally {
      relayRedis.disconnect();
    }
  });
});
