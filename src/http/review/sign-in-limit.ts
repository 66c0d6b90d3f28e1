import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from '../../store/keys.js';

/**
 * Failed sign-ins counted per client address in Redis (so every web replica
 * shares the count): past `maxFailures` within `windowSeconds` the address is
 * refused before its token is even looked at, which caps guessing at a few
 * dozen tries an hour. Addresses are stored hashed.
 */
export class SignInLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly opts: { maxFailures: number; windowSeconds: number },
  ) {}

  private key(ip: string): string {
    const h = createHash('sha256').update(ip).digest('hex').slice(0, 32);
    return `${this.keys.prefix}review:signin-failures:${h}`;
  }

  /** Seconds until this address may try again, or 0 when it may try now. */
  async blockedFor(ip: string): Promise<number> {
    const k = this.key(ip);
    const [count, ttl] = await Promise.all([this.redis.get(k), this.redis.ttl(k)]);
    if (Number(count ?? 0) < this.opts.maxFailures) return 0;
    return ttl > 0 ? ttl : this.opts.windowSeconds;
  }

  async recordFailure(ip: string): Promise<void> {
    const k = this.key(ip);
    // The window starts at the first failure and is not pushed back by later ones.
    await this.redis.multi().incr(k).expire(k, this.opts.windowSeconds, 'NX').exec();
  }
}
