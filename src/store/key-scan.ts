import type { Redis } from 'ioredis';
import { isCluster, mastersOf } from './redis-client.js';

/**
 * Every key matching `pattern`, a SCAN batch at a time (never KEYS: it blocks
 * Redis); on Redis Cluster, master by master.
 */
export async function forEachKeyBatch(
  redis: Redis,
  pattern: string,
  onBatch: (keys: string[]) => Promise<void> | void,
): Promise<void> {
  for (const node of mastersOf(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      // Keys of one batch may sit in different slots: the caller's commands go through `redis`.
      if (keys.length) await onBatch(keys);
    } while (cursor !== '0');
  }
}

/** Deletes the keys matching `pattern` (a throw-away prefix's, say) without blocking Redis. */
export async function dropKeys(redis: Redis, pattern: string): Promise<void> {
  await forEachKeyBatch(redis, pattern, async (keys) => {
    // A batch may span slots, which one UNLINK cannot on Redis Cluster.
    if (isCluster(redis)) await Promise.all(keys.map((k) => redis.unlink(k)));
    else await redis.unlink(...keys);
  });
}
