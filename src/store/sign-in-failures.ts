import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { loadLua } from './lua/load-lua.js';

const COUNT_CMD = 'wiresiftCountSignInFailure';

type Scripted = Redis & {
  [COUNT_CMD](
    group: string,
    all: string,
    max: number,
    maxAll: number,
    window: number,
  ): Promise<[number, number, string]>;
};

export type FailureLimits = { maxPerGroup: number; maxGlobal: number; windowSeconds: number };
export type FailureCount =
  | { counted: true }
  | { counted: false; retryAfterSeconds: number; scope: 'address' | 'global' };

/** Wrong-token counters in Redis, shared by every web replica. */
export class SignInFailures {
  private readonly redis: Scripted;
  constructor(
    redis: Redis,
    private readonly keys: Keys,
    private readonly limits: FailureLimits,
  ) {
    this.redis = redis as Scripted;
    if (typeof this.redis[COUNT_CMD] !== 'function')
      redis.defineCommand(COUNT_CMD, { numberOfKeys: 2, lua: loadLua('sign-in-count') });
  }

  /** Counts one wrong token from the group, unless the group or everyone is already at the limit. */
  async count(groupHash: string): Promise<FailureCount> {
    const { maxPerGroup, maxGlobal, windowSeconds } = this.limits;
    const [ok, wait, scope] = await this.redis[COUNT_CMD](
      this.keys.signInFailures(groupHash),
      this.keys.signInFailuresAll,
      maxPerGroup,
      maxGlobal,
      windowSeconds,
    );
    if (ok === 1) return { counted: true };
    return {
      counted: false,
      retryAfterSeconds: Number(wait),
      scope: scope === 'global' ? 'global' : 'address',
    };
  }
}
