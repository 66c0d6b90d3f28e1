/** Every key family has a bound: article hashes, clusters and the time indexes included. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placementFor } from '../../src/dedup/cluster-policy.js';
import { DEFAULT_DEDUP_POLICY, DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE } from '../../src/dedup/defaults.js';
import { optimalLshParams } from '../../src/dedup/lsh-params.js';
import { MinHasher } from '../../src/dedup/minhash.js';
import { INDEX_SKETCH, sketchText } from '../../src/dedup/sketch.js';
import { saveArticle } from '../../src/store/articles.js';
import { pruneBlockedPairs } from '../../src/store/blocked-pairs.js';
import { ClusterIndex } from '../../src/store/cluster-index.js';
import { keysFor } from '../../src/store/keys.js';
import { articleRecord } from '../support/article-record.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';

const DAY = 86_400;
const record = articleRecord;

describe('retention', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  beforeAll(() => {
    redis = connectTestRedis();
  });
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(redis, p);
    redis.disconnect();
  });
  const fresh = (name: string) => {
    const p = uniquePrefix(name);
    prefixes.push(p);
    return keysFor(p);
  };

  it('gives an article hash its TTL once and drops time-index entries older than the retention', async () => {
    const keys = fresh('articles');
    const old = new Date(Date.now() - 40 * DAY * 1000).toISOString();
    await saveArticle(redis, keys, record('old', old), 'a b c', 3600, 30 * DAY);
    // an article first seen 40 days ago leaves the time index as soon as anything is saved
    expect(await redis.zscore(keys.articlesByTime, 'old')).toBeNull();
    const now = new Date().toISOString();
    const failed = { ...record('new', now), status: 'failed' as const, reason: 'fetch: HTTP 503' };
    await saveArticle(redis, keys, failed, '', 3600, 30 * DAY);
    const ttl = await redis.ttl(keys.article('new'));
    expect(ttl).toBeGreaterThan(30 * DAY - 10);
    await redis.expire(keys.article('new'), 1000);
    // a retried save (the page came back) keeps the expiry it had, as it keeps the first-seen time
    expect(await saveArticle(redis, keys, record('new', now), 'a b c', 3600, 30 * DAY)).toEqual({
      written: true,
    });
    expect(await redis.hget(keys.article('new'), 'status')).toBe('ok');
    expect(await redis.ttl(keys.article('new'))).toBeLessThanOrEqual(1000);
    expect(await redis.zcard(keys.articlesByTime)).toBe(1);
  });

  it('keeps a cluster for the retention after its last change, then forgets it in the update index', async () => {
    const keys = fresh('clusters');
    let now = Date.UTC(2026, 0, 10);
    const { bands, rows } = optimalLshParams(DEFAULT_DEDUP_POLICY.candidateThreshold, DEFAULT_NUM_PERM);
    const index = new ClusterIndex(redis, keys, {
      bands,
      rows,
      format: INDEX_SKETCH,
      place: placementFor(DEFAULT_DEDUP_POLICY),
      retainSeconds: 2 * DAY,
      now: () => now,
    });
    const hasher = new MinHasher({ numPerm: DEFAULT_NUM_PERM, seed: 1 });
    const text = (n: number) => Array.from({ length: 80 }, (_, i) => `w${n}x${i}`).join(' ');
    const a = await index.assign({
      articleId: 'a',
      sketch: sketchText(text(1), hasher, DEFAULT_SHINGLE_SIZE),
      publishedAt: now,
      ttlSeconds: 3600,
    });
    const ttl = await redis.ttl(keys.cluster(a.clusterId));
    expect(ttl).toBeGreaterThan(2 * DAY - 10);
    expect(await redis.ttl(keys.clusterMembers(a.clusterId))).toBeGreaterThan(2 * DAY - 10);
    now += 3 * DAY * 1000;
    const b = await index.assign({
      articleId: 'b',
      sketch: sketchText(text(2), hasher, DEFAULT_SHINGLE_SIZE),
      publishedAt: now,
      ttlSeconds: 3600,
    });
    // the first cluster's last change is 3 days old: it left the index of clusters by update
    expect(await redis.zrange(keys.clustersByUpdate, 0, -1)).toEqual([b.clusterId]);
  });

  it('drops blocked pairs whose articles are gone', async () => {
    const keys = fresh('blocked');
    await redis.hset(keys.article('x1'), 'id', 'x1');
    await redis.hset(keys.article('x2'), 'id', 'x2');
    await redis.sadd(keys.blockedPairs, 'x1|x2', 'x1|gone', 'gone|other');
    expect(await pruneBlockedPairs(redis, keys)).toBe(2);
    expect(await redis.smembers(keys.blockedPairs)).toEqual(['x1|x2']);
  });
});
