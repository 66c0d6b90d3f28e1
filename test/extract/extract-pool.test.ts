import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractPool, type ExtractPoolOptions } from '../../src/extract/extract-pool.js';
import { outputOf, runCli, spawnTsx } from '../support/cli.js';

/**
 * Extraction on worker threads: a page over its time or heap budget costs its
 * thread (terminated, replaced) and fails alone; the other pages go on.
 */

const PARAGRAPHS = [
  'The regional council approved the new tram line on Monday after a debate that lasted most of the night.',
  'Work on the first section, between the station and the university, is due to start in the spring, officials said.',
  'Opponents argued that the cost had doubled since the project was first presented, and asked for an independent audit.',
];
const GOOD = Buffer.from(
  `<html><head><title>Tram line approved</title></head><body><article>${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`,
);
/** Quadratic in htmlparser2 once the depth cap is lifted: far longer than any budget here. */
// Deep enough that even at the CLI's depth cap (100,000) it parses for seconds, far past the test deadline.
const SLOW = Buffer.from(`<html><body>${'<b>'.repeat(600_000)}x</body></html>`);
const UNCAPPED = { maxDepth: 10_000_000, maxElements: 100_000_000 };

function pool(overrides: Partial<ExtractPoolOptions> = {}): ExtractPool {
  return new ExtractPool({
    threads: 2,
    timeoutMs: 4000,
    maxHeapMb: 512,
    maxBodyChars: 100_000,
    limits: { maxDepth: 512, maxElements: 200_000 },
    ...overrides,
  });
}

/** Both threads started and warm, so thread start-up (slow from source) is not what is measured. */
async function warm(p: ExtractPool): Promise<void> {
  await Promise.all([p.extractPage(GOOD, { boilerplate: [] }), p.extractPage(GOOD, { boilerplate: [] })]);
}

