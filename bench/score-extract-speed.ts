/**
 * Per-page extraction time of this tree against other builds, page by page in alternation
 * (A then B, B then A on the next page), so a loaded machine slows every build alike.
 *   npm run build   (here and in each other worktree)
 *   npx tsx bench/score-extract-speed.ts [--passes N] [--set zyte|synth] [WORKTREE...]
 * `zyte`: the Zyte benchmark pages, the typical ones of 80-120 KB reported apart; `synth`:
 * 200 pages of ~100 KB from bench load's generator (inline scripts and styles, menus,
 * teaser grids). Without WORKTREE, this tree alone. Prints, per build, the median over
 * passes of each page's time, and the ratio of each build's page times to the first one's.
 */
import fs from 'node:fs';
import path from 'node:path';

type Page = { url: string; bytes: Buffer; typical: boolean };
type Build = { name: string; run: (p: Page) => unknown; times: number[][] };
type Extract = (bytes: Uint8Array, opts: { url: string; boilerplate: string[] }) => unknown;

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const at = args.indexOf(name);
  return at < 0 ? dflt : args.splice(at, 2)[1]!;
};
const passes = Number(flag('--passes', '10'));
const set = flag('--set', 'zyte');
const here = path.join(import.meta.dirname, '..');
const trees = [here, ...args.map((a) => path.resolve(a))];

async function pagesOf(which: string): Promise<Page[]> {
  if (which === 'synth') {
    const { generateCorpus } = await import(path.join(here, 'dist/src/bench/generated-corpus.js'));
    const corpus = generateCorpus({ articles: 200, feeds: 20, pageBytes: 100 * 1024 });
    return [...corpus.files]
      .filter(([p]) => p.startsWith('/a/'))
      .map(([p, f]) => ({
        url: `http://127.0.0.1:8080${p}`,
        bytes: Buffer.from(typeof f.body === 'function' ? f.body() : f.body),
        typical: true,
      }));
  }
  const dir = path.join(here, '..', 'shared', 'bench', 'extraction', 'zyte');
  const truth = JSON.parse(fs.readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Record<
    string,
    { url: string }
  >;
  return Object.keys(truth)
    .sort()
    .map((id) => {
      const bytes = fs.readFileSync(path.join(dir, `${id}.html`));
      return { url: truth[id]!.url, bytes, typical: bytes.length >= 80e3 && bytes.length <= 120e3 };
    });
}

const pages = await pagesOf(set);
const builds: Build[] = [];
for (const tree of trees) {
  const { extractPage } = (await import(path.join(tree, 'dist/src/extract/extract-page.js'))) as {
    extractPage: Extract;
  };
  const config = await import(path.join(tree, 'dist/src/config.js'));
  const boilerplate = config.boilerplatePhrases(config.loadConfig({ env: {} })) as string[];
  builds.push({
    name: path.basename(tree),
    run: (p) => extractPage(p.bytes, { url: p.url, boilerplate }),
    times: pages.map(() => []),
  });
}
// Warm: the JIT settles in a pass or two.
for (const b of builds) for (let k = 0; k < 2; k++) for (const p of pages) b.run(p);
for (let r = 0; r < passes; r++)
  pages.forEach((p, i) => {
    for (const b of (i + r) % 2 ? builds : [...builds].reverse()) {
      const t = performance.now();
      b.run(p);
      b.times[i]!.push(performance.now() - t);
    }
  });

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const first = builds[0]!;
for (const b of builds) {
  const perPage = b.times.map(median);
  const typical = perPage.filter((_, i) => pages[i]!.typical);
  const total = perPage.reduce((s, t) => s + t, 0);
  const ratios = perPage.map((t, i) => t / median(first.times[i]!));
  console.log(
    `${b.name}: typical pages (${typical.length}) median ${median(typical).toFixed(3)} ms, all ${pages.length} pages ${((pages.length / total) * 1000).toFixed(0)} pages/s; page time / ${first.name}: median ${median(ratios).toFixed(3)}`,
  );
}
