import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boilerplatePhrases, type Config } from '../config.js';
import { extractPage } from '../extract/extract-page.js';
import { ExtractPool, extractPoolOptions } from '../extract/extract-pool.js';
import { requireShared } from './shared-data.js';

export type ExtractBenchResult = {
  pages: number;
  oursPagesPerSec: number;
  readabilityPagesPerSec: number;
  ratio: number;
  /** Through one pool thread, a page at a time: what production pays for the thread hop. */
  offThreadPagesPerSec: number;
  offThreadRatio: number;
};

function pagesPerSec(pages: Buffer[], minMs: number, run: (page: Buffer) => void): number {
  let done = 0;
  const t0 = performance.now();
  do {
    for (const p of pages) run(p);
    done += pages.length;
  } while (performance.now() - t0 < minMs);
  return done / ((performance.now() - t0) / 1000);
}

async function pagesPerSecAsync(pages: Buffer[], minMs: number, run: (page: Buffer) => Promise<unknown>) {
  let done = 0;
  const t0 = performance.now();
  do {
    for (const p of pages) await run(p);
    done += pages.length;
  } while (performance.now() - t0 < minMs);
  return done / ((performance.now() - t0) / 1000);
}

/**
 * Our extractor against @mozilla/readability on jsdom (the usual open baseline),
 * over the same public benchmark pages, in the same process and run.
 */
export async function benchExtract(
  config: Config,
  progress: (msg: string) => void,
): Promise<ExtractBenchResult> {
  const dir = join(requireShared('bench extract'), 'bench', 'extraction', 'zyte');
  const pages = readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => readFileSync(join(dir, f)));
  let jsdom: typeof import('jsdom');
  let readability: typeof import('@mozilla/readability');
  try {
    jsdom = await import('jsdom');
    readability = await import('@mozilla/readability');
  } catch {
    throw new Error('bench: the readability baseline needs the dev dependencies (npm ci without --omit=dev)');
  }
  // The phrases production uses: timing a shorter list would flatter the figure.
  const BOILERPLATE = boilerplatePhrases(config);
  progress(`bench extract: ${pages.length} pages, warming up`);
  for (const p of pages.slice(0, 10)) extractPage(p, { boilerplate: BOILERPLATE });
  progress('bench extract: wiresift');
  const ours = pagesPerSec(pages, 3000, (p) => {
    extractPage(p, { boilerplate: BOILERPLATE });
  });
  progress(`bench extract: wiresift ${ours.toFixed(1)} pages/s; the same on one pool thread`);
  const pool = new ExtractPool({ ...extractPoolOptions(config), threads: 1 });
  let offThread: number;
  try {
    for (const p of pages.slice(0, 10)) await pool.extractPage(p, { boilerplate: BOILERPLATE });
    offThread = await pagesPerSecAsync(pages, 3000, (p) => pool.extractPage(p, { boilerplate: BOILERPLATE }));
  } finally {
    await pool.close();
  }
  progress(
    `bench extract: off-thread ${offThread.toFixed(1)} pages/s; readability.js + jsdom (one pass, slow)`,
  );
  const virtualConsole = new jsdom.VirtualConsole();
  let readabilityErrors = 0;
  const theirs = pagesPerSec(pages, 0, (p) => {
    let dom: import('jsdom').JSDOM | undefined;
    try {
      dom = new jsdom.JSDOM(p, { url: 'https://example.org/article', virtualConsole });
      new readability.Readability(dom.window.document).parse();
    } catch {
      // jsdom's CSS code throws on a few real pages ("Cannot create property 'border-width'
      // on string"): the time spent still counts, as it would in production.
      readabilityErrors++;
    } finally {
      dom?.window.close();
    }
  });
  if (readabilityErrors) progress(`bench extract: readability.js threw on ${readabilityErrors} pages`);
  return {
    pages: pages.length,
    oursPagesPerSec: Math.round(ours * 10) / 10,
    readabilityPagesPerSec: Math.round(theirs * 10) / 10,
    ratio: Math.round((ours / theirs) * 10) / 10,
    offThreadPagesPerSec: Math.round(offThread * 10) / 10,
    offThreadRatio: Math.round((offThread / theirs) * 10) / 10,
  };
}
