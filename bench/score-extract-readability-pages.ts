/**
 * Extract Mozilla Readability's test pages and score them with token F1, per kind.
 *   npx tsx bench/score-extract-readability-pages.ts [/tmp/pred-rp.json] [datasetDir] [--worst N]
 * Writes `{file: text}` predictions, then runs the shared scorer on them:
 *   node ../shared/bench/extraction/token-f1.mjs <dir>/cases.json <predictions> --by kind
 * and prints the figure on the real pages (kinds news + other) apart from the synthetic ones.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireShared } from '../src/bench/shared-data.js';
import { boilerplatePhrases, loadConfig } from '../src/config.js';
import { extractPage } from '../src/extract/extract-page.js';

type Case = { file: string; url: string | null; expectText: string; kind: string; lang: string };

const args = process.argv.slice(2);
const worstAt = args.indexOf('--worst');
const worst = worstAt >= 0 ? Number(args.splice(worstAt, 2)[1]) : 10;
const out = path.resolve(args[0] ?? path.join(os.tmpdir(), 'pred-readability-pages.json'));
const dir = path.resolve(
  args[1] ?? path.join(requireShared('readability pages'), 'bench', 'extraction', 'readability-pages'),
);
const scorer = path.join(path.dirname(dir), 'token-f1.mjs');

// The phrases production uses, so the score measures what the worker does.
const boilerplate = boilerplatePhrases(loadConfig({ env: {} }));
const casesPath = path.join(dir, 'cases.json');
const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8')) as Case[];

const preds: Record<string, string> = {};
const statuses: Record<string, number> = {};
const t0 = performance.now();
for (const c of cases) {
  const r = extractPage(fs.readFileSync(path.join(dir, c.file)), {
    url: c.url ?? `http://example.invalid/${c.file}`,
    boilerplate,
  });
  preds[c.file] = r.text;
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
}
const ms = performance.now() - t0;
fs.writeFileSync(out, JSON.stringify(preds));
console.log(`${cases.length} pages in ${ms.toFixed(0)} ms; status ${JSON.stringify(statuses)}`);

const score = (file: string, extra: string[]) =>
  execFileSync(process.execPath, [scorer, file, out, ...extra], { encoding: 'utf8' });

// The real pages on their own: the synthetic ones each test one parsing feature.
const realCases = path.join(os.tmpdir(), `readability-pages-real-${process.pid}.json`);
fs.writeFileSync(realCases, JSON.stringify(cases.filter((c) => c.kind !== 'synthetic')));
try {
  console.log('real pages (news + other):');
  process.stdout.write(score(realCases, ['--worst', String(worst), '--by', 'kind']));
} finally {
  fs.rmSync(realCases, { force: true });
}
console.log('all pages:');
process.stdout.write(score(casesPath, ['--worst', '0', '--by', 'kind']));
console.log(`predictions written to ${out}`);
