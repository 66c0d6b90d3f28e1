/**
 * Clusters the clean bodies of the shared dev corpus through ClusterIndex on a
 * real Redis and scores the result with the corpus's score.mjs.
 *
 *   npx tsx bench/dedup-corpus.ts [truth.json] [--seed N]
 *
 * Redis: REDIS_URL or redis://127.0.0.1:6379, under a unique key prefix that
 * is deleted afterwards. Prints: score.mjs output (pairwise F1, ARI,
 * hard-negative merges), LSH candidate recall (gold same-story pairs sharing
 * at least one band bucket), verification recall on those candidates, and the
 * Redis cost per article (keys, bytes by MEMORY USAGE, round trips).
 */

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { placementFor } from '../src/dedup/cluster-policy.js';
import {
  DEFAULT_DEDUP_POLICY,
  DEFAULT_NUM_PERM,
  DEFAULT_SEED,
  DEFAULT_SHINGLE_SIZE,
} from '../src/dedup/defaults.js';
import { bandBucketHashes, optimalLshParams } from '../src/dedup/lsh-params.js';
import { MinHasher } from '../src/dedup/minhash.js';
import { isSameStory } from '../src/dedup/policy.js';
import { INDEX_SKETCH, sketchText } from '../src/dedup/sketch.js';
import { ClusterIndex } from '../src/store/cluster-index.js';
import { dropKeys, forEachKeyBatch } from '../src/store/key-scan.js';
import { keysFor } from '../src/store/keys.js';

type TruthPage = { cluster: string; body: string; published: string };
type Truth = { pages: Record<string, TruthPage> };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : DEFAULT_SEED;
const truthPath =
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--seed') ??
  path.resolve(repoRoot, '..', 'shared', 'corpus', 'dev', 'truth.json');
const scorePath = path.resolve(path.dirname(truthPath), '..', 'score.mjs');

