import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** A fresh browser context signed in with `token`, on the cluster list. */
export async function signedInPage(
  browser: Browser,
  base: string,
  token: string,
  width = 1280,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 860 } });
  const page = await context.newPage();
  // Chromium starts slowly when the whole suite runs in parallel
  page.setDefaultTimeout(60_000);
  await page.goto(`${base}/review/login`);
  await page.fill('input[name=token]', token);
  await page.click('form[action="/review/login"] button');
  await page.waitForURL(`${base}/review`);
  return page;
}

/** Wider than the viewport anywhere on the page: the phone user scrolls sideways. */
export async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
