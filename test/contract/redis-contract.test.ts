/**
 * The downstream contract, read the way a consumer would: only what
 * docs/redis.md promises, with raw Redis commands. Project code only produces
 * the data (an end-to-end run over the fixture feeds); nothing from src/ is
 * used to read it.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnce } from '../../src/app/run.js';
import { createLogger } from '../../src/log.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';
import { serveFolder } from '../support/static-server.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'e2e');
const doc = readFileSync(join(repoRoot, 'docs', 'redis.md'), 'utf8');
const EVENT_TYPES = /^\|\s*`type`\s*\|\s*Emitted when/m;

/** Rows of the first table under a heading: [first cell without backticks, second cell]. */
function tableUnder(heading: string | RegExp): [string, string][] {
  const at = typeof heading === 'string' ? doc.indexOf(heading) : doc.search(heading);
  if (at < 0) throw new Error(`docs/redis.md has no "${heading}"`);
  const lines = doc.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: [string, string][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    const cells = l.split(/(?<!\\)\|/).map((c) => c.trim());
    rows.push([cells[1]!.replaceAll('`', ''), cells[2] ?? '']);
  }
  return rows;
}

const documented = (heading: string) => {
  const rows = tableUnder(heading);
  return {
    all: rows.map((r) => r[0]),
    required: rows.filter((r) => !/^optional|absent until|only/i.test(r[1])).map((r) => r[0]),
  };
};

