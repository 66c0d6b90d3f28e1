import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { feedIdFor } from '../../src/feeds/feed-id.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { pollFeed } from '../../src/pipeline/poll-feed.js';
import { readWebSub } from '../../src/store/websub-state.js';
import { startHttpServer } from '../support/http-server.js';
import { loopbackConfig } from '../support/loopback-config.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';

/**
 * WebSub against a hub of our own: subscribe at a poll, the hub verifies the
 * intent at our callback, pushes signed content that is ingested at once;
 * wrong signatures are ignored, the lease is renewed before it ends.
 */

type Subscription = { callback: string; topic: string; secret: string; lease: string; verified: boolean };

function localHub() {
  const requests: Array<Record<string, string>> = [];
  const subscriptions = new Map<string, Subscription>();
  return {
    requests,
    subscriptions,
    server: startHttpServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', async () => {
        const form = Object.fromEntries(new URLSearchParams(raw));
        requests.push(form);
        res.writeHead(202);
        res.end();
        // Verification of intent, after answering, as most hubs do.
        const challenge = randomBytes(12).toString('hex');
        const verify = new URL(form['hub.callback'] ?? '');
        verify.searchParams.set('hub.mode', 'subscribe');
        verify.searchParams.set('hub.topic', form['hub.topic'] ?? '');
        verify.searchParams.set('hub.challenge', challenge);
        verify.searchParams.set('hub.lease_seconds', '3600');
        const answer = await fetch(verify);
        subscriptions.set(form['hub.topic'] ?? '', {
          callback: form['hub.callback'] ?? '',
          topic: form['hub.topic'] ?? '',
          secret: form['hub.secret'] ?? '',
          lease: form['hub.lease_seconds'] ?? '',
          verified: answer.status === 200 && (await answer.text()) === challenge,
        });
      });
    }),
  };
}

