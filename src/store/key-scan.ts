import type { Redis } from 'ioredis';

/** Every key matching `pattern`, a SCAN batch at a time (never KEYS: it blocks Redis). */
export async function forEachKeyBatch(
  redis: Redis,
  pattern: string,
  onBatch: (keys: string[]) => Promise<void> | void,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await onBatch(keys);
  } while (cursor !== '0');
}

/** Deletes the keys matching `pattern` (a throw-away prefix's, say) without blocking Redis. */
export async function dropKeys(redis: Redis, pattern: string): Promise<void> {
  await forEachKeyBatch(redis, pattern, async (keys) => {
    await redis.unlink(...keys);
  });
}
