/**
 * Extract every page of the shared dev corpus and write scorer predictions.
 *   npx tsx bench/score-extract-corpus.ts /tmp/pred-corpus.json [corpusDir]
 *   node ../shared/corpus/score.mjs ../shared/corpus/dev/truth.json /tmp/pred-corpus.json
 * Also prints metadata agreement with truth.json (title, published, lang, agency) and pages/s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { boilerplatePhrases, loadConfig } from '../src/config.js';
import { extractPage } from '../src/extract/extract-page.js';
import type { ExtractedArticle } from '../src/extract/types.js';

type Truth = {
  pages: Record<
    string,
    { title: string; published: string; lang: string; agency: string | null; charset: string; body: string }
  >;
};

const out = process.argv[2];
if (!out) {
  console.error('usage: npx tsx bench/score-extract-corpus.ts <predictions.json> [corpus/dev dir]');
  process.exit(2);
}
const dir = path.resolve(
  process.argv[3] ?? path.join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'dev'),
);
const truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as Truth;
const urls = Object.keys(truth.pages).sort();
const files = urls.map((u) => fs.readFileSync(path.join(dir, u)));
// The phrases production uses, so the score measures what the worker does.
const boilerplate = boilerplatePhrases(loadConfig({ env: {} }));

const extractAll = () =>
  urls.map((u, i) => extractPage(files[i]!, { url: `http://127.0.0.1:8080${u}`, boilerplate }));
let t0 = performance.now();
const results: Array<ExtractedArticle & { charset: string }> = extractAll();
const coldMs = performance.now() - t0;
// Throughput once the JIT has warmed up, as in a long-running worker.
t0 = performance.now();
extractAll();
const ms = performance.now() - t0;
const charsets = results.map((r) => r.charset);

const pages: Record<string, { body: string }> = {};
const miss: Record<string, string[]> = {
  title: [],
  published: [],
  lang: [],
  agency: [],
  status: [],
  charset: [],
};
urls.forEach((u, i) => {
  const r = results[i]!;
  const t = truth.pages[u]!;
  pages[u] = { body: r.text };
  if (r.status !== 'ok') miss.status!.push(`${u}: ${r.status} ${r.reason}`);
  if (r.title !== t.title) miss.title!.push(`${u}: ${JSON.stringify(r.title)} != ${JSON.stringify(t.title)}`);
  if (r.publishedAt !== t.published) miss.published!.push(`${u}: ${r.publishedAt} != ${t.published}`);
  if (r.lang !== t.lang) miss.lang!.push(`${u}: ${r.lang} != ${t.lang}`);
  if (r.agency !== t.agency) miss.agency!.push(`${u}: ${r.agency} != ${t.agency}`);
  const cs = (c: string) => (c === 'iso-8859-1' ? 'windows-1252' : c);
  if (cs(charsets[i]!) !== cs(t.charset)) miss.charset!.push(`${u}: ${charsets[i]} != ${t.charset}`);
});
fs.writeFileSync(out, JSON.stringify({ pages }, null, 1));

console.log(
  `${urls.length} pages: cold ${coldMs.toFixed(0)} ms, warm ${ms.toFixed(0)} ms = ${((urls.length / ms) * 1000).toFixed(0)} pages/s`,
);
for (const [k, list] of Object.entries(miss)) {
  console.log(`${k}: ${urls.length - list.length}/${urls.length} match`);
  for (const m of list.slice(0, 6)) console.log(`   ${m}`);
}
console.log(`predictions written to ${out}`);
