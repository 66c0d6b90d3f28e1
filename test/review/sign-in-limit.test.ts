import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import type { Config } from '../../src/config.js';
import { addressGroup } from '../../src/http/review/address-group.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { API_TOKEN, EDITOR_TOKEN, reviewConfig } from './seed.js';
import { loginForm, signInOver } from './sign-in-http.js';

type Form = Awaited<ReturnType<typeof loginForm>>;

type Server = { base: string; prefix: string; ctx: AppContext; app: FastifyInstance };

const redis = connectTestRedis();
const running: Server[] = [];

/** A real web role on a free port, with its own key prefix and the limits the test wants. */
async function serve(tune: (c: Config) => void = () => {}): Promise<Server> {
  const prefix = uniquePrefix('sign-in-limit');
  const config = reviewConfig(prefix);
  tune(config);
  const ctx = createContext(config, createLogger('silent'));
  const app = await buildServer(ctx);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const s = { base, prefix, ctx, app };
  running.push(s);
  return s;
}

afterEach(async () => {
  for (const s of running.splice(0)) {
    await s.app.close();
    await s.ctx.close();
    await dropPrefix(redis, s.prefix);
  }
});
afterAll(() => redis.disconnect());

const signIn = (s: Server, token: string, headers: Record<string, string> = {}, form?: Form) =>
  signInOver(s.base, token, headers, form);

