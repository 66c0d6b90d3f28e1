import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { type Cookies, cookieHeader, signIn } from './inject-session.js';
import { API_TOKEN, budgetStory, EDITOR_TOKEN, reviewConfig, STORY, seedArticles } from './seed.js';

const XSS_TITLE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">Budget';
const XSS_BODY = `${STORY.replace('après un débat de six heures', 'après six heures de débat')} <script>alert(1)</script> <img src=x onerror=alert(2)> "quoted" & more`;

describe('review page over HTTP', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('review-http');
  let ctx: AppContext;
  let app: FastifyInstance;
  let jar: Cookies;
  let clusterId: string;

  beforeAll(async () => {
    ctx = createContext(reviewConfig(prefix), createLogger('silent'));
    app = await buildServer(ctx);
    const [a1, a2, a3] = budgetStory();
    await seedArticles(ctx, [a1!, a2!, { ...a3!, title: XSS_TITLE, body: XSS_BODY }]);
    clusterId = (await redis.hget(ctx.keys.article('a1'), 'cluster'))!;
    ({ jar } = await signIn(app));
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  const get = (url: string, j: Cookies = jar) => app.inject({ url, headers: { cookie: cookieHeader(j) } });
  const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(fields).toString(),
    });
  const csrfOf = async (url: string) => /name="_csrf" value="([^"]+)"/.exec((await get(url)).body)![1]!;

  it('nothing is readable without signing in', async () => {
    const r = await get('/review', {});
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/review/login');
    expect((await get(`/review/clusters/${clusterId}`, {})).statusCode).toBe(303);
    expect((await get('/review/queues/', {})).statusCode).toBe(401);
    expect((await get('/review/queues/api/queues', {})).statusCode).toBe(401);
    const action = await app.inject({
      method: 'POST',
      url: `/review/clusters/${clusterId}/reviewed`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(action.statusCode).toBe(401);
  });

  it('an address that keeps guessing gets 429 until its window ends; its counter expires with the window', async () => {
    const config = reviewConfig(prefix);
    config.review.signInMaxFailures = 3;
    const limitedCtx = createContext(config, createLogger('silent'));
    const limited = await buildServer(limitedCtx);
    try {
      for (let i = 0; i < 3; i++)
        expect((await signIn(limited, `guess-${i}-0123456789abcdef`)).status).toBe(401);
      const blocked = await signIn(limited, 'guess-3-0123456789abcdef');
      expect(blocked.status).toBe(429);
      expect(blocked.jar.wiresift_review).toBeUndefined();
      const keys = await redis.keys(`${prefix}review:signin-failures:*`);
      expect(keys).toHaveLength(1);
      const ttl = await redis.ttl(keys[0]!);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(15 * 60);
      expect(await redis.ttl(`${prefix}review:signin-failures-all`)).toBeGreaterThan(0);
      // The window ends: wrong tokens get 401 again.
      await redis.del(keys[0]!);
      expect((await signIn(limited, 'guess-4-0123456789abcdef')).status).toBe(401);
    } finally {
      await limited.close();
      await limitedCtx.close();
    }
  });

  it('a wrong token is refused; an API token is not an editor token', async () => {
    expect((await signIn(app, 'wrong-token-0123456789abcdef')).status).toBe(401);
    const api = await signIn(app, API_TOKEN);
    expect(api.status).toBe(401);
    expect(api.jar.wiresift_review).toBeUndefined();
  });

  it('signed in, the list shows the cluster with outlets, agency and the escaped title', async () => {
    const r = await get('/review');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.body).toContain(`/review/clusters/${clusterId}`);
    expect(r.body).toMatch(
      /<td class="num" data-label="Outlets">3<\/td><td class="num" data-label="Articles">3<\/td><td data-label="Agency">AFP<\/td>/,
    );
    expect(r.body).toContain('alice');
  });

  it('scraped title and body are escaped everywhere they appear', async () => {
    for (const url of [
      '/review?q=budget',
      `/review/clusters/${clusterId}`,
      `/review/clusters/${clusterId}?diff=a3`,
    ]) {
      const body = (await get(url)).body;
      expect(body).not.toMatch(/<script/i);
      expect(body).not.toMatch(/<img[^>]*onerror/i);
    }
    const page = (await get(`/review/clusters/${clusterId}?diff=a3`)).body;
    expect(page).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('the cluster page lists members with similarity and copy kind, and diffs word by word', async () => {
    const page = (await get(`/review/clusters/${clusterId}?diff=a2`)).body;
    for (const outlet of ['La Gazette', 'Le Courrier', 'Info Express']) expect(page).toContain(outlet);
    expect(page).toMatch(/<span class="badge rep">representative<\/span>/);
    expect(page).toMatch(/<span class="badge updated">updated<\/span>/);
    expect(page).toContain('<ins>Le préfet dispose de deux mois pour contrôler la délibération.</ins>');
    const a3 = (await get(`/review/clusters/${clusterId}?diff=a3`)).body;
    expect(a3).toMatch(/<del>[^<]+<\/del>/);
    expect(a3).toMatch(/<ins>[^<]*de débat[^<]*<\/ins>/);
    // The similarity column says which measure it shows and against which member.
    expect(page).toContain('<a href="#similarity-help">Same text as the representative</a>');
    expect(page).toMatch(/id="similarity-help">[\s\S]*Jaccard[\s\S]*containment[\s\S]*Why it joined/);
  });

  it('filters: text, outlet, language, size and reviewed', async () => {
    const has = async (q: string) =>
      (await get(`/review?${q}`)).body.includes(`/review/clusters/${clusterId}"`);
    expect(await has('q=brevannes')).toBe(true); // accent-insensitive
    expect(await has('q=nothing-like-this')).toBe(false);
    expect(await has('outlet=courrier')).toBe(true);
    expect(await has('outlet=le+monde')).toBe(false);
    expect(await has('lang=fr')).toBe(true);
    expect(await has('lang=en')).toBe(false);
    expect(await has('reviewed=yes')).toBe(false);
    expect(await has('reviewed=no')).toBe(true);
  });

  it('actions need the CSRF token and a same-origin request', async () => {
    const url = `/review/clusters/${clusterId}/reviewed`;
    expect((await post(url, {})).statusCode).toBe(403);
    expect((await post(url, { _csrf: 'forged' })).statusCode).toBe(403);
    const csrf = await csrfOf(`/review/clusters/${clusterId}`);
    expect((await post(url, { _csrf: csrf }, { origin: 'http://evil.example' })).statusCode).toBe(403);
    expect(await redis.hget(ctx.keys.cluster(clusterId), 'reviewedAt')).toBeNull();
    const ok = await post(url, { _csrf: csrf });
    expect(ok.statusCode).toBe(303);
    expect(await redis.hget(ctx.keys.cluster(clusterId), 'reviewedBy')).toBe('alice');
  });

  it('split from the page, then undo from the page', async () => {
    const csrf = await csrfOf(`/review/clusters/${clusterId}`);
    const r = await post(`/review/clusters/${clusterId}/split`, { _csrf: csrf, articleId: 'a3' });
    expect(r.statusCode).toBe(303);
    const into = new URL(r.headers.location!, 'http://x').searchParams.get('into')!;
    expect(await redis.hget(ctx.keys.article('a3'), 'cluster')).toBe(into);
    const page = (await get(r.headers.location!)).body;
    expect(page).toContain(`Split out into cluster ${into}`);
    expect(page).toMatch(/Undo split of “[^”]+” \(Info Express\) out into c\d+/);
    const bad = await post(`/review/clusters/${clusterId}/split`, { _csrf: csrf, articleId: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('article nope is not in cluster');
    const entry = /name="entry" value="([^"]+)"/.exec(page)![1]!;
    const u = await post(`/review/clusters/${into}/undo`, { _csrf: csrf, entry });
    expect(u.statusCode).toBe(303);
    expect(await redis.hget(ctx.keys.article('a3'), 'cluster')).toBe(clusterId);
  });

  it('the queue dashboard is served behind sign-in and refuses writes', async () => {
    const page = await get('/review/queues/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('wiresift queues');
    const api = await get('/review/queues/api/queues');
    expect(api.statusCode).toBe(200);
    expect(JSON.stringify(api.json())).toContain('dedup');
    const csrf = await csrfOf(`/review/clusters/${clusterId}`);
    for (const [method, url] of [
      ['PUT', '/review/queues/api/queues/pause'],
      ['POST', '/review/queues/api/queues/dedup/add'],
    ] as const) {
      const w = await app.inject({
        method,
        url,
        headers: { cookie: cookieHeader(jar), 'content-type': 'application/json' },
        payload: JSON.stringify({ _csrf: csrf, name: 'x', data: {} }),
      });
      expect(w.statusCode).toBe(403);
    }
    expect(await ctx.queues.dedup.isPaused()).toBe(false);
    expect(await ctx.queues.dedup.count()).toBe(0);
  });

  it('sign-out ends the session', async () => {
    const { jar: j } = await signIn(app);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await get('/review', j)).body)![1]!;
    await app.inject({
      method: 'POST',
      url: '/review/logout',
      headers: { cookie: cookieHeader(j), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect((await get('/review', j)).statusCode).toBe(303);
  });

  it('/api needs a read token; editor tokens work too; articles and since cursor', async () => {
    expect((await app.inject({ url: '/api/clusters' })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/api/clusters', headers: { authorization: 'Bearer nope-nope-nope-nope' } }))
        .statusCode,
    ).toBe(401);
    const h = (t: string) => ({ authorization: `Bearer ${t}` });
    expect((await app.inject({ url: '/api/clusters', headers: h(EDITOR_TOKEN) })).statusCode).toBe(200);
    const art = await app.inject({ url: '/api/articles/a3', headers: h(API_TOKEN) });
    expect(art.statusCode).toBe(200);
    expect(art.json()).toMatchObject({
      id: 'a3',
      title: XSS_TITLE,
      cluster: clusterId,
      words: expect.any(Number),
    });
    expect(art.json().body).toContain('<script>alert(1)</script>'); // JSON keeps the text as it is
    expect(art.json()).not.toHaveProperty('shingles');
    expect(art.json()).not.toHaveProperty('ref');
    expect((await app.inject({ url: '/api/articles/zz', headers: h(API_TOKEN) })).statusCode).toBe(404);
    // marked reviewed from the page earlier: the API says by whom and when
    const reviewed = (await app.inject({ url: `/api/clusters/${clusterId}`, headers: h(API_TOKEN) })).json();
    expect(reviewed).toMatchObject({
      reviewedBy: 'alice',
      reviewedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const first = (await app.inject({ url: '/api/clusters?since=0&limit=1', headers: h(API_TOKEN) })).json();
    expect(first.clusters).toHaveLength(1);
    expect(first.next).toMatch(/^\d+:c\d+$/);
    const seen = [first.clusters[0].id];
    let cursor = first.next;
    for (;;) {
      const page = (
        await app.inject({ url: `/api/clusters?since=${cursor}&limit=1`, headers: h(API_TOKEN) })
      ).json();
      if (!page.clusters.length) {
        expect(page.next).toBe(cursor);
        break;
      }
      seen.push(page.clusters[0].id);
      cursor = page.next;
    }
    const all = await redis.zrange(ctx.keys.clustersByUpdate, '0', '-1');
    expect(seen).toEqual(all);
    expect((await app.inject({ url: '/api/clusters?since=bogus', headers: h(API_TOKEN) })).statusCode).toBe(
      400,
    );
  });
});
