import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { apiRoutes } from '../../src/http/review/api-routes.js';
import { reviewPlugin } from '../../src/http/review/plugin.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { budgetStory, EDITOR_TOKEN, reviewConfig, seedArticles } from '../review/seed.js';
import { sessionCookie, signInOver } from '../review/sign-in-http.js';
import { articleJobAt } from '../support/article-job.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { pathSpellings, type RawResponse, rawRequest } from './raw-request.js';

/** A job payload that must never leave the server without sign-in. */
const CANARY = 'canary-7d1f0c-job-payload';

type Route = { method: string; path: string; literal: number; query?: string; body?: string };

/** Every route behind sign-in or a read token, with how many of its leading segments are literal. */
function protectedRoutes(clusterId: string, jobId: string): Route[] {
  const form = '_csrf=x&articleId=a3&other=c1';
  return [
    { method: 'GET', path: '/review', literal: 1 },
    { method: 'GET', path: `/review/clusters/${clusterId}`, literal: 2, query: 'diff=a2' },
    { method: 'GET', path: `/review/clusters/${clusterId}/split`, literal: 2, query: 'articleId=a2' },
    { method: 'POST', path: '/review/logout', literal: 2, body: form },
    { method: 'GET', path: '/review/threads', literal: 2 },
    { method: 'GET', path: '/review/threads/t1', literal: 2 },
    ...['remove', 'join', 'undo'].map((a) => ({
      method: 'POST',
      path: `/review/threads/t1/${a}`,
      literal: 2,
      body: `${form}&clusterId=${clusterId}&entry=x`,
    })),
    { method: 'POST', path: `/review/clusters/${clusterId}/thread`, literal: 2, body: `${form}&thread=t1` },
    ...['split', 'merge', 'representative', 'reviewed', 'undo'].map((a) => ({
      method: 'POST',
      path: `/review/clusters/${clusterId}/${a}`,
      literal: 2,
      body: form,
    })),
    { method: 'GET', path: '/review/queues', literal: 2 },
    { method: 'GET', path: '/review/queues/', literal: 2 },
    { method: 'GET', path: '/review/queues/queue/articles', literal: 3 },
    {
      method: 'GET',
      path: '/review/queues/api/queues',
      literal: 4,
      query: 'activeQueue=articles&status=waiting',
    },
    { method: 'GET', path: '/review/queues/api/redis/stats', literal: 5 },
    { method: 'GET', path: '/review/queues/api/job-schedulers', literal: 4 },
    { method: 'GET', path: `/review/queues/api/queues/articles/${jobId}`, literal: 4 },
    { method: 'PUT', path: '/review/queues/api/queues/pause', literal: 5 },
    { method: 'GET', path: '/api/clusters', literal: 2 },
    { method: 'GET', path: `/api/clusters/${clusterId}`, literal: 2 },
    { method: 'GET', path: '/api/articles/a1', literal: 2 },
    { method: 'GET', path: '/api/threads', literal: 2 },
    { method: 'GET', path: '/api/threads/t1', literal: 2 },
  ];
}

async function send(base: string, r: Route, path: string, headers: Record<string, string> = {}) {
  const url = r.query ? `${path}?${r.query}` : path;
  const h: Record<string, string> = { ...headers };
  if (r.body) h['content-type'] = 'application/x-www-form-urlencoded';
  if (r.method === 'PUT') h['content-type'] = 'application/json';
  return rawRequest(base, url, { method: r.method, headers: h, body: r.method === 'PUT' ? '{}' : r.body });
}

/** Runs `fn` over `items`, `width` at a time (hundreds of sockets at once only measure the machine). */
async function eachLimited<T>(items: T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const leaked = (res: RawResponse) => (res.status >= 200 && res.status < 300) || res.body.includes(CANARY);

describe('auth does not depend on how the path is spelled', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('path-auth');
  let ctx: AppContext;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  let base: string;
  let bareBase: string;
  let routes: Route[];

  beforeAll(async () => {
    ctx = createContext(reviewConfig(prefix), createLogger('silent'));
    await seedArticles(ctx, budgetStory());
    const clusterId = (await redis.hget(ctx.keys.article('a1'), 'cluster'))!;
    const job = await ctx.queues.articles.add('article', articleJobAt('http://feed.example', `/${CANARY}`));
    routes = protectedRoutes(clusterId, job.id!);
    app = await buildServer(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    // The plugins alone, without the server's canonical-path guard: auth must hold by itself.
    bare = Fastify({ logger: false });
    await bare.register(apiRoutes, { ctx });
    await bare.register(reviewPlugin, { ctx });
    bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await bare?.close();
    await ctx?.queues.articles.obliterate({ force: true });
    await ctx?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('the canonical spelling of every protected route is refused without sign-in', async () => {
    for (const r of routes) {
      const res = await send(base, r, r.path);
      expect(leaked(res), `${r.method} ${r.path} → ${res.status}`).toBe(false);
      expect([303, 401], `${r.method} ${r.path}`).toContain(res.status);
    }
  });

  it('no other spelling of a protected route answers without sign-in, and each gets a 400 saying why', async () => {
    const leaks: string[] = [];
    const notRefused: string[] = [];
    let tried = 0;
    const cases = routes.flatMap((r) => pathSpellings(r.path, r.literal).map((p) => [r, p] as const));
    await eachLimited(cases, 8, async ([r, p]) => {
      const res = await send(base, r, p);
      tried++;
      if (leaked(res)) leaks.push(`${r.method} ${p} → ${res.status}`);
      if (res.status !== 400 || !/non-canonical path/.test(res.body))
        notRefused.push(`${r.method} ${p} → ${res.status}`);
    });
    expect(tried).toBeGreaterThan(500);
    expect(leaks).toEqual([]);
    expect(notRefused).toEqual([]);
  });

  it('without the guard, the plugins still refuse every spelling the router accepts', async () => {
    const leaks: string[] = [];
    let routed = 0;
    const cases = routes.flatMap((r) =>
      [r.path, ...pathSpellings(r.path, r.literal)].map((p) => [r, p] as const),
    );
    await eachLimited(cases, 8, async ([r, p]) => {
      const res = await send(bareBase, r, p);
      if (res.status !== 404) routed++;
      if (leaked(res)) leaks.push(`${r.method} ${p} → ${res.status}`);
    });
    // the router does decode escapes: most spellings reach a route, and none is served
    expect(routed).toBeGreaterThan(300);
    expect(leaks).toEqual([]);
  });

  it('signed in, the canonical path is served and a non-canonical one is still refused', async () => {
    const session = sessionCookie(await signInOver(base, EDITOR_TOKEN));
    const queues = routes.find((r) => r.path === '/review/queues/api/queues')!;
    const ok = await send(base, queues, queues.path, { cookie: session });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(CANARY);
    const odd = await send(base, queues, '/%72eview/queues/api/queues', { cookie: session });
    expect(odd.status).toBe(400);
    expect(odd.body).not.toContain(CANARY);
  });
});
