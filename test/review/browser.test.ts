import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { createContext, type PipelineContext } from '../../src/pipeline/context.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { budgetStory, EDITOR_TOKEN, rerunDedup, reviewConfig, STORY, seedArticles } from './seed.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `[wiresift tests] ${CHROMIUM} not found (apt-get install -y chromium): the review page browser test is skipped`,
  );

const shots = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'review');
const XSS_TITLE = '<img src=x onerror="window.__xss=1">Budget <script>window.__xss=2</script>';

describe.skipIf(!hasChromium)('review page in Chromium', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('review-browser');
  let ctx: PipelineContext;
  let app: FastifyInstance;
  let base: string;
  let profile: string;

  beforeAll(async () => {
    ctx = createContext(reviewConfig(prefix), createLogger('silent'));
    const [a1, a2, a3] = budgetStory();
    await seedArticles(ctx, [
      a1!,
      a2!,
      { ...a3!, title: XSS_TITLE, body: `${a3!.body} <script>window.__xss=3</script>` },
      {
        id: 'b1',
        outlet: 'Le Courrier',
        title: 'Grève des contrôleurs dans l’Ouest',
        body: 'RENNES (AFP) - Les contrôleurs de la SNCF ont entamé lundi une grève reconductible sur les lignes de l’Ouest, '
          .concat(
            'perturbant fortement le trafic régional et les liaisons vers Paris selon la direction régionale. ',
          )
          .repeat(3),
        publishedAt: '2026-03-01T09:00:00.000Z',
      },
    ]);
    app = await buildServer(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    profile = await mkdtemp(join(tmpdir(), 'wiresift-chromium-'));
    await mkdir(shots, { recursive: true });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('list → cluster → diff → split: the article becomes its own cluster and dedup does not rejoin it', {
    timeout: 150_000,
  }, async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 860 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      // Chromium starts slowly when the whole suite runs in parallel
      page.setDefaultTimeout(60_000);
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });

      await page.goto(`${base}/review`);
      expect(new URL(page.url()).pathname).toBe('/review/login');
      // keyboard only: the token field has focus (autofocus may land after "load" on a busy machine)
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'token');
      await page.keyboard.type(EDITOR_TOKEN);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/review`);

      const original = (await redis.hget(ctx.keys.article('a1'), 'cluster'))!;
      const row = page.locator('tbody tr', { has: page.locator(`a[href="/review/clusters/${original}"]`) });
      await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('3'); // outlets
      await page.screenshot({ path: join(shots, 'list.png'), fullPage: true });

      await row.locator('a').first().click();
      await page.waitForURL(`${base}/review/clusters/${original}`);
      // the hostile title is shown as text, not run
      expect(await page.locator('#m-a3 td').nth(1).textContent()).toContain(
        '<script>window.__xss=2</script>',
      );

      await page.locator('#m-a2 a', { hasText: 'Diff' }).click();
      await page.waitForURL(/diff=a2/);
      await expect.poll(() => page.locator('.diff ins').first().textContent()).toContain('Le préfet dispose');
      await page.screenshot({ path: join(shots, 'cluster-diff.png'), fullPage: true });

      await page.locator('#m-a3 button', { hasText: 'Split out' }).click();
      await page.waitForURL(/done=split/);
      const into = new URL(page.url()).searchParams.get('into')!;
      expect(into).toMatch(/^c\d+$/);
      expect(await page.locator('[role=status]').textContent()).toContain(`Split out into cluster ${into}`);
      expect(await page.locator('tbody tr').count()).toBe(2);

      await page.goto(`${base}/review`);
      const own = page.locator(`a[href="/review/clusters/${into}"]`);
      expect(await own.textContent()).toContain('<img src=x onerror="window.__xss=1">Budget');
      await own.click();
      await page.waitForURL(`${base}/review/clusters/${into}`);
      expect(await page.locator('tbody tr').count()).toBe(1);
      expect(await page.locator('#m-a3 .badge').textContent()).toBe('representative');
      await page.screenshot({ path: join(shots, 'split-cluster.png'), fullPage: true });

      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }

    // re-running dedup on the split article does not put it back
    const original = (await redis.hget(ctx.keys.article('a1'), 'cluster'))!;
    const again = await rerunDedup(
      ctx,
      'a3',
      `${budgetStory()[2]!.body} <script>window.__xss=3</script>`,
      budgetStory()[2]!.publishedAt,
    );
    expect(again.clusterId).not.toBe(original);
    expect(await redis.zrange(ctx.keys.clusterMembers(original), '0', '-1')).toEqual(['a1', 'a2']);
    expect(STORY.length).toBeGreaterThan(0);
  });
});
