import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

const COUNT_CMD = 'wiresiftCountSignInFailure';

/**
 * Check and count in one step, so concurrent failures cannot all read the
 * count before any of them adds to it. KEYS: the group counter, the global
 * counter. ARGV: group limit, global limit, window seconds. Returns
 * {1, 0, ''} when the failure was counted (within both limits), else
 * {0, seconds until the blocking window ends, 'address' | 'global'} and counts
 * nothing, so a counter never exceeds its limit.
 */
const COUNT_LUA = `
local window = tonumber(ARGV[3])
local function wait(k)
  local t = redis.call('TTL', k)
  if t < 1 then return window end
  return t
end
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return {0, wait(KEYS[1]), 'address'} end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[2]) then return {0, wait(KEYS[2]), 'global'} end
for i = 1, 2 do
  redis.call('INCR', KEYS[i])
  -- the window starts at the first failure and later ones do not push it back
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], window) end
end
return {1, 0, ''}
`;

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
      redis.defineCommand(COUNT_CMD, { numberOfKeys: 2, lua: COUNT_LUA });
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
