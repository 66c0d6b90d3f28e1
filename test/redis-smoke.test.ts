import { describe, expect, it } from 'vitest';
import { connectTestRedis, dropPrefix, uniquePrefix } from './support/redis.js';

describe('test redis', () => {
  it('answers and isolates keys under a unique prefix', async () => {
    const redis = connectTestRedis();
    const prefix = uniquePrefix('smoke');
    await redis.set(`${prefix}k`, 'v');
    expect(await redis.get(`${prefix}k`)).toBe('v');
    await dropPrefix(redis, prefix);
    expect(await redis.exists(`${prefix}k`)).toBe(0);
    redis.disconnect();
  });
});
