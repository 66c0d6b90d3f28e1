import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBytes } from '../charset/charset.js';
import { boilerplatePhrases, type Config } from '../config.js';
import { extractPage } from '../extract/extract-page.js';
import { ExtractPool, extractPoolOptions } from '../extract/extract-pool.js';
import type { ExtractStatus } from '../extract/types.js';
import { requireShared } from './shared-data.js';
import { ratiosOf, rotated, type Spread, spreadOf } from './spread.js';

export const EXTRACT_CONTENDERS = [
  'ours',
  'oursOffThread',
  'readabilityJsdom',
  'readabilityLinkedom',
] as const;
export type ExtractContender = (typeof EXTRACT_CONTENDERS)[number];

export type ExtractContenderResult = {
  /** Pages per second of the time spent in this contender: median and range over the rounds. */
  pagesPerSec: Spread;
  /** Pages it returned no text for (readability: parse() gave null or blank text). */
  empty: number;
  /** Pages it threw on in any round; their time still counts, as it would in production. */
  failed: number;
  /** The distinct error messages, cut to 120 characters, with how many pages each. */
  failures: Record<string, number>;
};

export type ExtractBenchResult = {
  pages: number;
  oursPagesPerSec: number;
  /** readability.js on jsdom, the usual open baseline. */
  readabilityPagesPerSec: number;
  ratio: number;
  /** Through one pool thread, a page at a time: what production pays for the thread hop. */
  offThreadPagesPerSec: number;
  offThreadRatio: number;
  /** readability.js on linkedom: most of readability on jsdom is jsdom's parsing. */
  readabilityLinkedomPagesPerSec: number;
  ratioVsLinkedom: number;
  offThreadRatioVsLinkedom: number;
  rounds: number;
  contenders: Record<ExtractContender, ExtractContenderResult>;
  /** Round by round, from the time each contender spent on the same pages in that round. */
  ratios: {
    oursVsJsdom: Spread;
    oursVsLinkedom: Spread;
    offThreadVsJsdom: Spread;
    offThreadVsLinkedom: Spread;
    linkedomVsJsdom: Spread;
  };
};

export type ExtractBenchOptions = {
  rounds?: number;
  /** The first N pages only (tests); default every page. */
  maxPages?: number;
};

/** What a contender made of a page; an exception becomes an error too. */
type Outcome = 'ok' | 'empty' | { error: string };
type Run = (page: Buffer) => Outcome | Promise<Outcome>;

function blank(text: string | null | undefined): boolean {
  return !text?.trim();
}

type Baselines = {
  jsdom: typeof import('jsdom');
  readability: typeof import('@mozilla/readability');
  linkedom: typeof import('linkedom');
};

async function loadBaselines(): Promise<Baselines> {
  try {
    return {
      jsdom: await import('jsdom'),
      readability: await import('@mozilla/readability'),
      linkedom: await import('linkedom'),
    };
  } catch {
    throw new Error('bench: the readability baselines need the dev dependencies (npm ci without --omit=dev)');
  }
}

function readabilityRuns({ jsdom, readability, linkedom }: Baselines) {
  const virtualConsole = new jsdom.VirtualConsole();
  const onJsdom: Run = (p) => {
    const dom = new jsdom.JSDOM(p, { url: 'https://example.org/article', virtualConsole });
    try {
      return blank(new readability.Readability(dom.window.document).parse()?.textContent) ? 'empty' : 'ok';
    } finally {
      dom.window.close();
    }
  };
  // linkedom takes text, not bytes: decoding with our charset code stands in
  // for the sniffing jsdom does itself, and is timed like it.
  const onLinkedom: Run = (p) => {
    const { document } = linkedom.parseHTML(decodeBytes(p, { kind: 'html' }).text);
    const article = new readability.Readability(document as unknown as Document).parse();
    return blank(article?.textContent) ? 'empty' : 'ok';
  };
  return { onJsdom, onLinkedom };
}

/**
 * Our extractor (in place and through one pool thread) against
 * @mozilla/readability on jsdom and on linkedom, over the same public
 * benchmark pages, in the same process and run. Rounds are sweeps over every
 * page; within a sweep each page goes through every contender in turn, in an
 * order rotated from page to page, so a burst of load on the shared machine
 * hits them alike and each one's garbage lands on all of them.
 */
