import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { CHROMIUM, hasChromium, launchChromium, overflow, signedInPage } from './chromium.js';
import { BOB_TOKEN, budgetStory, EDITOR_TOKEN, rerunDedup, reviewConfig, seedArticles } from './seed.js';

if (!hasChromium)
  console.warn(
    `[wiresift tests] ${CHROMIUM} not found (apt-get install -y chromium): the review page browser test is skipped`,
  );

const shots = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'review');
const XSS_TITLE = '<img src=x onerror="window.__xss=1">Budget <script>window.__xss=2</script>';
const STRIKE =
  'RENNES (AFP) - Les contrôleurs de la SNCF ont entamé lundi une grève reconductible sur les lignes de l’Ouest, '
    .concat(
      'perturbant fortement le trafic régional et les liaisons vers Paris selon la direction régionale. ',
    )
    .repeat(3);

describe.skipIf(!hasChromium)('review page in Chromium', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('review-browser');
  let ctx: AppContext;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let original: string;
  let strike: string;
  let into: string;

  async function editor(token: string, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const page = await signedInPage(browser, base, token, width);
    return { context: page.context(), page };
  }

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
        body: STRIKE,
        publishedAt: '2026-03-01T09:00:00.000Z',
      },
    ]);
    original = (await redis.hget(ctx.keys.article('a1'), 'cluster'))!;
    strike = (await redis.hget(ctx.keys.article('b1'), 'cluster'))!;
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

  it('list → cluster → diff → split (asked first): the article becomes its own cluster and dedup does not rejoin it', {
    timeout: 150_000,
  }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    try {
      const page = await context.newPage();
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

      const row = page.locator('tbody tr', { has: page.locator(`a[href="/review/clusters/${original}"]`) });
      await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('3'); // outlets

      await row.locator('a').first().click();
      await page.waitForURL(`${base}/review/clusters/${original}`);
      // the hostile title is shown as text, not run
      expect(await page.locator('#m-a3 td').nth(1).textContent()).toContain(
        '<script>window.__xss=2</script>',
      );

      await page.locator('#m-a2 a', { hasText: 'Diff' }).click();
      await page.waitForURL(/diff=a2/);
      await expect.poll(() => page.locator('.diff ins').first().textContent()).toContain('Le préfet dispose');

      await page.locator('#m-a3 a', { hasText: 'Split out' }).click();
      await page.waitForURL(/\/split\?articleId=a3/);
      // asked first: nothing moved yet
      expect(await page.locator('h2').textContent()).toContain(
        `Split this article out of cluster ${original}?`,
      );
      expect(await redis.hget(ctx.keys.article('a3'), 'cluster')).toBe(original);
      await page.locator('button', { hasText: 'Split it out' }).click();
      await page.waitForURL(/done=split/);
      into = new URL(page.url()).searchParams.get('into')!;
      expect(into).toMatch(/^c\d+$/);
      expect(await page.locator('[role=status]').textContent()).toContain(`Split out into cluster ${into}`);
      expect(await page.locator('table.members tbody tr').count()).toBe(2);

      await page.goto(`${base}/review?singles=1`);
      const own = page.locator(`a[href="/review/clusters/${into}"]`);
      expect(await own.textContent()).toContain('<img src=x onerror="window.__xss=1">Budget');
      await own.click();
      await page.waitForURL(`${base}/review/clusters/${into}`);
      expect(await page.locator('table.members tbody tr').count()).toBe(1);
      expect(await page.locator('#m-a3 .badge').textContent()).toBe('representative');

      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(dialogs).toEqual([]);
    } finally {
      await context.close();
    }

    // re-running dedup on the split article does not put it back
    const again = await rerunDedup(
      ctx,
      'a3',
      `${budgetStory()[2]!.body} <script>window.__xss=3</script>`,
      budgetStory()[2]!.publishedAt,
    );
    into = again.clusterId;
    expect(again.clusterId).not.toBe(original);
    expect(await redis.zrange(ctx.keys.clusterMembers(original), '0', '-1')).toEqual(['a1', 'a2']);
  });

  it('merge candidates are offered with their ids; a merged-away cluster redirects; undo restores it', {
    timeout: 150_000,
  }, async () => {
    const { context, page } = await editor(EDITOR_TOKEN);
    try {
      await page.goto(`${base}/review/clusters/${original}`);
      const offer = page.locator('#merge li', { hasText: into });
      expect(await offer.textContent()).toMatch(/same text/);
      // the unrelated story is not offered
      expect(await page.locator('#merge').textContent()).not.toContain(strike);
      await offer.locator('button', { hasText: `Merge ${into} into this one` }).click();
      await page.waitForURL(/done=merge/);
      expect(await page.locator('table.members tbody tr').count()).toBe(3);

      await page.goto(`${base}/review/clusters/${into}`);
      expect(new URL(page.url()).pathname).toBe(`/review/clusters/${original}`);
      expect(await page.locator('[role=status]').textContent()).toContain(
        `Cluster ${into} was merged into this one`,
      );

      const undo = page.locator('form#undo');
      expect(await undo.textContent()).toContain(`merge of ${into} (1 article) into this cluster`);
      await undo.locator('button').click();
      await page.waitForURL(/done=undo/);
      expect(await redis.hget(ctx.keys.article('a3'), 'cluster')).toBe(into);
    } finally {
      await context.close();
    }
  });

  it("undo belongs to the cluster and its editor: bob's page never offers alice's action", {
    timeout: 150_000,
  }, async () => {
    const alice = await editor(EDITOR_TOKEN);
    const bob = await editor(BOB_TOKEN);
    try {
      await alice.page.goto(`${base}/review/clusters/${original}`);
      await alice.page.locator('button', { hasText: 'Mark reviewed' }).click();
      await alice.page.waitForURL(/done=reviewed/);
      expect(await alice.page.locator('form#undo button').textContent()).toBe('Undo review mark');

      // bob, on another cluster, has nothing to undo there
      await bob.page.goto(`${base}/review/clusters/${strike}`);
      expect(await bob.page.locator('#undo').count()).toBe(0);
      expect(await bob.page.locator('button', { hasText: /undo/i }).count()).toBe(0);
      await bob.page.locator('button', { hasText: 'Mark reviewed' }).click();
      await bob.page.waitForURL(/done=reviewed/);
      const bobsUndo = bob.page.locator('form#undo');
      expect(await bobsUndo.textContent()).toContain('Undoing it: back to not reviewed');

      // on alice's cluster bob is told whose change it is, and gets no button
      await bob.page.goto(`${base}/review/clusters/${original}`);
      expect(await bob.page.locator('#undo').textContent()).toContain('Only alice can undo it');
      expect(await bob.page.locator('#undo button').count()).toBe(0);

      await bob.page.goto(`${base}/review/clusters/${strike}`);
      await bob.page.locator('form#undo button').click();
      await bob.page.waitForURL(/done=undo/);
      expect(await redis.hget(ctx.keys.cluster(strike), 'reviewedAt')).toBeNull();
      expect(await redis.hget(ctx.keys.cluster(original), 'reviewedBy')).toBe('alice');

      await alice.page.reload();
      expect(await alice.page.locator('form#undo button').textContent()).toBe('Undo review mark');
    } finally {
      await alice.context.close();
      await bob.context.close();
    }
  });

  for (const width of [1280, 375]) {
    it(`at ${width} px nothing overflows sideways; cards below 600 px; dates on one line; single-article clusters behind a filter`, {
      timeout: 150_000,
    }, async () => {
      const { context, page } = await editor(EDITOR_TOKEN, width);
      const shot = (name: string) =>
        page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      try {
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        // single-article clusters (the strike story, the split-out copy) are hidden by default, and counted
        expect(await page.locator(`a[href="/review/clusters/${strike}"]`).count()).toBe(0);
        expect(await page.locator(`a[href="/review/clusters/${original}"]`).count()).toBe(1);
        const totals = (await page.locator('#totals').textContent()) ?? '';
        expect(totals).toContain('1 cluster on this page');
        expect(totals).toContain('2 single-article clusters hidden here');
        expect(totals).toContain('3 clusters and 4 articles in all');
        await shot('list');

        const rowDisplay = await page
          .locator('tbody tr')
          .first()
          .evaluate((tr) => getComputedStyle(tr).display);
        expect(rowDisplay).toBe(width < 600 ? 'block' : 'table-row');
        // a date cell's text sits on one line
        const dateLines = await page.locator('td.date').evaluateAll((tds) =>
          tds.map((td) => {
            const r = document.createRange();
            r.selectNodeContents(td);
            return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
          }),
        );
        expect(dateLines.length).toBeGreaterThan(0);
        expect(dateLines.every((n) => n === 1)).toBe(true);

        await page.locator('#totals a', { hasText: 'show them' }).click();
        await page.waitForURL(/singles=1/);
        expect(await page.locator(`a[href="/review/clusters/${strike}"]`).count()).toBe(1);
        expect(await page.locator('input[name=singles]').isChecked()).toBe(true);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await shot('list-singles');

        await page.goto(`${base}/review/clusters/${original}?diff=a2`);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await shot('cluster-diff');
        await page.goto(`${base}/review/clusters/${original}/split?articleId=a2`);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await shot('split-confirm');
      } finally {
        await context.close();
      }
    });
  }
});
