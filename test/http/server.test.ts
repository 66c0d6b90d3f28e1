import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { saveArticle } from '../../src/store/articles.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';

const READ_TOKEN = 'read-token-0123456789abcdef';
const auth = { authorization: `Bearer ${READ_TOKEN}` };

describe('web role: ops routes and read API', () => {
  const prefix = uniquePrefix('http');
  const redis = connectTestRedis();
  let ctx: AppContext;
  let app: Awaited<ReturnType<typeof buildServer>>;

  beforeAll(async () => {
    const config = testConfig(prefix, {
      WIRESIFT_API_TOKENS: READ_TOKEN,
    });
    ctx = createContext(config, createLogger('silent'));
    app = await buildServer(ctx);
    const base = {
      canonicalUrl: '',
      feedId: 'f1',
      feedUrl: 'http://feeds.example/rss',
      byline: '',
      lang: 'fr',
      agency: 'AFP',
      status: 'ok' as const,
      reason: '',
      source: 'page' as const,
      charset: 'utf-8',
      words: 120,
      fetchedAt: new Date().toISOString(),
    };
    const text = 'PARIS, 1 mars 2026 (AFP) - '.concat(
      'Le conseil municipal a voté le budget après un long débat. '.repeat(20),
    );
    for (const [id, outlet] of [
      ['a1', 'La Gazette'],
      ['a2', 'Le Courrier'],
    ] as const) {
      await saveArticle(
        ctx.redis,
        ctx.keys,
        {
          ...base,
          id,
          url: `http://${outlet.replace(' ', '')}.example/${id}`,
          outlet,
          title: `Budget ${id}`,
          publishedAt: '2026-03-01T10:00:00.000Z',
        },
        text,
        3600,
        30 * 86_400,
      );
      const { sketchText } = await import('../../src/dedup/sketch.js');
      await ctx.clusterIndex.assign({
        articleId: id,
        sketch: sketchText(text, ctx.hasher, config.dedup.shingleSize),
        publishedAt: Date.parse('2026-03-01T10:00:00Z'),
        ttlSeconds: 3600,
      });
    }
  });

  afterAll(async () => {
    await app.close();
    await ctx.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('/healthz and /readyz answer', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ ok: true });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ok: true, redis: 'up' });
  });

  it('/metrics exposes queue, article and cluster gauges', async () => {
    const r = await app.inject({ url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/wiresift_articles 2/);
    expect(r.body).toMatch(/wiresift_clusters 1/);
    expect(r.body).toMatch(/wiresift_queue_jobs\{queue="articles",state="waiting"\} 0/);
  });

  it('GET /api/clusters lists clusters with their members', async () => {
    const r = await app.inject({ url: '/api/clusters?minSize=2', headers: auth });
    expect(r.statusCode).toBe(200);
    const body = r.json() as {
      clusters: Array<{ id: string; size: number; members: Array<{ outlet: string }> }>;
    };
    expect(body.clusters).toHaveLength(1);
    expect(body.clusters[0]!.size).toBe(2);
    expect(body.clusters[0]!.members.map((m) => m.outlet).sort()).toEqual(['La Gazette', 'Le Courrier']);
    const one = await app.inject({ url: `/api/clusters/${body.clusters[0]!.id}`, headers: auth });
    expect(one.json()).toMatchObject({ id: body.clusters[0]!.id, size: 2 });
  });

  it('answers 400 on bad paging and 404 on an unknown cluster', async () => {
    expect((await app.inject({ url: '/api/clusters?limit=0', headers: auth })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/clusters?minSize=x', headers: auth })).statusCode).toBe(400);
    const r = await app.inject({ url: '/api/clusters/nope', headers: auth });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: 'cluster nope not found' });
  });
});
