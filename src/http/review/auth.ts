import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tokenEntry } from '../../config.js';

export type Principal = { name: string; kind: 'editor' | 'api' };
export type TokenEntry = Principal & { digest: Buffer };

export const SESSION_COOKIE = 'wiresift_review';
export const LOGIN_CSRF_COOKIE = 'wiresift_login_csrf';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Config entries are "name:token" or a bare token. A bare token gets a name
 * derived from its hash, so audit lines tell editors apart without ever
 * holding the token itself.
 */
export function parseTokens(entries: string[], kind: Principal['kind']): TokenEntry[] {
  return entries.map((entry) => {
    const { name: given, token } = tokenEntry(entry);
    const name = given ?? `${kind}-${sha256(token).toString('hex').slice(0, 6)}`;
    return { name, kind, digest: sha256(token) };
  });
}

/**
 * Compares against every configured token, always all of them, on fixed-size
 * digests: neither the length nor the position of a match leaks through timing.
 */
export function matchToken(given: string, tokens: TokenEntry[]): Principal | null {
  const digest = sha256(given);
  let found: Principal | null = null;
  for (const t of tokens) {
    if (timingSafeEqual(digest, t.digest) && !found) found = { name: t.name, kind: t.kind };
  }
  return found;
}

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1]! : null;
}

export function cookieOptions(req: FastifyRequest, maxAgeSeconds: number) {
  return {
    path: '/review',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: req.protocol === 'https',
    maxAge: maxAgeSeconds,
  };
}

/**
 * A cross-site form post carries a foreign Origin; browsers send Origin on
 * every POST, so a mismatch is refused before the CSRF token is even checked.
 * The host is the one the browser used: behind a trusted proxy (http.trustProxy)
 * fastify's req.host reads X-Forwarded-Host, which a cross-site form cannot set.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin === undefined;
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

export function deny(reply: FastifyReply, status: 401 | 403 | 429, message: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ error: message });
}

/** 429 with Retry-After, for a wrong token past the limit (see TokenGate). */
export function tooManyFailures(reply: FastifyReply, retryAfterSeconds: number, scope: 'address' | 'global') {
  reply.header('retry-after', String(retryAfterSeconds));
  const from = scope === 'global' ? 'from all addresses together' : 'from this address';
  return deny(
    reply,
    429,
    `review: too many wrong tokens ${from}; try again in ${Math.ceil(retryAfterSeconds / 60)} min`,
  );
}