async function main(): Promise<void> {
  if (!existsSync(truthPath) || !existsSync(scorePath)) {
    console.log(`skipped: ${truthPath} or ${scorePath} not found`);
    return;
  }
  const truth = JSON.parse(await readFile(truthPath, 'utf8')) as Truth;
  const policy = DEFAULT_DEDUP_POLICY;
  const { bands, rows } = optimalLshParams(policy.candidateThreshold, DEFAULT_NUM_PERM);
  const hasher = new MinHasher({ numPerm: DEFAULT_NUM_PERM, seed });
  const pages = Object.entries(truth.pages)
    .map(([url, page]) => ({ url, page, sketch: sketchText(page.body, hasher, DEFAULT_SHINGLE_SIZE) }))
    .sort(
      (a, b) => Date.parse(a.page.published) - Date.parse(b.page.published) || a.url.localeCompare(b.url),
    );

  console.log(
    `numPerm ${DEFAULT_NUM_PERM} seed ${seed}, ${DEFAULT_SHINGLE_SIZE}-word shingles, LSH at J=${policy.candidateThreshold} -> ${bands} bands x ${rows} rows`,
  );
  console.log(`policy ${JSON.stringify(policy)}\n`);

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const prefix = `wiresift-bench:dedup:${randomBytes(4).toString('hex')}:`;
  const keys = keysFor(prefix);
  const workDir = mkdtempSync(path.join(tmpdir(), 'wiresift-dedup-'));
  try {
    const index = new ClusterIndex(redis, keys, {
      bands,
      rows,
      format: INDEX_SKETCH,
      place: placementFor(policy),
    });
    const predictions: Record<string, { cluster: string }> = {};
    const ids = new Map<string, string>();
    const started = performance.now();
    for (const [i, { url, page, sketch }] of pages.entries()) {
      const articleId = `a${i}`;
      ids.set(url, articleId);
      const result = await index.assign({
        articleId,
        sketch,
        publishedAt: Date.parse(page.published),
        ttlSeconds: 3600,
      });
      predictions[url] = { cluster: result.clusterId };
    }
    const elapsed = performance.now() - started;
    // The policy may move an article after its own assignment (a page found to be a
    // container, a short copy with a better host): score the final placement.
    for (const [url, id] of ids) predictions[url] = { cluster: (await index.clusterOf(id)) ?? '' };

    const predFile = path.join(workDir, 'predictions.json');
    writeFileSync(predFile, JSON.stringify({ pages: predictions }));
    const report = execFileSync(process.execPath, [scorePath, truthPath, predFile], { encoding: 'utf8' });
    console.log(
      report
        .split('\n')
        .filter(
          (line) =>
            !/extraction|precision .* recall .* F1 .*pages without a predicted body|leak|per outlet|^\s{4}\S+\s+n=/.test(
              line,
            ) || /clustering/.test(line),
        )
        .join('\n'),
    );

    // LSH stage: which gold same-story pairs became candidates, and how many of those verify directly.
    const buckets = pages.map((p) => bandBucketHashes(p.sketch.signature, bands, rows));
    let goldPairs = 0;
    let candidates = 0;
    let verified = 0;
    for (let i = 0; i < pages.length; i++) {
      for (let j = i + 1; j < pages.length; j++) {
        if (pages[i]!.page.cluster !== pages[j]!.page.cluster) continue;
        goldPairs++;
        if (!buckets[i]!.some((h, b) => h === buckets[j]![b])) continue;
        candidates++;
        if (isSameStory(pages[i]!.sketch, pages[j]!.sketch, policy).same) verified++;
      }
    }
    console.log(
      `LSH candidate recall: ${candidates}/${goldPairs} gold same-story pairs = ${(candidates / goldPairs).toFixed(4)}`,
    );
    console.log(
      `verified directly among candidates: ${verified}/${candidates} = ${(verified / candidates).toFixed(4)} (the rest join through other copies)`,
    );

    const all: string[] = [];
    await forEachKeyBatch(redis, `${prefix}*`, (batch) => {
      all.push(...batch);
    });
    const usage = async (match: (k: string) => boolean) => {
      let bytes = 0;
      let count = 0;
      for (const k of all.filter(match)) {
        bytes += Number((await redis.memory('USAGE', k)) ?? 0);
        count++;
      }
      return { bytes, count };
    };
    const n = pages.length;
    const sig = await usage((k) => k.startsWith(`${prefix}lsh:sig:`));
    const lsh = await usage((k) => k.startsWith(`${prefix}lsh:`) && !k.startsWith(`${prefix}lsh:sig:`));
    const art = await usage((k) => k.startsWith(`${prefix}article:`));
    const clu = await usage((k) => k.startsWith(`${prefix}cluster`));
    const ev = await usage((k) => k === keys.events);
    console.log(
      `\nRedis cost for ${n} articles (MEMORY USAGE, this Redis's encodings; signature blocks are allocated 256 records at a time, so a small corpus over-counts them):`,
    );
    const line = (name: string, u: { bytes: number; count: number }) =>
      console.log(
        `  ${name.padEnd(34)} ${String(u.count).padStart(5)} keys  ${(u.bytes / n).toFixed(0).padStart(6)} B/article`,
      );
    line('signature blocks (lsh:sig:*)', sig);
    line('LSH shards + window (lsh:*)', lsh);
    line('article hash fields (article:*)', art);
    line('clusters (cluster:*)', clu);
    line('events stream', ev);
    const total = sig.bytes + lsh.bytes + art.bytes + clu.bytes + ev.bytes;
    console.log(
      `  total ${(total / n).toFixed(0)} B/article; 2 round trips per new article (query + commit script)`,
    );
    console.log(
      `  assign throughput: ${((n / elapsed) * 1000).toFixed(0)} articles/s sequential (${(elapsed / n).toFixed(2)} ms each)`,
    );
  } finally {
    await dropKeys(redis, `${prefix}*`);
    redis.disconnect();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