export async function benchExtract(
  config: Config,
  progress: (msg: string) => void,
  opts: ExtractBenchOptions = {},
): Promise<ExtractBenchResult> {
  const { rounds = 3 } = opts;
  const dir = join(requireShared('bench extract'), 'bench', 'extraction', 'zyte');
  const pages = readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .slice(0, opts.maxPages)
    .map((f) => readFileSync(join(dir, f)));
  const { onJsdom, onLinkedom } = readabilityRuns(await loadBaselines());
  // The phrases production uses: timing a shorter list would flatter the figure.
  const boilerplate = boilerplatePhrases(config);
  const pool = new ExtractPool({ ...extractPoolOptions(config), threads: 1, inPlaceMaxBytes: 0 });
  const runs: Record<ExtractContender, Run> = {
    ours: (p) => outcomeOf(extractPage(p, { boilerplate })),
    oursOffThread: async (p) => outcomeOf(await pool.extractPage(p, { boilerplate })),
    readabilityJsdom: onJsdom,
    readabilityLinkedom: onLinkedom,
  };
  const msPerRound = Object.fromEntries(EXTRACT_CONTENDERS.map((c) => [c, [] as number[]])) as Record<
    ExtractContender,
    number[]
  >;
  const empty = Object.fromEntries(EXTRACT_CONTENDERS.map((c) => [c, new Set<number>()]));
  const failed = Object.fromEntries(EXTRACT_CONTENDERS.map((c) => [c, new Map<number, string>()]));
  try {
    progress(`bench extract: ${pages.length} pages, warming up`);
    for (const p of pages.slice(0, 5)) for (const c of EXTRACT_CONTENDERS) await settle(runs[c], p);
    for (let r = 0; r < rounds; r++) {
      progress(`bench extract: round ${r + 1} of ${rounds}, ${EXTRACT_CONTENDERS.join(', ')} page by page`);
      const spent = Object.fromEntries(EXTRACT_CONTENDERS.map((c) => [c, 0])) as Record<
        ExtractContender,
        number
      >;
      for (let i = 0; i < pages.length; i++) {
        for (const c of rotated(EXTRACT_CONTENDERS, r + i)) {
          const t0 = performance.now();
          const outcome = await settle(runs[c], pages[i]!);
          spent[c] += performance.now() - t0;
          if (outcome === 'empty') empty[c]!.add(i);
          else if (outcome !== 'ok') failed[c]!.set(i, outcome.error);
        }
      }
      for (const c of EXTRACT_CONTENDERS) msPerRound[c].push(spent[c]);
    }
  } finally {
    await pool.close();
  }
  const perSec = (c: ExtractContender) => msPerRound[c].map((ms) => pages.length / (ms / 1000));
  const ratio = (fast: ExtractContender, slow: ExtractContender) =>
    spreadOf(ratiosOf(msPerRound[slow], msPerRound[fast]));
  const contenders = Object.fromEntries(
    EXTRACT_CONTENDERS.map((c) => {
      const failures: Record<string, number> = {};
      for (const msg of failed[c]!.values()) failures[msg] = (failures[msg] ?? 0) + 1;
      const result: ExtractContenderResult = {
        pagesPerSec: spreadOf(perSec(c)),
        empty: empty[c]!.size,
        failed: failed[c]!.size,
        failures,
      };
      if (result.failed) progress(`bench extract: ${c} threw on ${result.failed} pages`);
      return [c, result];
    }),
  ) as Record<ExtractContender, ExtractContenderResult>;
  const ratios = {
    oursVsJsdom: ratio('ours', 'readabilityJsdom'),
    oursVsLinkedom: ratio('ours', 'readabilityLinkedom'),
    offThreadVsJsdom: ratio('oursOffThread', 'readabilityJsdom'),
    offThreadVsLinkedom: ratio('oursOffThread', 'readabilityLinkedom'),
    linkedomVsJsdom: ratio('readabilityLinkedom', 'readabilityJsdom'),
  };
  return {
    pages: pages.length,
    oursPagesPerSec: contenders.ours.pagesPerSec.median,
    readabilityPagesPerSec: contenders.readabilityJsdom.pagesPerSec.median,
    ratio: ratios.oursVsJsdom.median,
    offThreadPagesPerSec: contenders.oursOffThread.pagesPerSec.median,
    offThreadRatio: ratios.offThreadVsJsdom.median,
    readabilityLinkedomPagesPerSec: contenders.readabilityLinkedom.pagesPerSec.median,
    ratioVsLinkedom: ratios.oursVsLinkedom.median,
    offThreadRatioVsLinkedom: ratios.offThreadVsLinkedom.median,
    rounds,
    contenders,
    ratios,
  };
}

function outcomeOf(article: { status: ExtractStatus; reason?: string }): Outcome {
  if (article.status === 'failed') return { error: errorLine(article.reason ?? 'failed') };
  return article.status;
}

function errorLine(message: string): string {
  return message.slice(0, 120);
}

async function settle(run: Run, page: Buffer): Promise<Outcome> {
  try {
    return await run(page);
  } catch (err) {
    return { error: errorLine(err instanceof Error ? err.message : String(err)) };
  }
}
