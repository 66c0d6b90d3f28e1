import { afterAll, describe, expect, it } from 'vitest';
import { placementFor } from '../../src/dedup/cluster-policy.js';
import { DEFAULT_DEDUP_POLICY, DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE } from '../../src/dedup/defaults.js';
import { optimalLshParams } from '../../src/dedup/lsh-params.js';
import { MinHasher } from '../../src/dedup/minhash.js';
import { INDEX_SKETCH, sketchText } from '../../src/dedup/sketch.js';
import { ClusterIndex } from '../../src/store/cluster-index.js';
import { readCluster } from '../../src/store/cluster-read.js';
import { keysFor } from '../../src/store/keys.js';
import { canonical, goldGroups, newsroom, prng } from '../dedup/support/newsroom.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';

const { bands, rows } = optimalLshParams(DEFAULT_DEDUP_POLICY.candidateThreshold, DEFAULT_NUM_PERM);
const hasher = new MinHasher({ numPerm: DEFAULT_NUM_PERM, seed: 1 });
const pages = newsroom();
const T0 = Date.UTC(2026, 3, 15, 6);

describe('clusters in Redis do not depend on arrival order', () => {
  const redis = connectTestRedis();
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(redis, p);
    redis.disconnect();
  });

  async function run(order: number[]) {
    const prefix = uniquePrefix('order');
    prefixes.push(prefix);
    const keys = keysFor(prefix);
    const index = new ClusterIndex(redis, keys, {
      bands,
      rows,
      format: INDEX_SKETCH,
      place: placementFor(DEFAULT_DEDUP_POLICY),
      now: () => T0 + 3_600_000,
    });
    for (const i of order) {
      const p = pages[i]!;
      // the article hashes the read model and the representative need
      await redis.hset(keys.article(p.id), { id: p.id, url: `https://example.test/${p.id}`, title: p.id });
      await index.assign({
        articleId: p.id,
        sketch: sketchText(p.text, hasher, DEFAULT_SHINGLE_SIZE),
        publishedAt: T0 + i * 60_000,
        ttlSeconds: 7200,
      });
    }
    const byCluster = new Map<string, string[]>();
    for (const p of pages) {
      const c = (await index.clusterOf(p.id))!;
      byCluster.set(c, [...(byCluster.get(c) ?? []), p.id]);
    }
    return { keys, index, groups: canonical([...byCluster.values()]) };
  }

  it('gives the editor’s groups for 5 shuffled orders, containers marked and what they quote listed', async () => {
    const expected = goldGroups(pages);
    for (let seed = 1; seed <= 5; seed++) {
      const rand = prng(seed * 7919);
      const order = pages.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const { keys, index, groups } = await run(order);
      expect(groups, `order ${seed}`).toEqual(expected);

      // the read model (API, `clusters --json`): kind, why each member joined, what a container quotes
      const digest = (await readCluster(redis, keys, (await index.clusterOf('digest'))!))!;
      expect(digest.members).toHaveLength(1);
      expect(digest.members[0]).toMatchObject({ id: 'digest', kind: 'container', joinedVia: null });
      const quoted = await Promise.all(
        ['s0-full', 's1-full', 's2-full', 's3-full'].map((id) => index.clusterOf(id)),
      );
      // what it quotes: only the quoted stories, at least two of them (the rest are found
      // when a quoted copy and the digest meet in one neighbourhood, which LSH makes likely, not certain)
      const contains = digest.members[0]!.contains ?? [];
      expect(contains.length).toBeGreaterThanOrEqual(2);
      for (const c of contains) expect(quoted).toContain(c);
      const story = (await readCluster(redis, keys, (await index.clusterOf('s0-full'))!))!;
      const short = story.members.find((m) => m.id === 's0-short')!;
      expect(short.kind).toBe('article');
      expect(short.joinedVia).toMatchObject({ articleId: expect.stringMatching(/^s0-/) });
      expect(short.joinedVia!.value).toBeGreaterThan(0.3);
    }
  }, 120_000);
});
