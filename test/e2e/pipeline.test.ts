import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnce } from '../../src/app/run.js';
import { feedIdFor } from '../../src/feeds/feed-id.js';
import { createLogger } from '../../src/log.js';
import { allThreadNinjs, clusterNinjsOf } from '../../src/ninjs/ninjs-read.js';
import { syncFeedSchedules } from '../../src/pipeline/schedule-feeds.js';
import { createQueues } from '../../src/queues/queues.js';
import { listClusters } from '../../src/store/cluster-read.js';
import { keysFor } from '../../src/store/keys.js';
import { ninjsValidator } from '../support/ninjs-schema.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';
import { serveFolder } from '../support/static-server.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'e2e');
const sharedCorpus = resolve(repoRoot, '..', 'shared', 'corpus');

function configFor(prefix: string) {
  const config = testConfig(prefix, {
    WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true',
  });
  // Every fixture outlet is the one loopback host here: per-host politeness would serialise the run.
  config.net.politeness = { ...config.net.politeness, maxConcurrentPerHost: 16, minDelayMs: 0 };
  return config;
}

/** Pages grouped by cluster, as sorted lists of paths, for partition comparison. */
function partition(groups: string[][]): string[] {
  return groups.map((g) => [...g].sort().join(' + ')).sort();
}

describe('pipeline end to end: feeds → articles → clusters in Redis', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('e2e');
  let server: Awaited<ReturnType<typeof serveFolder>>;

  beforeAll(async () => {
    server = await serveFolder(fixtures, ['{{BASE}}']);
  });
  afterAll(async () => {
    await server.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('clusters the fixture stories exactly, with clean bodies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-e2e-'));
    const list = join(dir, 'feeds.txt');
    await writeFile(
      list,
      readFileSync(join(fixtures, 'feeds.txt'), 'utf8').replaceAll('{{BASE}}', server.url),
    );
    const config = configFor(prefix);
    const summary = await runOnce(config, createLogger('silent'), {
      role: 'all',
      once: true,
      feedsList: list,
    });
    expect(summary).toMatchObject({ feeds: 3, articlesStored: 7, clusters: 3, failures: 0 });
    // 8 items listed: one is the same gazette article under a tracking-parameter URL
    expect(summary.items).toBe(8);

    const truth = JSON.parse(readFileSync(join(fixtures, 'truth.json'), 'utf8')) as {
      clusters: Record<string, string[]>;
    };
    const keys = keysFor(prefix);
    const clusters = await listClusters(redis, keys);
    const got = clusters.map((c) => c.members.map((m) => new URL(m.url).pathname));
    expect(partition(got)).toEqual(partition(Object.values(truth.clusters)));

    for (const c of clusters) {
      for (const m of c.members) {
        const body = (await redis.get(keys.articleBody(m.id))) ?? '';
        expect(body.length).toBeGreaterThan(200);
        for (const line of ['Avec AFP', 'Retour en haut', 'Partager', 'À lire aussi'])
          expect(body).not.toContain(line);
        expect(body.split('\n\n')).not.toContain('source');
        // windows-1252 pages decoded without mojibake
        expect(body).not.toMatch(/Ã©|Ã¨|â€™/);
      }
    }
  });

  it('is idempotent: a second run over the same feeds adds nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-e2e-'));
    const list = join(dir, 'feeds.txt');
    await writeFile(
      list,
      readFileSync(join(fixtures, 'feeds.txt'), 'utf8').replaceAll('{{BASE}}', server.url),
    );
    const summary = await runOnce(configFor(prefix), createLogger('silent'), {
      role: 'all',
      once: true,
      feedsList: list,
    });
    expect(summary).toMatchObject({ articlesStored: 0, clusters: 3, failures: 0 });
  });

  it("finishes beside a daemon's feed schedules in the same prefix", async () => {
    const config = configFor(prefix);
    const redis = connectTestRedis();
    const queues = createQueues(redis, config);
    try {
      // What a running scheduler leaves: one delayed "next poll" per feed, an hour away.
      const feedUrl = `${server.url}/feeds/scheduled-by-daemon.xml`;
      await syncFeedSchedules(queues.feeds, [
        { feedId: feedIdFor(feedUrl), url: feedUrl, intervalSeconds: 3600, origin: 'list' },
      ]);
      await new Promise((r) => setTimeout(r, 50));
      expect(await queues.feeds.getJobCountByTypes('delayed', 'waiting')).toBeGreaterThan(0);
      const dir = await mkdtemp(join(tmpdir(), 'wiresift-e2e-'));
      const list = join(dir, 'feeds.txt');
      await writeFile(
        list,
        readFileSync(join(fixtures, 'feeds.txt'), 'utf8').replaceAll('{{BASE}}', server.url),
      );
      const started = Date.now();
      const summary = await runOnce(config, createLogger('silent'), {
        role: 'all',
        once: true,
        feedsList: list,
      });
      expect(summary).toMatchObject({ articlesStored: 0, clusters: 3 });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(await queues.feeds.getJobSchedulersCount()).toBe(1);
    } finally {
      await queues.feeds.removeJobScheduler(feedIdFor(`${server.url}/feeds/scheduled-by-daemon.xml`));
      await queues.close();
      redis.disconnect();
    }
  }, 30_000);
});