const rss = (base: string, hub: string, items: number[]) =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Fil poussé</title>
<atom:link rel="hub" href="${hub}"/><atom:link rel="self" href="${base}/feed.xml"/>
${items.map((n) => `<item><title>Dépêche ${n}</title><link>${base}/a/${n}</link></item>`).join('')}</channel></rss>`;

async function waitFor<T>(get: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('WebSub push', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('websub');
  const hub = localHub();
  let hubUrl: string;
  let feeds: Awaited<ReturnType<typeof startHttpServer>>;
  let web: FastifyInstance;
  let webUrl: string;
  let ctx: AppContext;
  let hubServer: Awaited<ReturnType<typeof startHttpServer>>;

  beforeAll(async () => {
    hubServer = await hub.server;
    hubUrl = `${hubServer.url}/`;
    feeds = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rss(feeds.url, hubUrl, [1]));
    });
    const config = loopbackConfig(prefix);
    config.http.publicUrl = 'http://placeholder.invalid';
    ctx = createContext(config, createLogger('silent'));
    web = await buildServer(ctx);
    webUrl = await web.listen({ port: 0, host: '127.0.0.1' });
    ctx.config.http.publicUrl = webUrl;
  });
  afterAll(async () => {
    await web?.close();
    await ctx?.close();
    await feeds?.close();
    await hubServer?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  const feedUrl = () => `${feeds.url}/feed.xml`;
  const feedId = () => feedIdFor(feedUrl());
  const push = (body: string, signature?: string, id = feedId()) =>
    fetch(`${webUrl}/websub/${id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/rss+xml',
        ...(signature ? { 'x-hub-signature': signature } : {}),
      },
      body,
    });
  const sign = (algo: string, secret: string, body: string) =>
    `${algo}=${createHmac(algo, secret).update(body).digest('hex')}`;
  const articleTitles = async () =>
    (await ctx.queues.articles.getJobs(['waiting'], 0, -1)).map((j) => j.data.item.title).sort();

  it('a poll of a feed naming a hub subscribes, and the hub verifies the intent at our callback', async () => {
    await pollFeed(ctx, { feedId: feedId(), url: feedUrl() });
    const sub = await waitFor(() => hub.subscriptions.get(feedUrl()));
    expect(hub.requests[0]).toMatchObject({
      'hub.mode': 'subscribe',
      'hub.topic': feedUrl(),
      'hub.callback': `${webUrl}/websub/${feedId()}`,
      'hub.lease_seconds': '864000',
    });
    expect(sub.verified).toBe(true);
    expect(sub.secret).toMatch(/^[0-9a-f]{64}$/);
    const state = await readWebSub(redis, ctx.keys, feedId());
    expect(state?.state).toBe('active');
    expect((state?.leaseEnds ?? 0) - Date.now()).toBeGreaterThan(3500_000);
  });

  it('pushed content, signed with the secret, is ingested at once', async () => {
    const sub = hub.subscriptions.get(feedUrl()) as Subscription;
    const body = rss(feeds.url, hubUrl, [1, 2, 3]);
    const res = await push(body, sign('sha256', sub.secret, body));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ kind: 'ingested', items: 3, enqueued: 2 });
    expect(await articleTitles()).toEqual(['Dépêche 1', 'Dépêche 2', 'Dépêche 3']);
    const sha1Body = rss(feeds.url, hubUrl, [4]);
    expect(await (await push(sha1Body, sign('sha1', sub.secret, sha1Body))).json()).toMatchObject({
      enqueued: 1,
    });
  });

  it('content with a wrong or missing signature is acknowledged and ignored', async () => {
    const body = rss(feeds.url, hubUrl, [90, 91]);
    for (const signature of [sign('sha256', 'not-the-secret', body), undefined, 'sha256=zz', 'md5=00']) {
      const res = await push(body, signature);
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ kind: 'ignored', reason: 'signature does not match' });
    }
    expect(await articleTitles()).not.toContain('Dépêche 90');
    expect((await push(body, 'sha256=00', 'nosuchfeed')).status).toBe(410);
  });

  it('a verification we did not ask for is refused', async () => {
    const ask = (params: Record<string, string>) =>
      fetch(`${webUrl}/websub/${feedId()}?${new URLSearchParams(params)}`).then((r) => r.status);
    expect(
      await ask({ 'hub.mode': 'subscribe', 'hub.topic': 'http://other.example/', 'hub.challenge': 'x' }),
    ).toBe(404);
    expect(await ask({ 'hub.mode': 'unsubscribe', 'hub.topic': feedUrl(), 'hub.challenge': 'x' })).toBe(404);
    expect(await ask({ 'hub.mode': 'subscribe', 'hub.topic': feedUrl() })).toBe(404);
  });

  it('a poll renews the subscription before its lease ends, keeping the secret', async () => {
    const before = await readWebSub(redis, ctx.keys, feedId());
    const n = hub.requests.length;
    // Most of the hub's 3600 s lease is left: no renewal.
    await pollFeed(ctx, { feedId: feedId(), url: feedUrl() });
    expect(hub.requests.length).toBe(n);
    // 60 s left of the hour granted an hour ago: renewed.
    await redis.hset(ctx.keys.websub(feedId()), {
      requestedAt: String(Date.now() - 3_540_000),
      leaseEnds: String(Date.now() + 60_000),
    });
    await pollFeed(ctx, { feedId: feedId(), url: feedUrl() });
    await waitFor(() => (hub.requests.length > n ? true : undefined));
    expect(hub.requests.at(-1)?.['hub.secret']).toBe(before?.secret);
    const renewed = await waitFor(() => {
      const s = hub.subscriptions.get(feedUrl());
      return s?.verified ? s : undefined;
    });
    expect(renewed.secret).toBe(before?.secret);
  });

  it('a hub that cannot be asked (a private address) fails the subscription, not the poll', async () => {
    const guardedConfig = loopbackConfig(`${prefix}guarded:`);
    guardedConfig.http.publicUrl = ctx.config.http.publicUrl;
    guardedConfig.net.allowPrivateNetworks = false;
    guardedConfig.net.allowHosts = ['127.0.0.1'];
    const guarded = createContext(guardedConfig, createLogger('silent'));
    const other = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rss(other.url, 'http://10.255.255.1/hub', [7]));
    });
    try {
      const url = `${other.url}/feed.xml`;
      const result = await pollFeed(guarded, { feedId: feedIdFor(url), url });
      expect(result.enqueued).toBe(1);
      const state = await readWebSub(redis, guarded.keys, feedIdFor(url));
      expect(state?.state).toBe('failed');
      expect(state?.lastError).toMatch(
        /^websub: subscribing at http:\/\/10\.255\.255\.1\/hub failed: .*private address/,
      );
    } finally {
      await other.close();
      await guarded.close();
    }
  });
});
