import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysFor } from '../../src/store/keys.js';
import { runCli } from '../support/cli.js';
import { connectTestRedis, dropPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';
import { threadStore } from '../support/thread-store.js';
import { factoryFire, HOUR, landslide, T0 } from '../threads/fixtures.js';

describe('wiresift threads and clusters --json', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('threads-cli');
  const keys = keysFor(prefix);
  const env = { REDIS_URL: testRedisUrl(), WIRESIFT_PREFIX: prefix, LOG_LEVEL: 'silent' };

  beforeAll(async () => {
    const store = threadStore(redis, keys, () => T0 + 40 * HOUR);
    await store.add({
      id: 'a1',
      text: landslide.day1,
      publishedAt: T0,
      title: 'Glissement de terrain à Vernasque',
    });
    await store.add({
      id: 'a2',
      text: landslide.day2,
      publishedAt: T0 + 26 * HOUR,
      title: 'Le versant reste instable',
    });
    await store.add({
      id: 'a3',
      text: factoryFire,
      publishedAt: T0 + 14 * HOUR,
      title: 'Incendie à Lézignan',
    });
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('threads --json: each thread with its clusters in time order and their versions', async () => {
    const r = await runCli(['threads', '--json'], env);
    expect(r.code).toBe(0);
    const { threads } = JSON.parse(r.stdout) as {
      threads: { id: string; clusters: { id: string; version: string }[]; headline: { title: string } }[];
    };
    expect(threads).toHaveLength(1);
    const [c1, c2] = [
      await redis.hget(keys.article('a1'), 'cluster'),
      await redis.hget(keys.article('a2'), 'cluster'),
    ];
    expect(threads[0]!.clusters.map((c) => [c.id, c.version])).toEqual([
      [c1, 'first'],
      [c2, 'follow-up'],
    ]);
    expect(threads[0]!.headline.title).toBe('Le versant reste instable');
    const text = await runCli(['threads'], env);
    expect(text.stdout).toMatch(/^t\d+ {2}2 clusters {2}Le versant reste instable\n/);
    expect(text.stdout).toContain('first');
  });

  it('clusters --json: every cluster its thread, every page its story', async () => {
    const r = await runCli(['clusters', '--json'], env);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      clusters: { id: string; thread: string | null }[];
      pages: Record<string, { cluster: string; story: string }>;
    };
    const thread = await redis.hget(
      keys.cluster((await redis.hget(keys.article('a1'), 'cluster'))!),
      'thread',
    );
    expect(out.clusters.filter((c) => c.thread).map((c) => c.thread)).toEqual([thread, thread]);
    const fire = (await redis.hget(keys.article('a3'), 'cluster'))!;
    expect(out.pages['https://news.example/a3']).toEqual({ cluster: fire, story: fire });
    expect(out.pages['https://news.example/a1']!.story).toBe(thread);
  });
});
