import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Keys, keysFor } from '../../src/store/keys.js';
import { outputOf, spawnTsx } from '../support/cli.js';
import { connectTestRedis, dropPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';
import type { WorkerDoc } from './support/assign-worker.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const truthPath = resolve(repoRoot, '..', 'shared', 'corpus', 'dev', 'truth.json');
const hasCorpus = existsSync(truthPath);
if (!hasCorpus) console.warn(`skipping concurrent dedup workers test: ${truthPath} is absent`);

function corpusDocs(): WorkerDoc[] {
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as {
    pages: Record<string, { body: string; published: string; agency: string | null }>;
  };
  return Object.values(truth.pages).map((p, i) => ({
    id: `p${i}`,
    text: p.body,
    publishedAt: Date.parse(p.published) || 0,
    agency: p.agency ?? '',
  }));
}

/** Runs `workers` separate worker processes on one prefix, started at one signal. */
async function runWorkers(prefix: string, docsFile: string, seeds: number[]) {
  const redis = connectTestRedis();
  const children = seeds.map((seed) => {
    const child = spawnTsx(join(import.meta.dirname, 'support', 'assign-worker.ts'), [
      testRedisUrl(),
      prefix,
      docsFile,
      String(seed),
    ]);
    return outputOf(child).then(({ code, stdout, stderr }) => {
      if (code !== 0) throw new Error(`worker ${seed} exited ${code}: ${stderr}`);
      return JSON.parse(stdout) as { assigned: number; conflicts: number };
    });
  });
  await redis.set(`${prefix}go`, '1');
  try {
    return await Promise.all(children);
  } finally {
    redis.disconnect();
  }
}

/** Clusters as sorted member lists with their representative, independent of cluster ids. */
async function clustering(keys: Keys, ids: string[]): Promise<string[]> {
  const redis = connectTestRedis();
  try {
    const groups = new Map<string, string[]>();
    for (const id of ids) {
      const c = await redis.hget(keys.article(id), 'cluster');
      expect(c, `${id} has a cluster`).toBeTruthy();
      groups.set(c!, [...(groups.get(c!) ?? []), id]);
    }
    const out: string[] = [];
    for (const [c, members] of groups) {
      const rep = await redis.hget(keys.cluster(c), 'representative');
      out.push(`${members.sort().join(',')} rep=${rep}`);
    }
    return out.sort();
  } finally {
    redis.disconnect();
  }
}

describe.skipIf(!hasCorpus)('dedup workers in separate processes', () => {
  const redis = connectTestRedis();
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(redis, p);
    redis.disconnect();
  });

  it('4 concurrent worker processes on the corpus give exactly the clusters of 1 worker', async () => {
    const docs = corpusDocs();
    const ids = docs.map((d) => d.id);
    const docsFile = join(await mkdtemp(join(tmpdir(), 'wiresift-dedup-')), 'docs.json');
    await writeFile(docsFile, JSON.stringify(docs));

    const one = uniquePrefix('dedup-1w');
    const four = uniquePrefix('dedup-4w');
    prefixes.push(one, four);
    const [single] = await runWorkers(one, docsFile, [1]);
    expect(single!.assigned).toBe(docs.length);
    const expected = await clustering(keysFor(one), ids);
    // the corpus has multi-copy stories, so merges and joins are exercised
    expect(expected.length).toBeLessThan(docs.length * 0.7);

    // every process assigns every article in its own order: copies race, and so do retries
    const results = await runWorkers(four, docsFile, [2, 3, 4, 5]);
    expect(results.reduce((n, r) => n + r.assigned, 0)).toBe(docs.length);
    expect(await clustering(keysFor(four), ids)).toEqual(expected);
    const events = await redis.xrange(keysFor(four).events, '-', '+');
    expect(events.filter(([, f]) => f[f.indexOf('type') + 1] === 'article.clustered').length).toBe(
      docs.length,
    );
  }, 60_000);
});
