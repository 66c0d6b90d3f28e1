import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** How far back a gone cluster is looked up: the stream is trimmed anyway (events.maxLen). */
const MAX_EVENTS = 50_000;
const BATCH = 1000;
const MAX_HOPS = 8;

/**
 * Where the articles of a cluster that no longer exists went, read from the
 * change stream (newest first): the cluster it was merged into (by dedup or an
 * editor), or the one a split-out article went back to on undo. Followed hop
 * by hop to a cluster that still exists; null when none is found (never
 * merged, or longer ago than the stream keeps).
 */
export async function survivorOf(redis: Redis, keys: Keys, id: string): Promise<string | null> {
  let current = id;
  const seen = new Set<string>([id]);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const next = await absorbedInto(redis, keys, current);
    if (!next || seen.has(next)) return null;
    if (await redis.exists(keys.cluster(next))) return next;
    seen.add(next);
    current = next;
  }
  return null;
}

async function absorbedInto(redis: Redis, keys: Keys, id: string): Promise<string | null> {
  let end = '+';
  for (let read = 0; read < MAX_EVENTS; read += BATCH) {
    const entries = await redis.xrevrange(keys.events, end, '-', 'COUNT', BATCH);
    for (const [, flat] of entries) {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
      const gone = (f.mergedFrom ?? '').split(',');
      const absorbed = f.type === 'cluster.merged' || (f.type === 'review.undone' && f.undoes === 'split');
      if (absorbed && f.clusterId && gone.includes(id)) return f.clusterId;
    }
    if (entries.length < BATCH) return null;
    end = `(${entries.at(-1)![0]}`;
  }
  return null;
}