describe('ExtractPool', () => {
  const pools: ExtractPool[] = [];
  const make = (o: Partial<ExtractPoolOptions> = {}) => {
    const p = pool(o);
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('extracts a page on a thread, with the same result as in place', async () => {
    const p = make();
    const r = await p.extractPage(GOOD, { boilerplate: [] });
    expect(r.status).toBe('ok');
    expect(r.title).toBe('Tram line approved');
    expect(r.text).toContain(PARAGRAPHS[2]);
    expect(r.charset).toBe('utf-8');
  });

  it('pages up to inPlaceMaxBytes are extracted in place with the same result; larger ones go to a thread', async () => {
    const onThread = await make().extractPage(GOOD, { boilerplate: [] });
    const p = make({ inPlaceMaxBytes: GOOD.length });
    const inPlace = await p.extractPage(GOOD, { boilerplate: [] });
    expect(inPlace).toEqual(onThread);
    const item = `<html><body><article><p>${PARAGRAPHS[0]}</p></article></body></html>`;
    // HTML is bounded by the bytes it can stand for: 3 a character.
    const q = make({ inPlaceMaxBytes: item.length * 3 });
    expect((await q.extractHtml(item, { boilerplate: [] })).text).toBe(PARAGRAPHS[0]);
    expect(q.threads).toBe(0);
    expect(p.threads).toBe(0);
    const bigger = Buffer.concat([GOOD, Buffer.from('<!-- one byte past the bound -->')]);
    expect((await p.extractPage(bigger, { boilerplate: [] })).text).toBe(onThread.text);
    expect(p.threads).toBe(1);
    // The cut at maxBodyChars applies in place too.
    const cut = await make({ inPlaceMaxBytes: GOOD.length, maxBodyChars: 50 }).extractPage(GOOD, {
      boilerplate: [],
    });
    expect(cut.truncated).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(50);
  });

  it('a hostile page and a good page at once: the good one finishes promptly, the hostile one fails at its deadline with the reason', {
    timeout: 60_000,
  }, async () => {
    const p = make({ timeoutMs: 6000 });
    await warm(p);
    const t0 = performance.now();
    const hostile = p
      .extractPage(SLOW, { boilerplate: [], limits: UNCAPPED })
      .then((r) => ({ r, ms: performance.now() - t0 }));
    const good = await p
      .extractPage(GOOD, { boilerplate: [] })
      .then((r) => ({ r, ms: performance.now() - t0 }));
    expect(good.r.status).toBe('ok');
    // It did not wait for the hostile page's deadline.
    expect(good.ms).toBeLessThan(3000);
    const bad = await hostile;
    expect(bad.r).toMatchObject({
      status: 'failed',
      reason: 'extract: page took longer than 6000 ms (its thread was stopped)',
    });
    expect(bad.ms).toBeGreaterThanOrEqual(5900);
    expect(bad.ms).toBeLessThan(20_000);
    // The thread was replaced: the pool still works.
    expect((await p.extractPage(GOOD, { boilerplate: [] })).status).toBe('ok');
  });

  it('a page over the heap cap fails with the reason, and the pool goes on', {
    timeout: 90_000,
  }, async () => {
    const p = make({ threads: 1, maxHeapMb: 64, timeoutMs: 60_000 });
    // Two million elements: several hundred MB of DOM.
    const huge = Buffer.from(`<html><body>${'<p>a</p>'.repeat(2_000_000)}</body></html>`);
    const r = await p.extractPage(huge, { boilerplate: [], limits: UNCAPPED });
    expect(r).toMatchObject({
      status: 'failed',
      reason: 'extract: page needed more than 64 MB of heap (its thread was stopped)',
    });
    expect((await p.extractPage(GOOD, { boilerplate: [] })).status).toBe('ok');
  });

  it('pages queued behind busy threads wait for a thread, not on a deadline of their own', {
    timeout: 60_000,
  }, async () => {
    const p = make({ threads: 1 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => p.extractPage(GOOD, { boilerplate: [] })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('ok'));
  });

  it('close() fails what is pending and stops the threads', { timeout: 60_000 }, async () => {
    const p = pool({ threads: 1 });
    const slow = p.extractPage(SLOW, { boilerplate: [], limits: UNCAPPED });
    const queued = p.extractPage(GOOD, { boilerplate: [] });
    await new Promise((r) => setTimeout(r, 200));
    await p.close();
    expect((await slow).reason).toMatch(/^extract: shut down/);
    expect((await queued).reason).toMatch(/^extract: shut down/);
    expect((await p.extractPage(GOOD, { boilerplate: [] })).reason).toBe(
      'extract: the extraction pool is closed',
    );
  });

  it('an idle pool does not keep its process alive (no close() needed)', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wiresift-pool-'));
    try {
      const script = join(dir, 'use-pool.mts');
      writeFileSync(
        script,
        `import { ExtractPool } from ${JSON.stringify(join(process.cwd(), 'src/extract/extract-pool.ts'))};
const p = new ExtractPool({ threads: 2, timeoutMs: 10000, maxHeapMb: 256, maxBodyChars: 1000, limits: { maxDepth: 512, maxElements: 1000 } });
const r = await p.extractPage(Buffer.from(${JSON.stringify(GOOD.toString())}), { boilerplate: [] });
console.log(r.status);
`,
      );
      const t0 = performance.now();
      const out = await outputOf(spawnTsx(script));
      expect(out.stdout.trim()).toBe('ok');
      expect(out.code).toBe(0);
      expect(performance.now() - t0).toBeLessThan(30_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('wiresift extract: the pool and the caps of the network path', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wiresift-extract-'));
    writeFileSync(join(dir, 'good.html'), GOOD);
    writeFileSync(join(dir, 'slow.html'), SLOW);
    // One byte over the cap set below.
    writeFileSync(join(dir, 'big.html'), Buffer.alloc(2_000_001, 0x61));
    writeFileSync(
      join(dir, 'config.yaml'),
      'net:\n  maxBodyBytes: 2000000\nextract:\n  timeoutMs: 500\n  maxDepth: 100000\n  maxElements: 100000000\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file larger than net.maxBodyBytes is refused with the reason, without reading it all; a hostile file fails at the deadline; the command ends', {
    timeout: 90_000,
  }, async () => {
    const out = await runCli([
      'extract',
      '--config',
      join(dir, 'config.yaml'),
      join(dir, 'big.html'),
      join(dir, 'slow.html'),
      join(dir, 'good.html'),
    ]);
    expect(out.code).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(['big.html', 'slow.html', 'good.html'].map((f) => join(dir, f)));
    expect(lines[0]).toMatchObject({
      status: 'failed',
      reason: `extract: ${join(dir, 'big.html')} is larger than net.maxBodyBytes (2000000 bytes), the cap on fetched pages`,
    });
    expect(lines[1]).toMatchObject({
      status: 'failed',
      reason: 'extract: page took longer than 500 ms (its thread was stopped)',
    });
    expect(lines[2].status).toBe('ok');
  });
});