describe.skipIf(!existsSync(join(sharedCorpus, 'dev', 'truth.json')))(
  'pipeline on the shared dev corpus',
  () => {
    it('clusters the corpus: pairwise F1 ≥ 0.98, ARI ≥ 0.97, no hard-negative merge; threads its stories; ninjs validates', {
      timeout: 180_000,
    }, async () => {
      const redis = connectTestRedis();
      const prefix = uniquePrefix('corpus');
      const server = await serveFolder(join(sharedCorpus, 'dev'), ['http://127.0.0.1:8080']);
      try {
        const dir = await mkdtemp(join(tmpdir(), 'wiresift-corpus-'));
        const list = join(dir, 'feeds.opml');
        await writeFile(
          list,
          readFileSync(join(sharedCorpus, 'dev', 'feeds.opml'), 'utf8').replaceAll(
            'http://127.0.0.1:8080',
            server.url,
          ),
        );
        const summary = await runOnce(configFor(prefix), createLogger('silent'), {
          role: 'all',
          once: true,
          feedsList: list,
        });
        expect(summary.failures).toBe(0);
        const keys = keysFor(prefix);
        const clusters = await listClusters(redis, keys);
        const pages: Record<string, { cluster: string; story: string }> = {};
        for (const c of clusters)
          for (const m of c.members)
            pages[new URL(m.url).pathname] = { cluster: c.id, story: c.thread ?? c.id };
        const predFile = join(dir, 'pred.json');
        await writeFile(predFile, JSON.stringify({ pages }));
        const out = execFileSync(
          'node',
          [join(sharedCorpus, 'score.mjs'), join(sharedCorpus, 'dev', 'truth.json'), predFile, '--json'],
          { encoding: 'utf8' },
        );
        const score = JSON.parse(out) as {
          clustering: { pairwiseF1: number; ari: number; hardNegativeFalseMergePairs: number };
          stories: { pairwisePrecision: number; pairwiseF1: number };
        };
        console.log(
          `[corpus] clustering ${JSON.stringify(score.clustering)} stories ${JSON.stringify(score.stories)}`,
        );
        expect(score.clustering.pairwiseF1).toBeGreaterThanOrEqual(0.98);
        expect(score.clustering.ari).toBeGreaterThanOrEqual(0.97);
        expect(score.clustering.hardNegativeFalseMergePairs).toBe(0);
        // Story threads (story = the cluster's thread, else the cluster): the corpus's families.
        expect(score.stories.pairwiseF1).toBeGreaterThanOrEqual(0.95);
        expect(score.stories.pairwisePrecision).toBeGreaterThanOrEqual(0.98);
        // Every cluster's and thread's ninjs validates against the IPTC schema.
        const validate = ninjsValidator();
        for (const c of clusters) expect(validate(await clusterNinjsOf(redis, keys, c.id)), c.id).toEqual([]);
        for await (const t of allThreadNinjs(redis, keys)) expect(validate(t), t.uri).toEqual([]);
      } finally {
        await server.close();
        await dropPrefix(redis, prefix);
        redis.disconnect();
      }
    });
  },
);

if (!existsSync(join(sharedCorpus, 'dev', 'truth.json'))) {
  console.warn(`[wiresift tests] ${sharedCorpus} not found: the shared-corpus end-to-end test is skipped`);
}