async function api(s: Server, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.base}/api/clusters`, {
    headers: { ...headers, authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
  return res;
}

const statuses = (rs: Response[]) => {
  const out: Record<number, number> = {};
  for (const r of rs) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
};

describe('sign-in limits on every token check', () => {
  it('an address locked out of /review/login is locked out of /api too, and /api guesses count', async () => {
    const s = await serve((c) => {
      c.review.signInMaxFailures = 3;
    });
    for (let i = 0; i < 3; i++) expect((await signIn(s, `guess-${i}-0123456789abcdef`)).status).toBe(401);
    expect((await signIn(s, 'guess-x-0123456789abcdef')).status).toBe(429);
    const guesses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api(s, `guess-${i}-0123456789abcdef`)),
    );
    expect(statuses(guesses)).toEqual({ 429: 100 });
    expect(Number(guesses[0]!.headers.get('retry-after'))).toBeGreaterThan(0);

    // and the other way round: wrong Bearer tokens alone lock the sign-in form
    const t = await serve((c) => {
      c.review.signInMaxFailures = 3;
    });
    for (let i = 0; i < 3; i++) expect((await api(t, `guess-${i}-0123456789abcdef`)).status).toBe(401);
    expect((await api(t, 'guess-y-0123456789abcdef')).status).toBe(429);
    expect((await signIn(t, 'guess-z-0123456789abcdef')).status).toBe(429);
  });

  it('200 concurrent wrong tokens: exactly the limit are answered 401, the rest 429', async () => {
    const s = await serve(); // signInMaxFailures 20, the default
    const limit = s.ctx.config.review.signInMaxFailures;
    const form = await loginForm(s.base);
    const logins = await Promise.all(
      Array.from({ length: 200 }, (_, i) => signIn(s, `guess-${i}-0123456789abcdef`, {}, form)),
    );
    expect(statuses(logins)).toEqual({ 401: limit, 429: 200 - limit });

    const t = await serve();
    const bearers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => api(t, `guess-${i}-0123456789abcdef`)),
    );
    expect(statuses(bearers)).toEqual({ 401: limit, 429: 200 - limit });
    const [counter] = await redis.keys(`${t.prefix}review:signin-failures:*`);
    expect(await redis.get(counter!)).toBe(String(limit));
  });

  it('the right token from a locked address still gets in, on both doors', async () => {
    const s = await serve((c) => {
      c.review.signInMaxFailures = 3;
    });
    for (let i = 0; i < 4; i++) await signIn(s, `guess-${i}-0123456789abcdef`);
    expect((await signIn(s, 'guess-again-0123456789abcdef')).status).toBe(429);
    const ok = await signIn(s, EDITOR_TOKEN);
    expect(ok.status).toBe(303);
    expect(ok.headers.getSetCookie().some((c) => c.startsWith('wiresift_review='))).toBe(true);
    expect((await api(s, API_TOKEN)).status).toBe(200);
    expect((await api(s, EDITOR_TOKEN)).status).toBe(200);
    // and a wrong one is still refused right after
    expect((await api(s, 'guess-after-0123456789abcdef')).status).toBe(429);
  });

  it('IPv6 addresses count per /64, IPv4-mapped IPv6 as the IPv4 address (behind a trusted proxy)', async () => {
    const s = await serve((c) => {
      c.review.signInMaxFailures = 3;
      c.http.trustProxy = true;
    });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (let i = 1; i <= 3; i++)
      expect((await api(s, `guess-${i}-0123456789abcdef`, from(`2001:db8:1:2::${i}`))).status).toBe(401);
    // another address of the same /64, however written
    expect((await api(s, 'guess-4-0123456789abcdef', from('2001:db8:1:2:ffff:1:2:3'))).status).toBe(429);
    expect((await api(s, 'guess-5-0123456789abcdef', from('2001:0db8:0001:0002::beef'))).status).toBe(429);
    // the next /64 is another subscriber
    expect((await api(s, 'guess-6-0123456789abcdef', from('2001:db8:1:3::1'))).status).toBe(401);

    for (let i = 1; i <= 3; i++)
      expect((await api(s, `guess-v4-${i}-0123456789abcdef`, from('192.0.2.7'))).status).toBe(401);
    expect((await api(s, 'guess-v4-4-0123456789abcdef', from('::ffff:192.0.2.7'))).status).toBe(429);
    expect((await api(s, 'guess-v4-5-0123456789abcdef', from('192.0.2.8'))).status).toBe(401);
  });

  it('the global ceiling stops a guesser spread over many addresses, never the right token', async () => {
    const s = await serve((c) => {
      c.review.signInMaxFailures = 3;
      c.review.signInMaxFailuresGlobal = 10;
      c.http.trustProxy = true;
    });
    const results: number[] = [];
    for (let i = 0; i < 15; i++)
      results.push(
        (await api(s, `guess-${i}-0123456789abcdef`, { 'x-forwarded-for': `198.51.100.${i}` })).status,
      );
    expect(results).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
    const refused = await fetch(`${s.base}/api/clusters`, {
      headers: { authorization: 'Bearer guess-more-0123456789abcdef', 'x-forwarded-for': '203.0.113.1' },
    });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatch(/from all addresses together/);
    expect((await api(s, API_TOKEN, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await signIn(s, EDITOR_TOKEN, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(303);
  });

  it('behind a trusted TLS proxy the session cookie is Secure and Origin is judged against the forwarded host; untrusted X-Forwarded-* are ignored', async () => {
    const proxied = await serve((c) => {
      c.http.trustProxy = ['127.0.0.1'];
    });
    const tls = { 'x-forwarded-proto': 'https' };
    const ok = await signIn(proxied, EDITOR_TOKEN, tls);
    expect(ok.status).toBe(303);
    const session = ok.headers.getSetCookie().find((c) => c.startsWith('wiresift_review='))!;
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);

    // a proxy that rewrites Host: the browser's Origin matches the forwarded host
    const viaProxy = { ...tls, 'x-forwarded-host': 'review.example', origin: 'https://review.example' };
    expect((await signIn(proxied, EDITOR_TOKEN, viaProxy)).status).toBe(303);
    const forged = { ...viaProxy, origin: 'https://evil.example' };
    expect((await signIn(proxied, EDITOR_TOKEN, forged)).status).toBe(403);

    const direct = await serve();
    const plain = await signIn(direct, EDITOR_TOKEN, tls);
    expect(plain.status).toBe(303);
    const cookie = plain.headers.getSetCookie().find((c) => c.startsWith('wiresift_review='))!;
    expect(cookie).not.toMatch(/Secure/i);
    expect((await signIn(direct, EDITOR_TOKEN, viaProxy)).status).toBe(403);
  });
});

describe('address groups', () => {
  it('IPv4 per address, IPv6 per /64, IPv4-mapped as IPv4, junk in one group', () => {
    expect(addressGroup('192.0.2.1')).toBe('192.0.2.1');
    expect(addressGroup('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressGroup('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('[2001:db8:1:2::5]')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('fe80::1%eth0')).toBe('fe80::/64');
    expect(addressGroup('2001:db8:1:3::5')).not.toBe(addressGroup('2001:db8:1:2::5'));
    expect(addressGroup(undefined)).toBe('unparseable');
    expect(addressGroup('not an address')).toBe('unparseable');
  });
});
