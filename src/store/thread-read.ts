import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/** The thread of each of these clusters (clusters in no thread are left out). */
export async function threadOfClusters(
  redis: Redis,
  keys: Keys,
  ids: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hget(keys.cluster(id), 'thread');
  const res = (await pipe.exec()) ?? [];
  ids.forEach((id, i) => {
    const t = res[i]?.[1];
    if (typeof t === 'string' && t) out.set(id, t);
  });
  return out;
}
