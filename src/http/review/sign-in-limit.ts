import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { Keys } from '../../store/keys.js';
import { type FailureLimits, SignInFailures } from '../../store/sign-in-failures.js';
import { addressGroup } from './address-group.js';
import { matchToken, type Principal, type TokenEntry } from './auth.js';

export type TokenCheck =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 }
  | { ok: false; status: 429; retryAfterSeconds: number; scope: 'address' | 'global' };

export function signInLimits(config: Config): FailureLimits {
  return {
    maxPerGroup: config.review.signInMaxFailures,
    maxGlobal: config.review.signInMaxFailuresGlobal,
    windowSeconds: config.review.signInWindowMinutes * 60,
  };
}

/**
 * Every token check of the web role goes through here (editor sign-in and
 * /api Bearer tokens alike), so a guesser gets one budget of wrong tokens per
 * address group (IPv4 address, IPv6 /64) and all guessers together one global
 * budget per window, counted atomically in Redis across replicas.
 *
 * The token is compared first (constant time, every configured token), and a
 * right token always passes: only wrong tokens are counted and limited. So one
 * guesser behind a shared proxy, or a botnet filling the global ceiling, never
 * locks an editor out. Does this leave a guessing oracle? Yes, and on purpose:
 * while locked, a wrong token gets 429 and a right one 200/303, so a locked-out
 * guesser can still tell a right guess from a wrong one at whatever rate the
 * server answers. Refusing the right token too would close that oracle only by
 * handing every guesser a switch that locks out all editors behind its proxy
 * (and, with the global ceiling, everyone everywhere); and we cannot tell the
 * guesser from a colleague on the same address. The defence against guessing
 * is therefore the token space, not the lockout: tokens are at least 16
 * characters (config refuses shorter) and should be random (`openssl rand
 * -base64 24` ≈ 144 bits; at 10^5 guesses/s that is beyond any lifetime).
 * So the lockout is an alarm and a brake for clients that heed 429 (each
 * refusal is logged with its scope; an honest misconfigured client stops after
 * `maxPerGroup`), not a wall; and it costs an editor nothing.
 */
export class TokenGate {
  private readonly failures: SignInFailures;
  constructor(redis: Redis, keys: Keys, limits: FailureLimits) {
    this.failures = new SignInFailures(redis, keys, limits);
  }

  async check(given: string, tokens: TokenEntry[], ip: string | undefined): Promise<TokenCheck> {
    const principal = matchToken(given, tokens);
    if (principal) return { ok: true, principal };
    const r = await this.failures.count(hashGroup(addressGroup(ip)));
    if (r.counted) return { ok: false, status: 401 };
    return { ok: false, status: 429, retryAfterSeconds: r.retryAfterSeconds, scope: r.scope };
  }
}

/** Redis holds no client address, only its group's hash. */
function hashGroup(group: string): string {
  return createHash('sha256').update(group).digest('hex').slice(0, 32);
}
