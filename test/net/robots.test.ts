import type { IncomingMessage, ServerResponse } from 'node:http';
import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { createLogger } from '../../src/log.js';
import { FetchError } from '../../src/net/fetch-error.js';
import { HostBusyError } from '../../src/net/host-politeness.js';
import { RobotsCache, RobotsDisallowedError, robotsAgentToken } from '../../src/net/robots.js';
import { ingestArticle } from '../../src/pipeline/ingest-article.js';
import { getArticle } from '../../src/store/articles.js';
import { ExpiringMemo } from '../../src/store/expiring-memo.js';
import { articleJobAt } from '../support/article-job.js';
import { startHttpServer } from '../support/http-server.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';

const redis = connectTestRedis();
const prefix = uniquePrefix('robots');
const hits: Record<string, number> = {};
let robotsStatus = 200;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let ctx: AppContext;
let seenAgent = '';

const PAGE = `<html><head><title>Page</title></head><body><article><h1>Titre</h1>${'<p>Le conseil municipal a voté le budget après un long débat sur les écoles et la voirie.</p>'.repeat(12)}</article></body></html>`;

beforeAll(async () => {
  server = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === '/robots.txt') {
      seenAgent = req.headers['user-agent'] ?? '';
      res.writeHead(robotsStatus, { 'content-type': 'text/plain' });
      res.end('User-agent: *\nDisallow: /admin\n\nUser-agent: wiresift\nDisallow: /private/\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  const config = testConfig(prefix, {
    WIRESIFT_ALLOW_HOSTS: '127.0.0.1',
  });
  config.net.politeness.minDelayMs = 0;
  // These tests rewrite robots.txt between checks: every check reads Redis.
  config.net.robots.memoSeconds = 0;
  ctx = createContext(config, createLogger('silent'));
});

afterAll(async () => {
  await ctx.close();
  await server.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

function articleJob(path: string, summary: string | null) {
  return articleJobAt(server.url, path, {
    articleId: `a-${path.replace(/\W/g, '')}`,
    item: { title: 'Titre', summary },
  });
}

describe('robots.txt for article pages', () => {
  it('matches groups on the product token of the configured user agent', () => {
    expect(robotsAgentToken(ctx.config.net.userAgent)).toBe('wiresift');
  });

  it('allows what robots.txt allows and fetches robots.txt once per origin (cached in Redis)', async () => {
    await ctx.gate.robots.assertAllowed(`${server.url}/news/1`);
    await ctx.gate.robots.assertAllowed(`${server.url}/admin`); // only disallowed for "*"; our group wins
    await ctx.gate.robots.assertAllowed(`${server.url}/news/2`);
    expect(hits['/robots.txt']).toBe(1);
    expect(seenAgent).toBe(ctx.config.net.userAgent);
    expect(await redis.ttl(ctx.keys.robots(server.url))).toBeGreaterThan(3600);
  });

  it('a disallowed page is never requested and fails unrecoverably with the reason', async () => {
    const err = await ingestArticle(ctx, articleJob('/private/scoop', null), { isLastAttempt: false }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect((err as Error).message).toMatch(
      /^net: robots\.txt of 127\.0\.0\.1:\d+ disallows .*\/private\/scoop for user agent "wiresift"/,
    );
    expect(hits['/private/scoop']).toBeUndefined();
    const stored = await getArticle(redis, ctx.keys, 'a-privatescoop');
    expect(stored?.status).toBe('failed');
  });

  it('the feed text still stands in for a disallowed page when it says enough', async () => {
    const summary = `<p>${'Le conseil municipal a voté le budget après un long débat sur les écoles. '.repeat(8)}</p>`;
    const r = await ingestArticle(ctx, articleJob('/private/with-summary', summary), {
      isLastAttempt: false,
    });
    expect(r).toMatchObject({ status: 'ok', source: 'feed' });
    const stored = await getArticle(redis, ctx.keys, 'a-privatewithsummary');
    expect(stored?.reason).toMatch(/^from feed: net: robots\.txt/);
    expect(hits['/private/with-summary']).toBeUndefined();
  });

  it('a missing robots.txt allows everything; an unreadable one is a retryable error, retried after a short TTL', async () => {
    await redis.del(ctx.keys.robots(server.url));
    robotsStatus = 404;
    await ctx.gate.robots.assertAllowed(`${server.url}/private/x`);
    await redis.del(ctx.keys.robots(server.url));
    robotsStatus = 503;
    const err = await ctx.gate.robots.assertAllowed(`${server.url}/news/3`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/robots\.txt could not be read/);
    const ttl = await redis.ttl(ctx.keys.robots(server.url));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(ctx.config.net.robots.unreachableTtlSeconds);
    robotsStatus = 200;
  });

  it('no politeness slot for robots.txt is not cached as unreachable: the busy error goes up as is', async () => {
    const origin = 'http://busy.example';
    let calls = 0;
    const cache = new RobotsCache(
      redis,
      ctx.keys,
      ctx.config.net.robots,
      ctx.config.net.userAgent,
      async () => {
        calls++;
        if (calls === 1) throw new HostBusyError('busy.example', 500);
        return 'User-agent: *\nDisallow: /private/\n';
      },
      new ExpiringMemo(ctx.config.net.robots.memoSeconds * 1000),
    );
    await expect(cache.assertAllowed(`${origin}/news/1`)).rejects.toBeInstanceOf(HostBusyError);
    expect(await redis.exists(ctx.keys.robots(origin))).toBe(0);
    await cache.assertAllowed(`${origin}/news/1`);
    await expect(cache.assertAllowed(`${origin}/private/1`)).rejects.toBeInstanceOf(RobotsDisallowedError);
    expect(calls).toBe(2);
  });

  it('a worker reuses a parsed robots.txt for memoSeconds without reading Redis', async () => {
    const origin = 'http://memo.example';
    let calls = 0;
    const cache = new RobotsCache(
      redis,
      ctx.keys,
      { ...ctx.config.net.robots, memoSeconds: 60 },
      ctx.config.net.userAgent,
      async () => {
        calls++;
        return 'User-agent: *\nDisallow: /private/\n';
      },
      new ExpiringMemo(60_000),
    );
    await cache.assertAllowed(`${origin}/news/1`);
    await redis.del(ctx.keys.robots(origin));
    await cache.assertAllowed(`${origin}/news/2`);
    await expect(cache.assertAllowed(`${origin}/private/1`)).rejects.toBeInstanceOf(RobotsDisallowedError);
    expect(calls).toBe(1);
    expect(await redis.exists(ctx.keys.robots(origin))).toBe(0);
  });

  it('RobotsDisallowedError names the host, URL and agent', () => {
    expect(new RobotsDisallowedError('https://a.example/x', 'wiresift').message).toBe(
      'net: robots.txt of a.example disallows https://a.example/x for user agent "wiresift"',
    );
  });
});
