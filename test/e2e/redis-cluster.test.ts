import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnce } from '../../src/app/run.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { bullPrefix, QUEUE_NAMES } from '../../src/queues/names.js';
import { getArticleBody, saveArticle } from '../../src/store/articles.js';
import { listClusters } from '../../src/store/cluster-read.js';
import { keysForRedis } from '../../src/store/keys.js';
import { openRedis } from '../../src/store/redis-client.js';
import { articleRecord } from '../support/article-record.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';
import { clusterUnavailable, startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { serveFolder } from '../support/static-server.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'e2e');
const devCorpus = resolve(repoRoot, '..', 'shared', 'corpus', 'dev');
const hasDevCorpus = existsSync(join(devCorpus, 'truth.json'));
const unavailable = clusterUnavailable();
if (unavailable) console.warn(`[wiresift tests] ${unavailable}: the Redis Cluster tests are skipped`);
if (!hasDevCorpus)
  console.warn(`[wiresift tests] ${devCorpus} not found: the dev corpus on Redis Cluster is skipped`);

function pipelineConfig(prefix: string, env: Record<string, string> = {}): Config {
  const config = testConfig(prefix, { WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true', ...env });
  // Every fixture outlet is the one loopback host here: per-host politeness would serialise the run.
  config.net.politeness = { ...config.net.politeness, maxConcurrentPerHost: 16, minDelayMs: 0 };
  return config;
}

/** Each cluster as the sorted paths of its pages; the partition sorted. */
async function partitionOf(redis: Redis, config: Config): Promise<string[]> {
  const clusters = await listClusters(redis, keysForRedis(config.redis));
  return clusters
    .map((c) =>
      c.members
        .map((m) => new URL(m.url).pathname)
        .sort()
        .join(' + '),
    )
    .sort();
}

async function runFeeds(config: Config, feedsFile: string, from: string, to: string) {
  const dir = await mkdtemp(join(tmpdir(), 'wiresift-cluster-'));
  const list = join(dir, feedsFile.split('/').at(-1)!);
  await writeFile(list, readFileSync(feedsFile, 'utf8').replaceAll(from, to));
  return runOnce(config, createLogger('silent'), { role: 'all', once: true, feedsList: list });
}

describe.skipIf(unavailable !== null)('on a real 3-master Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let redis: Redis;
  const single = connectTestRedis();
  const singlePrefixes: string[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    redis = openRedis({ url: cluster.url, cluster: true }, { maxRetriesPerRequest: null });
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    for (const p of singlePrefixes) await dropPrefix(single, p);
    single.disconnect();
    await cluster?.stop();
  });

  it('refuses a prefix without a hash tag, naming the fix', () => {
    expect(() =>
      testConfig('wiresift-test:v1:', { REDIS_URL: cluster.url, WIRESIFT_REDIS_CLUSTER: 'true' }),
    ).toThrow(/prefix must carry one hash tag, e\.g\. "\{wiresift\}:v1:"/);
  });

  it("keeps each step's keys in one slot and spreads the rest over the masters", async () => {
    const keys = keysForRedis({ prefix: '{wiresift-test}:v1:', cluster: true });
    const slot = async (key: string) => Number(await redis.cluster('KEYSLOT', key));
    const core = await slot(keys.article('a1'));
    // What the dedup, review and thread scripts touch together.
    for (const k of [
      keys.cluster('c1'),
      keys.clusterMembers('c1'),
      keys.events,
      keys.lshBuckets(3, 1),
      keys.lshSigBlock(1, 7),
      keys.blockedPairs,
      keys.story('c1'),
      keys.threadEpoch,
      keys.articlesByTime,
    ])
      expect(await slot(k), k).toBe(core);
    // One lease script takes a host's keys and the outbound cap's.
    const politeness = await slot(keys.hostLeases('example.org'));
    for (const k of [keys.hostNextAt('example.org'), keys.hostLeases('other.net'), keys.outboundLeases])
      expect(await slot(k), k).toBe(politeness);
    expect(await slot(keys.boilerplateStories('example.org'))).toBe(
      await slot(keys.boilerplateLines('example.org')),
    );
    expect(await slot(keys.signInFailures('ab'))).toBe(await slot(keys.signInFailuresAll));
    // Bodies spread by article; queues each on a tag of their own.
    const bodySlots = new Set(
      await Promise.all(['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((id) => slot(keys.articleBody(id)))),
    );
    expect(bodySlots.size).toBeGreaterThan(3);
    const redisCfg = { prefix: keys.prefix, cluster: true };
    const queueSlots = await Promise.all(
      [QUEUE_NAMES.feeds, QUEUE_NAMES.articles, QUEUE_NAMES.dedup].map((q) =>
        slot(`${bullPrefix(redisCfg, q)}:${q}:wait`),
      ),
    );
    expect(new Set([...queueSlots, core]).size).toBe(4);
  });

  it('writes neither the hash nor the body of an article stored ok again (the body has a slot of its own)', async () => {
    const keys = keysForRedis({ prefix: '{wiresift-test}:save:', cluster: true });
    const text = 'Le préfet a ordonné l’évacuation de trois quartiers.';
    expect(await saveArticle(redis, keys, articleRecord('s1'), text, 3600, 86_400)).toEqual({
      written: true,
    });
    expect(await saveArticle(redis, keys, articleRecord('s1'), 'another text', 3600, 86_400)).toEqual({
      written: false,
      source: 'page',
    });
    expect(await getArticleBody(redis, keys, 's1')).toBe(text);
  });

  it('runs the fixture feeds end to end with the clusters one Redis gives, its keys on every master', {
    timeout: 60_000,
  }, async () => {
    const server = await serveFolder(fixtures, ['{{BASE}}']);
    try {
      const onCluster = pipelineConfig('{wiresift-test}:fx:', {
        REDIS_URL: cluster.url,
        WIRESIFT_REDIS_CLUSTER: 'true',
      });
      const summary = await runFeeds(onCluster, join(fixtures, 'feeds.txt'), '{{BASE}}', server.url);
      expect(summary).toMatchObject({ feeds: 3, articlesStored: 7, clusters: 3, failures: 0 });

      const prefix = uniquePrefix('cluster-twin');
      singlePrefixes.push(prefix);
      const onOne = pipelineConfig(prefix);
      await runFeeds(onOne, join(fixtures, 'feeds.txt'), '{{BASE}}', server.url);
      expect(await partitionOf(redis, onCluster)).toEqual(await partitionOf(single, onOne));

      // Keys of this run on each of the three masters (bodies by article, queues by name).
      const perMaster = await Promise.all(
        cluster.nodes.map(async (n) => {
          const node = openRedis({ url: n.url, cluster: false }, { maxRetriesPerRequest: 1 });
          try {
            const [, found] = await node.scan('0', 'MATCH', '*wiresift-test*', 'COUNT', 10_000);
            return found.length;
          } finally {
            node.disconnect();
          }
        }),
      );
      console.log(`[redis cluster] fixture run: keys per master ${perMaster.join(' / ')}`);
      for (const n of perMaster) expect(n).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it.skipIf(!hasDevCorpus)(
    'clusters the dev corpus exactly as one Redis does (bodies stored compressed)',
    { timeout: 300_000 },
    async () => {
      const server = await serveFolder(devCorpus, ['http://127.0.0.1:8080']);
      try {
        const onCluster = pipelineConfig('{wiresift-test}:dev:', {
          REDIS_URL: cluster.url,
          WIRESIFT_REDIS_CLUSTER: 'true',
        });
        // The dedup step reads each body back: compressed, it must see the same text.
        onCluster.articles.compressBodies = true;
        const summary = await runFeeds(
          onCluster,
          join(devCorpus, 'feeds.opml'),
          'http://127.0.0.1:8080',
          server.url,
        );
        expect(summary.failures).toBe(0);
        const prefix = uniquePrefix('cluster-dev-twin');
        singlePrefixes.push(prefix);
        const onOne = pipelineConfig(prefix);
        await runFeeds(onOne, join(devCorpus, 'feeds.opml'), 'http://127.0.0.1:8080', server.url);
        const got = await partitionOf(redis, onCluster);
        expect(got.length).toBeGreaterThan(10);
        expect(got).toEqual(await partitionOf(single, onOne));
      } finally {
        await server.close();
      }
    },
  );
});
