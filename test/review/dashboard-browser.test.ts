import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { EDITOR_TOKEN, reviewConfig } from './seed.js';
import { sessionCookie, signInOver } from './sign-in-http.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

describe('queue dashboard', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('dashboard');
  let ctx: AppContext;
  let app: FastifyInstance;
  let base: string;
  let profile: string | undefined;

  beforeAll(async () => {
    ctx = createContext(reviewConfig(prefix), createLogger('silent'));
    app = await buildServer(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const signedIn = async () => sessionCookie(await signInOver(base, EDITOR_TOKEN));

  it('is served with its own CSP and references nothing on another origin', async () => {
    const session = await signedIn();
    const res = await fetch(`${base}/review/queues/`, { headers: { cookie: session } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    const page = await res.text();
    expect(page).toContain('wiresift queues');
    const refs = [...page.matchAll(/\s(?:src|href)\s*=\s*"([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(3);
    expect(refs.filter((r) => /^(?:[a-z]+:|\/\/)/i.test(r))).toEqual([]);
  });

  it.skipIf(!hasChromium)(
    'works in Chromium with nothing fetched from elsewhere and no CSP violation',
    {
      timeout: 120_000,
    },
    async () => {
      const session = (await signedIn()).split('=');
      const { chromium } = await import('playwright-core');
      profile = await mkdtemp(join(tmpdir(), 'wiresift-chromium-'));
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      try {
        await browser.addCookies([{ name: session[0]!, value: session[1]!, url: base }]);
        const page = browser.pages()[0] ?? (await browser.newPage());
        page.setDefaultTimeout(60_000);
        const elsewhere: string[] = [];
        const violations: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith(base) && !r.url().startsWith('data:')) elsewhere.push(r.url());
        });
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
        });
        await page.goto(`${base}/review/queues/`);
        // the React app ran (scripts allowed) and read the API (connect-src allowed)
        await page.locator('a[href$="queue/articles"]').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(elsewhere).toEqual([]);
        expect(violations).toEqual([]);
        // a way back to the clusters list
        const back = page.locator('a[href="/review"]');
        if (!(await back.first().isVisible())) await page.locator('header button').last().click();
        await back.first().click();
        await page.waitForURL(`${base}/review`);
        expect(await page.locator('h2').first().textContent()).toContain('Clusters');
      } finally {
        await browser.close();
      }
    },
  );
});
