/**
 * How long the hostile pages of test/hostile take in place when cut to a size, for
 * extract.inPlaceMaxKb: pages up to that size skip the thread pool, so the worst of them
 * is how long one page can hold the event loop. Prints the five slowest per size (best of
 * five runs each, after a warm-up sweep).
 *
 *   npx tsx bench/in-place-worst.ts [KiB,KiB...]   (default 16,32,64,128)
 */
import { boilerplatePhrases, loadConfig } from '../src/config.js';
import { runExtraction } from '../src/extract/guarded-extraction.js';
import { HOSTILE_PAGES } from '../test/hostile/hostile-pages-cases.js';

const config = loadConfig({});
const options = {
  url: 'https://news.example/a',
  boilerplate: boilerplatePhrases(config),
  limits: { maxDepth: config.extract.maxDepth, maxElements: config.extract.maxElements },
};
const sizes = (process.argv[2] ?? '16,32,64,128').split(',').map((s) => Number(s) * 1024);
const pages = HOSTILE_PAGES.map((p) => ({ id: p.id, body: p.body() }));

function worst(bytes: number, runs: number): Array<[string, number]> {
  return pages
    .map(({ id, body }): [string, number] => {
      const cut = body.subarray(0, bytes);
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < runs; k++) {
        const t0 = performance.now();
        runExtraction({
          kind: 'page',
          id: 0,
          bytes: cut,
          options,
          maxBodyChars: config.articles.maxBodyChars,
        });
        best = Math.min(best, performance.now() - t0);
      }
      return [id, best];
    })
    .sort((a, b) => b[1] - a[1]);
}

worst(Math.max(...sizes), 1);
for (const bytes of sizes) {
  const rows = worst(bytes, 5);
  console.log(
    `${bytes / 1024} KiB: ${rows
      .slice(0, 5)
      .map(([id, ms]) => `${id} ${ms.toFixed(1)} ms`)
      .join(', ')}`,
  );
}
