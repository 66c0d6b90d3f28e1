import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import type { ApiThread, ApiThreadPage } from '../../src/store/contract-types.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { HOUR, T0 } from '../threads/fixtures.js';
import { type Cookies, cookieHeader, signIn } from './inject-session.js';
import { API_TOKEN, BOB_TOKEN, reviewConfig, seedArticles } from './seed.js';
import { THREAD_ARTICLES } from './thread-seed.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('threads over HTTP: the API and the review page', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('threads-http');
  let ctx: AppContext;
  let app: FastifyInstance;
  let jar: Cookies;
  let bob: Cookies;
  const clusterOf = async (a: string) => (await redis.hget(ctx.keys.article(a), 'cluster'))!;
  const threadOf = async (a: string) => redis.hget(ctx.keys.cluster(await clusterOf(a)), 'thread');

  beforeAll(async () => {
    ctx = createContext(reviewConfig(prefix), createLogger('silent'));
    app = await buildServer(ctx);
    await seedArticles(ctx, THREAD_ARTICLES, { threads: true });
    ({ jar } = await signIn(app));
    ({ jar: bob } = await signIn(app, BOB_TOKEN));
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  const api = (url: string) => app.inject({ url, headers: { authorization: `Bearer ${API_TOKEN}` } });
  const get = (url: string, j = jar) => app.inject({ url, headers: { cookie: cookieHeader(j) } });
  const post = async (url: string, fields: Record<string, string>, j = jar) => {
    const page = await get(url.replace(/\/[a-z]+$/, ''), j);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    return app.inject({
      method: 'POST',
      url,
      headers: { cookie: cookieHeader(j), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
  };

  it('GET /api/threads and /api/threads/:id: clusters in time order with their versions', async () => {
    const page = (await api('/api/threads')).json() as ApiThreadPage;
    expect(page.threads).toHaveLength(1);
    const t = (await api(`/api/threads/${page.threads[0]!.id}`)).json() as ApiThread;
    expect(t.id).toBe(await threadOf('a1'));
    expect(t.clusters.map((c) => [c.id, c.version])).toEqual([
      [await clusterOf('a0'), 'flash'],
      [await clusterOf('a1'), 'first'],
      [await clusterOf('a2'), 'translation'],
      [await clusterOf('a3'), 'follow-up'],
    ]);
    expect(t.clusters[0]!.at).toBe(iso(T0 - HOUR));
    expect(t.headline).toMatchObject({
      clusterId: await clusterOf('a3'),
      title: 'Vernasque : le versant toujours instable',
    });
    // The cluster says which thread it is in; the series and the other story are in none.
    const c = (await api(`/api/clusters/${await clusterOf('a1')}`)).json() as { thread: string };
    expect(c.thread).toBe(t.id);
    for (const a of ['a4', 'a5', 'a6']) expect(await threadOf(a)).toBeNull();
    expect((await api('/api/threads/t999')).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/threads' })).statusCode).toBe(401);
  });

  it('the review page shows the thread as a timeline, linked from its clusters', async () => {
    const thread = (await threadOf('a1'))!;
    const list = await get('/review/threads');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/review/threads/${thread}"`);
    const page = await get(`/review/threads/${thread}`);
    expect(page.body).toMatch(/<ol class="timeline"/);
    const order = ['a0', 'a1', 'a2', 'a3'];
    const at = await Promise.all(order.map(async (a) => page.body.indexOf(`id="t-${await clusterOf(a)}"`)));
    expect(at.every((x, i) => x > 0 && (i === 0 || x > at[i - 1]!))).toBe(true);
    for (const v of ['flash', 'first', 'translation', 'follow-up'])
      expect(page.body).toContain(`>${v}</span>`);
    const cluster = await get(`/review/clusters/${await clusterOf('a2')}`);
    expect(cluster.body).toContain(`Part of story thread <a href="/review/threads/${thread}">`);
    expect((await get('/review/threads', {})).statusCode).toBe(303);
  });

  it('moving a cluster out sticks; only its editor undoes it', async () => {
    const thread = (await threadOf('a1'))!;
    const english = await clusterOf('a2');
    const r = await post(`/review/threads/${thread}/remove`, { clusterId: english });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/review/threads/${thread}?done=thread-remove`);
    expect(await threadOf('a2')).toBeNull();
    // Every cluster's thread step again, as later dedup jobs would run them: it stays out.
    for (const a of ['a0', 'a1', 'a2', 'a3'])
      await ctx.threadIndex!.update(await clusterOf(a), { force: true });
    expect(await threadOf('a2')).toBeNull();
    expect(await threadOf('a3')).toBe(thread);
    const audit = await redis.xrevrange(`${prefix}review:audit`, '+', '-', 'COUNT', 1);
    expect(audit[0]![1]).toEqual(expect.arrayContaining(['action', 'thread-remove', 'editor', 'alice']));

    const page = await get(`/review/threads/${thread}`);
    expect(page.body).toContain(`Undo move of ${english}`);
    const nonce = /name="entry" value="([^"]+)"/.exec(page.body)![1]!;
    expect((await get(`/review/threads/${thread}`, bob)).body).toContain('Only alice can undo it');
    expect((await post(`/review/threads/${thread}/undo`, { entry: nonce }, bob)).statusCode).toBe(409);
    expect(await threadOf('a2')).toBeNull();
    const undone = await post(`/review/threads/${thread}/undo`, { entry: nonce });
    expect(undone.statusCode).toBe(303);
    expect(await threadOf('a2')).toBe(thread);
  });

  it('joining a cluster in no thread, then two threads; undo forgets the join', async () => {
    const thread = (await threadOf('a1'))!;
    const fire = await clusterOf('a4');
    const joined = await post(`/review/clusters/${fire}/thread`, { thread });
    expect(joined.statusCode).toBe(303);
    expect(await threadOf('a4')).toBe(thread);
    for (const a of ['a1', 'a4']) await ctx.threadIndex!.update(await clusterOf(a), { force: true });
    expect(await threadOf('a4')).toBe(thread);
    const t = (await api(`/api/threads/${thread}`)).json() as ApiThread;
    expect(t.clusters.map((c) => c.id)).toContain(fire);

    const nonce = /name="entry" value="([^"]+)"/.exec((await get(`/review/threads/${thread}`)).body)![1]!;
    expect((await post(`/review/threads/${thread}/undo`, { entry: nonce })).statusCode).toBe(303);
    expect(await threadOf('a4')).toBeNull();

    // Two days of a series are never threaded automatically; an editor may say otherwise.
    const monday = await clusterOf('a5');
    const tuesday = await clusterOf('a6');
    await post(`/review/clusters/${monday}/thread`, { thread });
    const r = await post(`/review/threads/${thread}/join`, { other: tuesday });
    expect(r.statusCode).toBe(303);
    expect(await threadOf('a6')).toBe(thread);
    const bad = await post(`/review/threads/${thread}/join`, { other: 'nonsense' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('give a thread id');
  });
});
