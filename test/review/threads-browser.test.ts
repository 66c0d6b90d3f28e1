import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { hasChromium, launchChromium, overflow, signedInPage } from './chromium.js';
import { EDITOR_TOKEN, reviewConfig, seedArticles } from './seed.js';
import { THREAD_ARTICLES } from './thread-seed.js';

const shots = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'review');

describe.skipIf(!hasChromium)('thread timeline in Chromium', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('threads-browser');
  let ctx: AppContext;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  const clusterOf = async (a: string) => (await redis.hget(ctx.keys.article(a), 'cluster'))!;

  const signedIn = (width: number) => signedInPage(browser, base, EDITOR_TOKEN, width);

  beforeAll(async () => {
    ctx = createContext(reviewConfig(prefix), createLogger('silent'));
    await seedArticles(ctx, THREAD_ARTICLES, { threads: true });
    app = await buildServer(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    await mkdir(shots, { recursive: true });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  for (const width of [1280, 375])
    it(`reads as a timeline at ${width} px, without sideways scrolling`, { timeout: 120_000 }, async () => {
      const page = await signedIn(width);
      await page.click('nav a[href="/review/threads"]');
      await page.click('td.title a');
      const events = page.locator('ol.timeline > li.event');
      expect(await events.count()).toBe(4);
      expect(await events.locator('.badge.version').allTextContents()).toEqual([
        'flash',
        'first',
        'translation',
        'follow-up',
      ]);
      await page.screenshot({ path: join(shots, `thread-${width}.png`), fullPage: true });
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.context().close();
    });

  it('an editor moves a cluster out, undoes it, and joins a story from its cluster page', {
    timeout: 120_000,
  }, async () => {
    const page = await signedIn(1280);
    const english = await clusterOf('a2');
    const thread = (await redis.hget(ctx.keys.cluster(english), 'thread'))!;
    await page.goto(`${base}/review/clusters/${english}`);
    await page.click(`#thread a[href="/review/threads/${thread}"]`);
    await page.locator(`#t-${english} button`, { hasText: 'Move out of this thread' }).click();
    await page.waitForURL(`${base}/review/threads/${thread}?done=thread-remove`);
    expect(await page.locator('[role=status]').textContent()).toContain('Moved out of the thread');
    expect(await page.locator(`#t-${english}`).count()).toBe(0);
    expect(await redis.hget(ctx.keys.cluster(english), 'thread')).toBeNull();

    await page.locator('#undo button').click();
    await page.waitForURL(`${base}/review/threads/${thread}?done=undo`);
    expect(await page.locator(`#t-${english}`).count()).toBe(1);

    // The other story of the day, in no thread: joined from its own page, by keyboard.
    const fire = await clusterOf('a4');
    await page.goto(`${base}/review/clusters/${fire}`);
    await page.focus('#thread input[name=thread]');
    await page.keyboard.type(thread);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/review/threads/${thread}?done=thread-join`);
    expect(await page.locator(`#t-${fire}`).count()).toBe(1);
    await page.context().close();
  });
});
