import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { loggerOptions } from '../../src/log.js';
import { API_TOKEN, reviewConfig } from '../review/seed.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';

type Line = { level: number; msg: string; url?: string };

/** A server on a free port with a logger that keeps its lines. */
async function start(withTokens: boolean) {
  const prefix = uniquePrefix('first-run');
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  const config = withTokens ? reviewConfig(prefix) : testConfig(prefix);
  const ctx = createContext(config, pino(loggerOptions('info'), sink));
  const app = await buildServer(ctx);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { prefix, lines, ctx, app, base };
}

describe('first run: where to sign in, and why nobody can yet', () => {
  const redis = connectTestRedis();
  const started: Awaited<ReturnType<typeof start>>[] = [];
  afterAll(async () => {
    for (const s of started) {
      await s.app.close();
      await s.ctx.close();
      await dropPrefix(redis, s.prefix);
    }
    redis.disconnect();
  });

  it('without tokens: the log gives the review URL and says how to configure tokens; so do the sign-in page and /api', async () => {
    const s = await start(false);
    started.push(s);
    const url = `${s.base}/review`;
    expect(s.lines.find((l) => l.msg === `review: editors sign in at ${url}`)?.url).toBe(url);
    const warns = s.lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(
      warns.some(
        (m) =>
          m.startsWith('review: no editor token configured') && m.includes('WIRESIFT_EDITOR_TOKENS_FILE'),
      ),
    ).toBe(true);
    expect(
      warns.some((m) => m.startsWith('api: no read token configured') && m.includes('WIRESIFT_API_TOKENS')),
    ).toBe(true);

    const login = await fetch(`${s.base}/review/login`);
    const page = await login.text();
    expect(page).toContain('id="no-tokens"');
    expect(page).toContain('No editor token is configured on this server');
    expect(page).toContain('WIRESIFT_EDITOR_TOKENS=name:token');

    const variants: Record<string, string>[] = [{}, { authorization: `Bearer ${API_TOKEN}` }];
    for (const headers of variants) {
      const r = await fetch(`${s.base}/api/clusters`, { headers });
      expect(r.status).toBe(503);
      expect(((await r.json()) as { error: string }).error).toMatch(
        /^api: no read tokens are configured on this server: set WIRESIFT_API_TOKENS/,
      );
    }
  });

  it('with tokens: no warning; /api tells a missing token from a wrong one', async () => {
    const s = await start(true);
    started.push(s);
    expect(s.lines.some((l) => l.msg === `review: editors sign in at ${s.base}/review`)).toBe(true);
    expect(s.lines.filter((l) => l.level >= 40)).toEqual([]);
    const page = await (await fetch(`${s.base}/review/login`)).text();
    expect(page).not.toContain('id="no-tokens"');
    expect(page).toContain('WIRESIFT_EDITOR_TOKENS');

    const none = await fetch(`${s.base}/api/clusters`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: string }).error).toContain('send a read token');
    const wrong = await fetch(`${s.base}/api/clusters`, {
      headers: { authorization: 'Bearer not-a-configured-token-123' },
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toContain('api: wrong token');
    const right = await fetch(`${s.base}/api/clusters`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(right.status).toBe(200);
  });
});
