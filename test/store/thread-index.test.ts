import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type Keys, keysFor } from '../../src/store/keys.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { type StoryDoc, threadPartition, threadStore } from '../support/thread-store.js';
import { closes, digest, factoryFire, HOUR, landslide, T0 } from '../threads/fixtures.js';

const now = () => T0 + 40 * HOUR;

const docs: StoryDoc[] = [
  { id: 'a1', text: landslide.day1, publishedAt: T0 },
  { id: 'a1b', text: `${landslide.day1}\n\nAvec AFP.`, publishedAt: T0 + HOUR },
  { id: 'a2', text: landslide.english, publishedAt: T0 + 2 * HOUR, lang: 'en' },
  { id: 'a3', text: landslide.day2, publishedAt: T0 + 26 * HOUR },
  { id: 'a4', text: factoryFire, publishedAt: T0 + 14 * HOUR },
  { id: 'a5', text: closes.monday, publishedAt: T0 - 16 * HOUR, lang: 'en', agency: 'Reuters' },
  { id: 'a6', text: closes.tuesday, publishedAt: T0 + 8 * HOUR, lang: 'en', agency: 'Reuters' },
  { id: 'a7', text: closes.wednesday, publishedAt: T0 + 32 * HOUR, lang: 'en', agency: 'Reuters' },
  { id: 'a8', text: digest, publishedAt: T0 + 24 * HOUR, agency: '' },
];
const ids = docs.map((d) => d.id);
const STORY = ['a1', 'a1b', 'a2', 'a3'];

function shuffled<T>(items: T[], seed: number): T[] {
  const out = items.slice();
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function events(redis: Redis, keys: Keys) {
  const entries = await redis.xrange(keys.events, '-', '+');
  return entries
    .map(([, f]) =>
      Object.fromEntries(Array.from({ length: f.length / 2 }, (_, i) => [f[2 * i], f[2 * i + 1]])),
    )
    .filter((e) => e.type?.startsWith('thread.'));
}

describe('ThreadIndex on a real Redis', () => {
  const redis = connectTestRedis();
  const prefixes: string[] = [];
  const fresh = () => {
    const prefix = uniquePrefix('threads');
    prefixes.push(prefix);
    return keysFor(prefix);
  };
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(redis, p);
    redis.disconnect();
  });

  it('threads a developing story and its translation, not the series, the other story or the roundup', async () => {
    const keys = fresh();
    const store = threadStore(redis, keys, now);
    for (const d of docs) await store.add(d);
    expect(await threadPartition(redis, keys, ids)).toEqual([STORY]);

    const cluster = (await redis.hget(keys.article('a1'), 'cluster'))!;
    const thread = (await redis.hget(keys.cluster(cluster), 'thread'))!;
    expect(thread).toMatch(/^t\d+$/);
    const hash = await redis.hgetall(keys.thread(thread));
    expect(hash).toMatchObject({ id: thread, size: '3' });
    // Clusters in time order: the French dispatch, its translation, the follow-up.
    const clusters = await redis.zrange(keys.threadClusters(thread), '0', '-1', 'WITHSCORES');
    const firstOf = async (a: string) => (await redis.hget(keys.article(a), 'cluster'))!;
    expect(clusters).toEqual([
      await firstOf('a1'),
      String(T0),
      await firstOf('a2'),
      String(T0 + 2 * HOUR),
      await firstOf('a3'),
      String(T0 + 26 * HOUR),
    ]);
    expect(await redis.zrange(keys.threadsByUpdate, '0', '-1')).toEqual([thread]);

    const evs = await events(redis, keys);
    expect(evs.filter((e) => e.type === 'thread.created').map((e) => e.threadId)).toEqual([thread]);
    for (const e of evs) {
      expect(e.threadId).toBe(thread);
      expect(Object.keys(e).slice(0, 6)).toEqual([
        'type',
        'clusterId',
        'articleId',
        'mergedFrom',
        'representative',
        'at',
      ]);
    }
  });

  it('gives the same threads in any arrival order, and a repeated step changes nothing', async () => {
    const expected = [STORY];
    for (const seed of [3, 11, 29]) {
      const keys = fresh();
      const store = threadStore(redis, keys, now);
      for (const d of shuffled(docs, seed)) await store.add(d);
      expect(await threadPartition(redis, keys, ids), `order ${seed}`).toEqual(expected);

      // A retried job runs the thread step of its cluster again: no change, no event.
      const before = (await events(redis, keys)).length;
      const clusterIds = new Set(await Promise.all(ids.map((a) => redis.hget(keys.article(a), 'cluster'))));
      for (const c of clusterIds) {
        // Forced: the whole step again, not the shortcut for an unchanged story.
        const u = await store.threads.update(c!, { force: true });
        expect(
          u.created.length + u.updated.length + u.merged.length + u.dissolved.length,
          JSON.stringify(u),
        ).toBe(0);
      }
      expect((await events(redis, keys)).length).toBe(before);
      expect(await threadPartition(redis, keys, ids)).toEqual(expected);
    }
  });

  it('four workers at once give the threads one worker gives', async () => {
    const keys = fresh();
    const connections = Array.from({ length: 4 }, () => connectTestRedis());
    try {
      const stores = connections.map((c) => threadStore(c, keys, now));
      // Clusters first, one worker (ClusterIndex's own concurrency is tested elsewhere)...
      const results = [];
      for (const d of docs) {
        await stores[0]!.store(d);
        results.push(await stores[0]!.add(d));
      }
      // ...then every cluster's thread step again, by four workers at once, twice over.
      const clusterIds = [...new Set(results.map((r) => r.result.clusterId))];
      await Promise.all(
        [...clusterIds, ...clusterIds].map((c, i) => stores[i % 4]!.threads.update(c, { force: true })),
      );
      expect(await threadPartition(redis, keys, ids)).toEqual([STORY]);
    } finally {
      for (const c of connections) c.disconnect();
    }
  });

  it('threads found apart are merged by the cluster that links them', async () => {
    const keys = fresh();
    const store = threadStore(redis, keys, now);
    // The follow-up and the French dispatch share little with the English version's
    // lead alone; the full dispatches tie them together.
    const lead = landslide.day1.split('\n\n').slice(0, 2).join('\n\n');
    await store.add({ id: 'b1', text: landslide.day2, publishedAt: T0 + 26 * HOUR });
    await store.add({ id: 'b2', text: lead, publishedAt: T0 });
    const t1 = await threadPartition(redis, keys, ['b1', 'b2']);
    expect(t1).toEqual([['b1', 'b2']]);
    await store.add({ id: 'b3', text: landslide.english, publishedAt: T0 + 2 * HOUR, lang: 'en' });
    expect(await threadPartition(redis, keys, ['b1', 'b2', 'b3'])).toEqual([['b1', 'b2', 'b3']]);
  });

  it('a cluster merged away leaves its thread; a thread left with one cluster dissolves', async () => {
    const keys = fresh();
    const store = threadStore(redis, keys, now);
    for (const d of docs.slice(0, 4)) await store.add(d);
    const clusterOf = async (a: string) => (await redis.hget(keys.article(a), 'cluster'))!;
    const [c1, c2, c3] = [await clusterOf('a1'), await clusterOf('a2'), await clusterOf('a3')];
    const thread = (await redis.hget(keys.cluster(c1), 'thread'))!;
    // What the dedup commit does to an absorbed cluster: its hash and members go.
    await redis.del(keys.cluster(c3), keys.clusterMembers(c3));
    // The thread step after that commit names it among the clusters merged away.
    await store.threads.update(c3);
    expect(await redis.zrange(keys.threadClusters(thread), '0', '-1')).toEqual([c1, c2]);
    expect(await redis.exists(keys.story(c3))).toBe(0);
    expect(await redis.hget(keys.thread(thread), 'size')).toBe('2');

    await redis.del(keys.cluster(c2), keys.clusterMembers(c2));
    const u = await store.threads.update(c2);
    expect(u.dissolved).toEqual([thread]);
    expect(await redis.exists(keys.thread(thread), keys.threadClusters(thread))).toBe(0);
    expect(await redis.hget(keys.cluster(c1), 'thread')).toBeNull();
    expect(await redis.zrange(keys.threadsByUpdate, '0', '-1')).toEqual([]);
    const last = (await events(redis, keys)).at(-1)!;
    expect(last).toMatchObject({ type: 'thread.updated', threadId: thread, clusterId: c2 });
  });
});

