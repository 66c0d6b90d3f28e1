import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { sketchText } from '../../src/dedup/sketch.js';
import { createLogger } from '../../src/log.js';
import { reconcile } from '../../src/ops/reconcile.js';
import { articleJobId } from '../../src/queues/job-ids.js';
import { saveArticle } from '../../src/store/articles.js';
import { articleJobAt } from '../support/article-job.js';
import { dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';
import { threadPartition, threadStore } from '../support/thread-store.js';
import { HOUR, landslide } from '../threads/fixtures.js';

let ctx: AppContext;
let prefix: string;
const base = 'https://news.example';

function stored(id: string) {
  return {
    id,
    url: `${base}/${id}`,
    canonicalUrl: `${base}/${id}`,
    feedId: 'f1',
    feedUrl: `${base}/feed.xml`,
    outlet: 'Test',
    title: id,
    byline: '',
    publishedAt: '',
    lang: 'fr',
    agency: '',
    status: 'ok' as const,
    reason: '',
    source: 'page' as const,
    charset: 'utf-8',
    words: 3,
    fetchedAt: new Date().toISOString(),
  };
}

beforeAll(async () => {
  prefix = uniquePrefix('reconcile');
  ctx = createContext(testConfig(prefix), createLogger('silent'));
});

afterAll(async () => {
  await dropPrefix(ctx.redis, prefix);
  await ctx.close();
});

describe('reconcile', () => {
  it('re-enqueues seen URLs without an article and articles without a cluster, once, with the same job ids', async () => {
    const { redis, keys, queues } = ctx;
    const failed = articleJobAt(base, '/failed', { outlet: 'Le Journal', item: { title: 'Kept title' } });
    const waiting = articleJobAt(base, '/waiting');
    for (const j of [failed, waiting, articleJobAt(base, '/gone')])
      await redis.set(keys.urlIndex(j.articleId), j.canonicalUrl);
    // A job that failed for good during an outage: its id would make a plain re-add a no-op.
    await queues.articles.add('article', failed, { jobId: articleJobId(failed.articleId) });
    const job = (await queues.articles.getJob(articleJobId(failed.articleId)))!;
    await redis.zadd(`${queues.articles.qualifiedName}:failed`, Date.now(), job.id!);
    await redis.lrem(`${queues.articles.qualifiedName}:wait`, 0, job.id!);
    expect(await queues.articles.getJobState(job.id!)).toBe('failed');
    await queues.articles.add('article', waiting, { jobId: articleJobId(waiting.articleId) });
    // Stored and clustered; stored, no cluster; stored, no cluster and its body expired.
    for (const id of ['clustered', 'unclustered', 'expired'])
      await saveArticle(redis, keys, stored(id), 'a b c', 3600, 30 * 86_400);
    await redis.hset(keys.article('clustered'), 'cluster', 'c1');
    // First seen before the dedup window: nothing left to join, and not read at all.
    await saveArticle(
      redis,
      keys,
      { ...stored('ancient'), fetchedAt: '2020-01-01T00:00:00Z' },
      'a b c',
      3600,
      30 * 86_400,
    );
    await redis.del(keys.articleBody('expired'));

    const first = await reconcile(ctx);
    expect(first).toMatchObject({
      seenUrls: 3,
      articles: 3,
      missingArticle: 2,
      missingCluster: 2,
      bodyExpired: 1,
      inFlight: 1,
      reenqueued: { articles: 2, dedup: 1 },
      rebuilt: 1,
    });
    const again = await queues.articles.getJob(articleJobId(failed.articleId));
    expect(await again!.getState()).toBe('waiting');
    expect(again!.data).toEqual(failed);
    expect(again!.attemptsMade).toBe(0);
    const rebuilt = await queues.articles.getJob(articleJobId('gone'));
    expect(rebuilt!.data).toMatchObject({ articleId: 'gone', url: `${base}/gone`, outlet: 'news.example' });
    expect(await queues.dedup.getJobState(articleJobId('unclustered'))).toBe('waiting');
    expect(await queues.dedup.getJobState(articleJobId('ancient'))).toBe('unknown');

    // Idempotent: everything is on its way now.
    const second = await reconcile(ctx);
    expect(second).toMatchObject({
      missingArticle: 0,
      missingCluster: 1,
      bodyExpired: 1,
      inFlight: 4,
      reenqueued: { articles: 0, dedup: 0 },
    });
    expect(await queues.articles.getWaitingCount()).toBe(3);

    const dry = await reconcile(ctx, { dryRun: true });
    expect(dry.reenqueued).toEqual({ articles: 0, dedup: 0 });
  });

  it('runs the thread step of clusters whose step never committed', async () => {
    const own = uniquePrefix('reconcile-threads');
    const octx = createContext(testConfig(own), createLogger('silent'));
    try {
      const store = threadStore(octx.redis, octx.keys, Date.now);
      const t0 = Date.now() - 30 * HOUR;
      // Clustered, but the jobs died before their thread steps.
      for (const [id, text, at] of [
        ['r1', landslide.day1, t0],
        ['r2', landslide.day2, t0 + 26 * HOUR],
      ] as const) {
        await store.store({ id, text, publishedAt: at });
        await store.clusters.assign({
          articleId: id,
          sketch: sketchText(text, octx.hasher, octx.config.dedup.shingleSize),
          publishedAt: at,
          ttlSeconds: 3600,
        });
      }
      expect(await threadPartition(octx.redis, octx.keys, ['r1', 'r2'])).toEqual([]);
      const dry = await reconcile(octx, { dryRun: true });
      expect(dry.rethreaded).toBe(2);
      expect(await threadPartition(octx.redis, octx.keys, ['r1', 'r2'])).toEqual([]);
      expect((await reconcile(octx)).rethreaded).toBe(2);
      expect(await threadPartition(octx.redis, octx.keys, ['r1', 'r2'])).toEqual([['r1', 'r2']]);
      expect((await reconcile(octx)).rethreaded).toBe(0);
    } finally {
      await dropPrefix(octx.redis, own);
      await octx.close();
    }
  });
});
