import type { Redis } from 'ioredis';
import { placementFor } from '../../src/dedup/cluster-policy.js';
import { DEFAULT_DEDUP_POLICY, DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE } from '../../src/dedup/defaults.js';
import { optimalLshParams } from '../../src/dedup/lsh-params.js';
import { MinHasher } from '../../src/dedup/minhash.js';
import { INDEX_SKETCH, sketchText } from '../../src/dedup/sketch.js';
import { threadClusters } from '../../src/pipeline/thread-clusters.js';
import { ClusterIndex } from '../../src/store/cluster-index.js';
import type { Keys } from '../../src/store/keys.js';
import { ThreadIndex } from '../../src/store/thread-index.js';
import { storyProfile } from '../../src/threads/story-profile.js';
import { DEFAULT_THREAD_POLICY, placeThreads } from '../../src/threads/thread-policy.js';

const hasher = new MinHasher({ numPerm: DEFAULT_NUM_PERM, seed: 1 });
const { bands, rows } = optimalLshParams(DEFAULT_DEDUP_POLICY.candidateThreshold, DEFAULT_NUM_PERM);

export type StoryDoc = {
  id: string;
  text: string;
  publishedAt: number;
  title?: string;
  lang?: string;
  agency?: string;
  outlet?: string;
};

/**
 * The dedup step and the thread step as the pipeline runs them, on a real
 * Redis: each document is stored as an article (hash and body), placed in its
 * cluster by ClusterIndex, then threaded by ThreadIndex.
 */
export function threadStore(redis: Redis, keys: Keys, now: () => number) {
  const clusters = new ClusterIndex(redis, keys, {
    bands,
    rows,
    format: INDEX_SKETCH,
    place: placementFor(DEFAULT_DEDUP_POLICY),
    now,
  });
  const threads = new ThreadIndex(redis, keys, {
    place: (nodes, constraints) => placeThreads(nodes, constraints, DEFAULT_THREAD_POLICY),
    profileOf: storyProfile,
    windowHours: DEFAULT_THREAD_POLICY.windowHours,
    now,
  });
  async function store(doc: StoryDoc): Promise<void> {
    await redis.hset(keys.article(doc.id), {
      id: doc.id,
      url: `https://news.example/${doc.id}`,
      title: doc.title ?? doc.text.slice(0, 60),
      outlet: doc.outlet ?? 'Example News',
      lang: doc.lang ?? 'fr',
      agency: doc.agency ?? 'AFP',
      publishedAt: new Date(doc.publishedAt).toISOString(),
      status: 'ok',
      words: String(doc.text.split(/\s+/).length),
    });
    await redis.set(keys.articleBody(doc.id), doc.text);
  }
  async function add(doc: StoryDoc) {
    await store(doc);
    const result = await clusters.assign({
      articleId: doc.id,
      sketch: sketchText(doc.text, hasher, DEFAULT_SHINGLE_SIZE),
      publishedAt: doc.publishedAt,
      ttlSeconds: 72 * 3600,
    });
    return { result, threads: await threadClusters(threads, result) };
  }
  return { clusters, threads, add, store };
}

/** Articles grouped by thread (clusters in no thread left out), independent of ids. */
export async function threadPartition(redis: Redis, keys: Keys, articleIds: string[]): Promise<string[][]> {
  const byThread = new Map<string, string[]>();
  for (const id of articleIds) {
    const cluster = await redis.hget(keys.article(id), 'cluster');
    const thread = cluster ? await redis.hget(keys.cluster(cluster), 'thread') : null;
    if (thread) byThread.set(thread, [...(byThread.get(thread) ?? []), id]);
  }
  return [...byThread.values()].map((g) => g.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}
