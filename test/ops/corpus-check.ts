import type { Redis } from 'ioredis';
import type { GeneratedCorpus } from '../../src/bench/generated-corpus.js';
import { countArticles } from '../../src/store/articles.js';
import { listClusters } from '../../src/store/cluster-read.js';
import { keysFor } from '../../src/store/keys.js';

/** Groups as sorted "path+path" strings, sorted: equal lists mean equal partitions. */
export function partitionOf(groups: string[][]): string[] {
  return groups.map((g) => [...g].sort().join('+')).sort();
}

export function truthPartition(corpus: GeneratedCorpus): string[] {
  const by = new Map<string, string[]>();
  for (const [path, d] of corpus.truth) by.set(d, [...(by.get(d) ?? []), path]);
  return partitionOf([...by.values()]);
}

/**
 * What is stored under a prefix: article count, the clusters as a partition of
 * page paths, and every article id that sits in more than one cluster.
 */
export async function storedState(redis: Redis, prefix: string) {
  const keys = keysFor(prefix);
  const clusters = await listClusters(redis, keys, { limit: 1_000_000 });
  const seen = new Map<string, number>();
  for (const c of clusters) for (const m of c.members) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
  return {
    articles: await countArticles(redis, keys),
    clusteredArticles: seen.size,
    inSeveralClusters: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
    memberships: clusters.reduce((n, c) => n + c.members.length, 0),
    partition: partitionOf(clusters.map((c) => c.members.map((m) => new URL(m.url).pathname))),
  };
}