describe('the Redis contract of docs/redis.md, read with raw commands', () => {
  const redis = connectTestRedis();
  const P = uniquePrefix('contract');
  let server: Awaited<ReturnType<typeof serveFolder>>;

  beforeAll(async () => {
    server = await serveFolder(fixtures, ['{{BASE}}']);
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-contract-'));
    const list = join(dir, 'feeds.txt');
    await writeFile(
      list,
      readFileSync(join(fixtures, 'feeds.txt'), 'utf8').replaceAll('{{BASE}}', server.url),
    );
    const config = testConfig(P, {
      WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true',
      WIRESIFT_HOST_MAX_CONCURRENCY: '16',
      WIRESIFT_HOST_MIN_DELAY_MS: '0',
    });
    const summary = await runOnce(config, createLogger('silent'), {
      role: 'all',
      once: true,
      feedsList: list,
    });
    expect(summary.failures).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await dropPrefix(redis, P);
    redis.disconnect();
  });

  it('the doc states its fields and event types', () => {
    expect(documented('### Article hash').all).toContain('title');
    expect(documented('### Article hash').all).toEqual(expect.arrayContaining(['kind', 'via', 'contains']));
    expect(documented('### Cluster hash').required).toEqual([
      'id',
      'seq',
      'size',
      'createdAt',
      'updatedAt',
      'representative',
    ]);
    expect(tableUnder(EVENT_TYPES).length).toBeGreaterThanOrEqual(8);
  });

  it('reads every cluster, its members and their articles as documented', async () => {
    const articleFields = documented('### Article hash');
    const clusterFields = documented('### Cluster hash');
    const truth = JSON.parse(readFileSync(join(fixtures, 'truth.json'), 'utf8')) as {
      clusters: Record<string, string[]>;
    };

    const ranked = await redis.zrevrange(`${P}clusters`, 0, -1, 'WITHSCORES');
    const groups: string[] = [];
    const seenArticles = new Set<string>();
    let previousScore = Number.POSITIVE_INFINITY;
    for (let i = 0; i < ranked.length; i += 2) {
      const id = ranked[i]!;
      const score = Number(ranked[i + 1]);
      expect(score).toBeLessThanOrEqual(previousScore); // newest activity first
      previousScore = score;
      expect(id).toMatch(/^c\d+$/);
      const cluster = await redis.hgetall(`${P}cluster:${id}`);
      for (const f of clusterFields.required) expect(cluster, `cluster field ${f}`).toHaveProperty(f);
      expect(cluster.id).toBe(id);
      expect(Number(cluster.updatedAt)).toBe(score);
      expect(Number(cluster.createdAt)).toBeLessThanOrEqual(score);
      const members = await redis.zrange(`${P}cluster:${id}:members`, '0', '-1');
      expect(Number(cluster.size)).toBe(members.length);
      expect(members).toContain(cluster.representative);
      const paths: string[] = [];
      for (const m of members) {
        expect(m).toMatch(/^[0-9a-f]{16}$/);
        expect(seenArticles.has(m)).toBe(false); // exactly one cluster per article
        seenArticles.add(m);
        const a = await redis.hgetall(`${P}article:${m}`);
        for (const f of articleFields.required) expect(a, `article field ${f}`).toHaveProperty(f);
        expect(a.cluster).toBe(id);
        // the optional dedup fields, as documented when present
        if (a.kind !== undefined) expect(a.kind).toBe('container');
        if (a.via !== undefined) {
          const [measure, value, match] = a.via.split(':');
          expect(['jaccard', 'containment']).toContain(measure);
          expect(Number(value)).toBeGreaterThan(0);
          expect(members, 'a join reason names a member of the same cluster').toContain(match);
        }
        if (a.contains !== undefined) {
          for (const q of a.contains.split(','))
            expect(await redis.hget(`${P}article:${q}`, 'cluster'), `quoted ${q}`).toBeTruthy();
        }
        expect(Number.isInteger(Number(a.words))).toBe(true);
        expect(Number.isNaN(Date.parse(a.fetchedAt!))).toBe(false);
        expect(await redis.zscore(`${P}articles`, m)).not.toBeNull();
        const body = await redis.get(`${P}article:${m}:body`);
        expect(body!.length).toBeGreaterThan(200);
        expect(await redis.ttl(`${P}article:${m}:body`)).toBeGreaterThan(0);
        paths.push(new URL(a.url!).pathname);
      }
      groups.push(paths.sort().join(' + '));
    }
    expect(groups.sort()).toEqual(
      Object.values(truth.clusters)
        .map((g) => [...g].sort().join(' + '))
        .sort(),
    );
    expect(await redis.zcard(`${P}articles`)).toBe(seenArticles.size);
  });

  it('reads the threads and their clusters in time order as documented', async () => {
    const threadFields = documented('## Threads');
    expect(threadFields.required).toEqual(['id', 'seq', 'createdAt', 'updatedAt', 'size']);
    const truth = JSON.parse(readFileSync(join(fixtures, 'truth.json'), 'utf8')) as {
      pages: Record<string, { story: string }>;
    };
    const ranked = await redis.zrevrange(`${P}threads`, 0, -1, 'WITHSCORES');
    const threadOfCluster = new Map<string, string>();
    const stories: string[] = [];
    for (let i = 0; i < ranked.length; i += 2) {
      const id = ranked[i]!;
      expect(id).toMatch(/^t\d+$/);
      const hash = await redis.hgetall(`${P}thread:${id}`);
      for (const f of threadFields.required) expect(hash, `thread field ${f}`).toHaveProperty(f);
      expect(hash.id).toBe(id);
      expect(Number(hash.updatedAt)).toBe(Number(ranked[i + 1]));
      const clusters = await redis.zrange(`${P}thread:${id}:clusters`, '0', '-1', 'WITHSCORES');
      expect(Number(hash.size)).toBe(clusters.length / 2);
      expect(clusters.length / 2).toBeGreaterThanOrEqual(2);
      const told = new Set<string>();
      let previous = 0;
      for (let j = 0; j < clusters.length; j += 2) {
        const c = clusters[j]!;
        expect(Number(clusters[j + 1])).toBeGreaterThanOrEqual(previous); // time order
        previous = Number(clusters[j + 1]);
        expect(await redis.hget(`${P}cluster:${c}`, 'thread')).toBe(id);
        threadOfCluster.set(c, id);
        for (const m of await redis.zrange(`${P}cluster:${c}:members`, '0', '-1')) {
          const url = await redis.hget(`${P}article:${m}`, 'url');
          told.add(truth.pages[new URL(url!).pathname]!.story);
        }
      }
      stories.push([...told].sort().join('+'));
    }
    // The fixtures: a factory fire (A) and the inquiry three days later (B) are one story; the strike (C) is another.
    expect(stories).toEqual(['A+B']);
    // A cluster names its thread exactly when the thread lists it.
    const all = await redis.zrange(`${P}clusters`, '0', '-1');
    for (const c of all)
      expect(await redis.hget(`${P}cluster:${c}`, 'thread')).toBe(threadOfCluster.get(c) ?? null);
  });

  it('consumes the event stream with a consumer group, and the events rebuild the clusters', async () => {
    const stream = `${P}events`;
    const types = tableUnder(EVENT_TYPES).map((r) => r[0]);
    const common = tableUnder('## The event stream')
      .filter((r) => !/only/.test(r[1]))
      .map((r) => r[0]);
    expect(await redis.xgroup('CREATE', stream, 'contract-test', '0', 'MKSTREAM')).toBe('OK');

    const articleCluster = new Map<string, string>();
    const ids: string[] = [];
    for (;;) {
      const reply = (await redis.xreadgroup(
        'GROUP',
        'contract-test',
        'consumer-1',
        'COUNT',
        5,
        'STREAMS',
        stream,
        '>',
      )) as [string, [string, string[]][]][] | null;
      if (!reply) break;
      for (const [id, flat] of reply[0]![1]) {
        ids.push(id);
        const e: Record<string, string> = {};
        for (let i = 0; i < flat.length; i += 2) e[flat[i]!] = flat[i + 1]!;
        for (const f of common) expect(e, `event field ${f}`).toHaveProperty(f);
        expect(types).toContain(e.type);
        if (e.type?.startsWith('thread.')) expect(e.threadId).toMatch(/^t\d+$/);
        if (e.type === 'article.clustered') articleCluster.set(e.articleId!, e.clusterId!);
        for (const gone of e.mergedFrom ? e.mergedFrom.split(',') : [])
          for (const [a, c] of articleCluster) if (c === gone) articleCluster.set(a, e.clusterId!);
      }
      await redis.xack(stream, 'contract-test', ...reply[0]![1].map(([id]) => id));
    }
    expect(ids.length).toBeGreaterThan(0);
    const pending = (await redis.xpending(stream, 'contract-test')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
    // the stream alone tells where every article ended up
    for (const [article, cluster] of articleCluster)
      expect(await redis.hget(`${P}article:${article}`, 'cluster')).toBe(cluster);
    expect(articleCluster.size).toBe(await redis.zcard(`${P}articles`));
  });
});
