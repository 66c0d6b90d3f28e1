/**
 * One dedup worker process for test/dedup/concurrent-workers.test.ts: its own
 * Redis connection and ClusterIndex, assigning every document of a JSON file
 * in its own shuffled order. Prints {"assigned","conflicts"} on stdout.
 * Usage: tsx assign-worker.ts REDIS_URL PREFIX DOCS.json SEED
 */

import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { placementFor } from '../../../src/dedup/cluster-policy.js';
import { DEFAULT_DEDUP_POLICY, DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE } from '../../../src/dedup/defaults.js';
import { optimalLshParams } from '../../../src/dedup/lsh-params.js';
import { MinHasher } from '../../../src/dedup/minhash.js';
import { INDEX_SKETCH, sketchText } from '../../../src/dedup/sketch.js';
import { ClusterIndex } from '../../../src/store/cluster-index.js';
import { keysFor } from '../../../src/store/keys.js';

export type WorkerDoc = { id: string; text: string; publishedAt: number; agency: string };

const [redisUrl, prefix, docsFile, seedArg] = process.argv.slice(2);
if (!redisUrl || !prefix || !docsFile || !seedArg) throw new Error('usage: REDIS_URL PREFIX DOCS.json SEED');
const docs = JSON.parse(readFileSync(docsFile, 'utf8')) as WorkerDoc[];

let s = Number(seedArg) | 0;
const rand = () => {
  s = (s + 0x6d2b79f5) | 0;
  let t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const order = docs.slice();
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}

const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const keys = keysFor(prefix);
const hasher = new MinHasher({ numPerm: DEFAULT_NUM_PERM, seed: 1 });
const { bands, rows } = optimalLshParams(DEFAULT_DEDUP_POLICY.candidateThreshold, DEFAULT_NUM_PERM);
const index = new ClusterIndex(redis, keys, {
  bands,
  rows,
  format: INDEX_SKETCH,
  place: placementFor(DEFAULT_DEDUP_POLICY),
});
// Start together: every worker waits for the test's go signal.
while ((await redis.get(`${prefix}go`)) !== '1') await new Promise((r) => setTimeout(r, 5));
let assigned = 0;
for (const d of order) {
  // what the articles stage stores before dedup (the representative reads it)
  if (d.agency) await redis.hset(keys.article(d.id), 'agency', d.agency);
  const r = await index.assign({
    articleId: d.id,
    sketch: sketchText(d.text, hasher, DEFAULT_SHINGLE_SIZE),
    publishedAt: d.publishedAt,
    ttlSeconds: 72 * 3600,
  });
  if (!r.alreadyAssigned) assigned++;
}
process.stdout.write(`${JSON.stringify({ assigned, conflicts: index.conflicts })}\n`);
redis.disconnect();
