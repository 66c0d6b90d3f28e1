/**
 * Extract the Zyte article-extraction benchmark pages and write predictions for its scorer.
 *   npx tsx bench/score-extract-zyte.ts /tmp/pred-zyte.json [datasetDir]
 *   node ../shared/bench/extraction/score.mjs ../shared/bench/extraction/zyte /tmp/pred-zyte.json
 * Also prints pages/s and the per-page time on the pages of typical size (80-120 KB).
 */
import fs from 'node:fs';
import path from 'node:path';
import { boilerplatePhrases, loadConfig } from '../src/config.js';
import { extractPage } from '../src/extract/extract-page.js';

// The phrases production uses, so the score measures what the worker does.
const BOILERPLATE = boilerplatePhrases(loadConfig({ env: {} }));

const out = process.argv[2];
if (!out) {
  console.error('usage: npx tsx bench/score-extract-zyte.ts <predictions.json> [datasetDir]');
  process.exit(2);
}
const dir = path.resolve(
  process.argv[3] ?? path.join(import.meta.dirname, '..', '..', 'shared', 'bench', 'extraction', 'zyte'),
);
const truth = JSON.parse(fs.readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Record<
  string,
  { url: string; articleBody: string }
>;
const ids = Object.keys(truth).sort();
const files = ids.map((id) => fs.readFileSync(path.join(dir, `${id}.html`)));
const bytes = files.reduce((n, f) => n + f.length, 0);

const extractAll = () =>
  ids.map((id, i) => extractPage(files[i]!, { url: truth[id]!.url, boilerplate: BOILERPLATE }));
let t0 = performance.now();
const results = extractAll();
const coldMs = performance.now() - t0;
t0 = performance.now();
extractAll();
const ms = performance.now() - t0;
const preds: Record<string, { articleBody: string }> = {};
const statuses: Record<string, number> = {};
ids.forEach((id, i) => {
  const r = results[i]!;
  preds[id] = { articleBody: r.text };
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
});
fs.writeFileSync(out, JSON.stringify(preds));
// Per-page time on the typical page size (80-120 KB), warm, median of five runs each.
const typical = ids
  .map((id, i) => ({ id, bytes: files[i]! }))
  .filter((p) => p.bytes.length >= 80e3 && p.bytes.length <= 120e3);
const perPage = typical.map(({ id, bytes }) => {
  const runs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    extractPage(bytes, { url: truth[id]!.url, boilerplate: BOILERPLATE });
    runs.push(performance.now() - t);
  }
  return runs.sort((a, b) => a - b)[2]!;
});
perPage.sort((a, b) => a - b);
if (perPage.length)
  console.log(
    `${perPage.length} pages of 80-120 KB: median ${perPage[perPage.length >> 1]!.toFixed(1)} ms/page, slowest ${perPage[perPage.length - 1]!.toFixed(1)} ms`,
  );
console.log(
  `${ids.length} pages (${(bytes / 1e6).toFixed(1)} MB): cold ${coldMs.toFixed(0)} ms, warm ${ms.toFixed(0)} ms = ${((ids.length / ms) * 1000).toFixed(1)} pages/s; status ${JSON.stringify(statuses)}`,
);
console.log(`predictions written to ${out}`);
