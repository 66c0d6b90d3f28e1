import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

/**
 * Forgets editors' "not the same story" pairs whose articles are gone
 * (articles.retainDays): nothing can join them any more, and without this the
 * set would only ever grow. Returns how many pairs it dropped.
 */
export async function pruneBlockedPairs(redis: Redis, keys: Keys): Promise<number> {
  let cursor = '0';
  let dropped = 0;
  do {
    const [next, pairs] = await redis.sscan(keys.blockedPairs, cursor, 'COUNT', 500);
    cursor = next;
    if (!pairs.length) continue;
    const pipe = redis.pipeline();
    for (const p of pairs) for (const id of p.split('|')) pipe.exists(keys.article(id));
    const res = (await pipe.exec()) ?? [];
    const gone = pairs.filter((_pair, i) => !res[2 * i]?.[1] || !res[2 * i + 1]?.[1]);
    if (gone.length) dropped += await redis.srem(keys.blockedPairs, ...gone);
  } while (cursor !== '0');
  return dropped;
}