describe('the thread step skips a cluster whose story did not change', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('threads-skip');
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('a shorter copy joining changes no story and costs no query; a longer one does', async () => {
    const keys = keysFor(prefix);
    const store = threadStore(redis, keys, now);
    await store.add({ id: 'd1', text: landslide.day1, publishedAt: T0 });
    await store.add({ id: 'd2', text: landslide.day2, publishedAt: T0 + 26 * HOUR });
    const cluster = (await redis.hget(keys.article('d1'), 'cluster'))!;
    const v = await redis.hget(keys.story(cluster), 'v');
    const epoch = await redis.get(keys.threadEpoch);
    // The lead paragraphs only: a short copy, not the most complete one.
    const short = landslide.day1.split('\n\n').slice(0, 3).join('\n\n');
    const r = await store.add({ id: 'd1s', text: short, publishedAt: T0 + HOUR });
    expect(r.result.clusterId).toBe(cluster);
    expect(await redis.hget(keys.story(cluster), 'v')).toBe(v);
    expect(await redis.get(keys.threadEpoch)).toBe(epoch);
    // A fuller copy is the cluster's story now: read anew.
    await store.add({
      id: 'd1l',
      text: `${landslide.day1}\n\nLa route restera fermée plusieurs jours, selon la préfecture de l'Aude.`,
      publishedAt: T0 + 2 * HOUR,
    });
    expect(await redis.hget(keys.story(cluster), 'src')).toMatch(/^d1l:/);
    expect(await threadPartition(redis, keys, ['d1', 'd1s', 'd1l', 'd2'])).toEqual([
      ['d1', 'd1l', 'd1s', 'd2'],
    ]);
  });
});
