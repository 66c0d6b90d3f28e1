/**
 * Signatures per second on ~600-word French and English texts:
 *   - tokenize+hash only: normalizeForDedup → tokenize → shingleHashes (the floor)
 *   - MinHasher: the same plus MinHasher.signature (production path)
 *   - npm `minhash` (the design card's baseline): Minhash.update per token
 * and the MinHash stage alone (signature from ready shingles vs npm updates
 * from ready tokens), which is where the two libraries differ.
 *
 *   npx tsx bench/dedup-speed.ts [--ms 1500]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Minhash } from 'minhash';
import { DEFAULT_NUM_PERM, DEFAULT_SEED, DEFAULT_SHINGLE_SIZE } from '../src/dedup/defaults.js';
import { MinHasher } from '../src/dedup/minhash.js';
import { normalizeForDedup, tokenize } from '../src/dedup/normalize.js';
import { shingleHashes } from '../src/dedup/shingles.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const truthPath = path.resolve(repoRoot, '..', 'shared', 'corpus', 'dev', 'truth.json');
const msArg = process.argv.indexOf('--ms');
const budgetMs = msArg > 0 ? Number(process.argv[msArg + 1]) : 1500;
const WORDS = 600;

/** Fallback when the shared corpus is absent: our own paragraphs, repeated with numbered variations. */
const FALLBACK = {
  fr: "La préfecture a indiqué mardi qu'une cellule de crise serait réunie dès le lendemain avec les élus, la direction de l'usine et les représentants du personnel, afin d'étudier l'ensemble des pistes de reprise du site et d'éviter les licenciements.",
  en: 'The company said on Tuesday it would cut its full-year forecast after freight rates fell faster than expected in the first two months of the year, and that it would suspend its dividend to protect the balance sheet while it reviews its fleet.',
};

function sampleText(lang: 'fr' | 'en'): { text: string; source: string } {
  let text = '';
  let source = 'built-in fallback paragraphs';
  if (existsSync(truthPath)) {
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as {
      pages: Record<string, { lang: string; body: string }>;
    };
    for (const page of Object.values(truth.pages)) {
      if (page.lang !== lang) continue;
      text += `${page.body}\n\n`;
      if (text.split(/\s+/).length > WORDS) break;
    }
    source = 'shared corpus bodies';
  }
  let i = 0;
  while (text.split(/\s+/).length < WORDS) text += `${FALLBACK[lang]} (${++i})\n\n`;
  return { text: text.split(/\s+/).slice(0, WORDS).join(' '), source };
}

function opsPerSecond(fn: () => unknown): number {
  for (let i = 0; i < 30; i++) fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    fn();
    n++;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

const hasher = new MinHasher({ numPerm: DEFAULT_NUM_PERM, seed: DEFAULT_SEED });
const k = DEFAULT_SHINGLE_SIZE;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(10);

console.log(
  `numPerm ${DEFAULT_NUM_PERM}, ${k}-word shingles, ${WORDS}-word texts, ${budgetMs} ms per measure\n`,
);
for (const lang of ['fr', 'en'] as const) {
  const { text, source } = sampleText(lang);
  const tokens = tokenize(normalizeForDedup(text));
  const shingles = shingleHashes(tokens, k);

  const pass = opsPerSecond(() => shingleHashes(tokenize(normalizeForDedup(text)), k));
  const ours = opsPerSecond(() => hasher.signature(shingleHashes(tokenize(normalizeForDedup(text)), k)));
  const npm = opsPerSecond(() => {
    const m = new Minhash({ numPerm: DEFAULT_NUM_PERM, seed: DEFAULT_SEED });
    for (const t of tokenize(normalizeForDedup(text))) m.update(t);
    return m;
  });
  const oursStage = opsPerSecond(() => hasher.signature(shingles));
  const npmStage = opsPerSecond(() => {
    const m = new Minhash({ numPerm: DEFAULT_NUM_PERM, seed: DEFAULT_SEED });
    for (const t of tokens) m.update(t);
    return m;
  });

  console.log(`${lang} (${source}; ${tokens.length} tokens, ${shingles.length} shingles)`);
  console.log(`  end to end, signatures/s:`);
  console.log(`    tokenize+hash only     ${fmt(pass)}`);
  console.log(
    `    MinHasher              ${fmt(ours)}   ${((ours / pass) * 100).toFixed(1)}% of tokenize+hash only`,
  );
  console.log(`    npm minhash            ${fmt(npm)}   MinHasher is ${(ours / npm).toFixed(1)}x faster`);
  console.log(`  MinHash stage only, signatures/s:`);
  console.log(`    MinHasher.signature    ${fmt(oursStage)}`);
  console.log(
    `    npm Minhash.update     ${fmt(npmStage)}   MinHasher is ${(oursStage / npmStage).toFixed(0)}x faster\n`,
  );
}
