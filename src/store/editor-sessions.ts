import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

export type Session = { editor: string; csrf: string };

/** Editor sessions live in Redis under the hash of the cookie value, so a dump of Redis holds no usable cookie. */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly ttlSeconds: number,
  ) {}

  private key(sid: string): string {
    return this.keys.reviewSession(createHash('sha256').update(sid, 'utf8').digest('hex'));
  }

  async create(editor: string): Promise<{ sid: string; session: Session }> {
    const sid = randomBytes(32).toString('base64url');
    const session = { editor, csrf: randomBytes(24).toString('base64url') };
    await this.redis.set(this.key(sid), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { sid, session };
  }

  async get(sid: string | undefined): Promise<Session | null> {
    if (!sid || sid.length > 100) return null;
    const raw = await this.redis.get(this.key(sid));
    return raw ? (JSON.parse(raw) as Session) : null;
  }

  async destroy(sid: string | undefined): Promise<void> {
    if (sid) await this.redis.del(this.key(sid));
  }
}
