import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placementFor } from '../../src/dedup/cluster-policy.js';
import { DEFAULT_DEDUP_POLICY, DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE } from '../../src/dedup/defaults.js';
import { KEY_SKETCH_SIZE } from '../../src/dedup/key-terms.js';
import { optimalLshParams } from '../../src/dedup/lsh-params.js';
import { MinHasher } from '../../src/dedup/minhash.js';
import { INDEX_SKETCH, sketchText } from '../../src/dedup/sketch.js';
import { type StoryLines, storyLinesOf } from '../../src/store/boilerplate-stats.js';
import { ClusterIndex } from '../../src/store/cluster-index.js';
import { forEachKeyBatch } from '../../src/store/key-scan.js';
import { type Keys, keysFor } from '../../src/store/keys.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';

const hasher = new MinHasher({ numPerm: DEFAULT_NUM_PERM, seed: 1 });
const { bands, rows } = optimalLshParams(DEFAULT_DEDUP_POLICY.candidateThreshold, DEFAULT_NUM_PERM);
const TTL = 3600;
const T0 = Date.UTC(2025, 2, 12, 9, 0);

function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'ro',
  'mi',
  'tu',
  'le',
  'sa',
  'vo',
  'ni',
  'de',
  'pa',
  'gu',
  'ri',
  'fe',
  'lo',
  'ba',
  'ze',
];
function word(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 3);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
  return w;
}

/** A made-up dispatch: `paragraphs` paragraphs of 40 pseudo-words. */
function story(seed: number, paragraphs = 8): string[] {
  const rand = prng(seed);
  return Array.from(
    { length: paragraphs },
    () => Array.from({ length: 40 }, () => word(rand)).join(' ') + '.',
  );
}

/** Ten republished versions of one story, including copies of disjoint parts (bridged by the full text). */
function versions(paras: string[], seed: number): string[] {
  const rand = prng(seed * 7 + 1);
  const lightEdit = (text: string) =>
    text
      .split(' ')
      .map((w) => (rand() < 0.03 ? word(rand) : w))
      .join(' ');
  return [
    paras.join('\n\n'),
    paras.slice(0, 2).join('\n\n'),
    paras.slice(5).join('\n\n'),
    lightEdit(paras.join('\n\n')),
    ['Voici ce que nous savons.', ...paras].join('\n\n'),
    paras.filter((_, i) => i !== 3).join('\n\n'),
    paras.slice(0, 5).join('\n\n'),
    lightEdit(paras.slice(2, 6).join('\n\n')),
    paras.slice(0, 7).join('\n\n'),
    lightEdit(paras.slice(1).join('\n\n')),
  ];
}

type Doc = { id: string; text: string; publishedAt: number };

/**
 * `rich` stories with ten versions each (many redundant links), then `pairs`
 * stories with exactly two copies: a pair is joined by a single edge, so a
 * lost update between two racing workers shows up as a split pair.
 */
function corpus(rich: number, pairs = 0): Doc[] {
  const docs: Doc[] = [];
  for (let s = 0; s < rich; s++) {
    versions(story(1000 + s), s).forEach((text, v) => {
      docs.push({ id: `s${s}v${v}`, text, publishedAt: T0 + (s * 10 + v) * 60_000 });
    });
  }
  for (let p = 0; p < pairs; p++) {
    const [full, , , edited] = versions(story(2000 + p), 100 + p);
    docs.push({ id: `p${p}a`, text: full!, publishedAt: T0 + p * 1000 });
    docs.push({ id: `p${p}b`, text: edited!, publishedAt: T0 + p * 1000 + 1 });
  }
  return docs;
}

function shuffled<T>(items: T[], seed: number): T[] {
  const rand = prng(seed);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function newIndex(redis: Redis, keys: Keys, policy = DEFAULT_DEDUP_POLICY, readThreadSource = false) {
  return new ClusterIndex(redis, keys, {
    bands,
    rows,
    readThreadSource,
    format: INDEX_SKETCH,
    place: placementFor(policy),
    now: () => T0 + 3_600_000,
  });
}

function assignDoc(index: ClusterIndex, doc: Doc, countLines?: StoryLines) {
  return index.assign({
    articleId: doc.id,
    sketch: sketchText(doc.text, hasher, DEFAULT_SHINGLE_SIZE),
    publishedAt: doc.publishedAt,
    ttlSeconds: TTL,
    ...(countLines ? { countLines } : {}),
  });
}

/** The partition as sorted lists of sorted ids, independent of cluster ids. */
async function partition(redis: Redis, keys: Keys, ids: string[]): Promise<string[][]> {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const cluster = await redis.hget(keys.article(id), 'cluster');
    expect(cluster, `article ${id} has a cluster`).toBeTruthy();
    groups.set(cluster!, [...(groups.get(cluster!) ?? []), id]);
  }
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Every cluster's hash, members and index entry agree with the articles' cluster fields. */
async function expectConsistent(redis: Redis, keys: Keys, ids: string[]): Promise<void> {
  const byCluster = new Map<string, string[]>();
  for (const id of ids) {
    const cluster = (await redis.hget(keys.article(id), 'cluster'))!;
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), id]);
  }
  const indexed = await redis.zrange(keys.clustersByUpdate, '0', '-1');
  expect(indexed.sort()).toEqual([...byCluster.keys()].sort());
  for (const [cluster, members] of byCluster) {
    const stored = await redis.zrange(keys.clusterMembers(cluster), '0', '-1');
    expect(stored.sort()).toEqual(members.sort());
    const hash = await redis.hgetall(keys.cluster(cluster));
    expect(hash.id).toBe(cluster);
    expect(Number(hash.size)).toBe(members.length);
    expect(members).toContain(hash.representative);
  }
}

/** Everything under the prefix except TTLs, for before/after comparisons. */
async function snapshot(redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const keys: string[] = [];
  await forEachKeyBatch(redis, `${prefix}*`, (batch) => {
    keys.push(...batch);
  });
  for (const key of keys.sort()) {
    const type = await redis.type(key);
    if (type === 'string') out[key] = (await redis.getBuffer(key))?.toString('hex');
    else if (type === 'hash') out[key] = await redis.hgetall(key);
    else if (type === 'set') out[key] = (await redis.smembers(key)).sort();
    else if (type === 'zset') out[key] = await redis.zrange(key, '0', '-1', 'WITHSCORES');
    else if (type === 'stream') out[key] = await redis.xrange(key, '-', '+');
    else out[key] = type;
  }
  return out;
}

describe('ClusterIndex', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const freshKeys = (name: string) => {
    const prefix = uniquePrefix(name);
    prefixes.push(prefix);
    return keysFor(prefix);
  };

  beforeAll(() => {
    redis = connectTestRedis();
  });
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(redis, p);
    redis.disconnect();
  });

  it('refuses an article id longer than its record holds, before writing anything', async () => {
    const keys = freshKeys('long-id');
    const index = newIndex(redis, keys);
    const [full] = versions(story(1), 1);
    await expect(assignDoc(index, { id: 'x'.repeat(17), text: full!, publishedAt: T0 })).rejects.toThrow(
      /longer than 16 bytes/,
    );
    expect(await redis.exists(keys.lshRefSeq, keys.clusterSeq)).toBe(0);
  });

  it('with readThreadSource, the commit hands back what the thread step reads of the cluster, as it is after the commit', async () => {
    const keys = freshKeys('thread-source');
    const index = newIndex(redis, keys, DEFAULT_DEDUP_POLICY, true);
    const [full, short] = versions(story(2), 2);
    const a = await assignDoc(index, { id: 'a', text: full!, publishedAt: T0 + 5000 });
    await redis.hset(keys.story(a.clusterId), 'src', 'a:99', 'profile', Buffer.from([0, 255, 7]));
    const b = await assignDoc(index, { id: 'b', text: short!, publishedAt: T0 });
    expect(b).toMatchObject({ clusterId: a.clusterId, joined: true });
    const [exists, ver, members, storyFlat, fields] = b.threadSource!;
    expect(Number(exists.toString())).toBe(1);
    expect(ver.toString()).toBe(await redis.hget(keys.cluster(a.clusterId), 'ver'));
    const scores = await redis.zrange(keys.clusterMembers(a.clusterId), 0, -1, 'WITHSCORES');
    expect(members.map(String)).toEqual(scores);
    // The story hash comes back as bytes: a stored profile is binary.
    const stored = Object.fromEntries(
      Array.from({ length: storyFlat.length / 2 }, (_, i) => [
        storyFlat[2 * i]!.toString(),
        storyFlat[2 * i + 1]!,
      ]),
    );
    expect(stored.src?.toString()).toBe('a:99');
    expect([...stored.profile!]).toEqual([0, 255, 7]);
    const memberFields = await Promise.all(
      scores
        .filter((_, i) => i % 2 === 0)
        .map((id) => redis.hmget(keys.article(id), 'tokens', 'kind', 'contains')),
    );
    expect(fields.map(String)).toEqual(memberFields.flat().map((v) => v ?? ''));
    // Without the option the reply carries none (threads off).
    const plain = newIndex(redis, freshKeys('no-thread-source'));
    expect((await assignDoc(plain, { id: 'c', text: full!, publishedAt: T0 })).threadSource).toBeUndefined();
  });

  it("counts a page's learned-boilerplate lines under the cluster its commit places it in, in that step", async () => {
    const keys = freshKeys('count-lines');
    const index = newIndex(redis, keys);
    const cfg = { minStories: 3, maxLinesPerDomain: 50, ttlDays: 2 };
    const [full, short] = versions(story(3), 3);
    const other = story(4).join('\n\n');
    const linesOf = (...lines: string[]) => storyLinesOf(keys, 'example.org', lines, cfg)!;
    const a = await assignDoc(index, { id: 'a', text: full!, publishedAt: T0 }, linesOf('promo', 'para-a'));
    const b = await assignDoc(index, { id: 'b', text: short!, publishedAt: T0 }, linesOf('promo', 'para-b'));
    const c = await assignDoc(index, { id: 'c', text: other, publishedAt: T0 }, linesOf('promo'));
    expect([a.linesCounted, b.linesCounted, c.linesCounted]).toEqual([true, true, true]);
    expect(b.clusterId).toBe(a.clusterId);
    expect(c.clusterId).not.toBe(a.clusterId);
    // a line is counted once per story: two copies of one story count 'promo' once
    expect(await redis.zscore(keys.boilerplateLines('example.org'), 'promo')).toBe('2');
    expect(await redis.hget(keys.boilerplateStories('example.org'), 'promo')).toBe(
      `${a.clusterId},${c.clusterId}`,
    );
    expect(await redis.ttl(keys.boilerplateLines('example.org'))).toBeGreaterThan(86_400);
    // found placed already: the commit did not run, so the caller counts them in a step of its own
    const again = await assignDoc(index, { id: 'a', text: full!, publishedAt: T0 }, linesOf('promo'));
    expect(again).toMatchObject({ alreadyAssigned: true, clusterId: a.clusterId });
    expect(again.linesCounted).toBeUndefined();
  });

  it('creates a cluster, joins copies to it, and stores a compact binary signature', async () => {
    const keys = freshKeys('join');
    const index = newIndex(redis, keys);
    const [full, short, , , intro] = versions(story(1), 1);
    const a = await assignDoc(index, { id: 'a', text: full!, publishedAt: T0 + 5000 });
    expect(a).toMatchObject({
      created: true,
      joined: false,
      mergedFrom: [],
      matchedArticleIds: [],
      alreadyAssigned: false,
    });
    const b = await assignDoc(index, { id: 'b', text: short!, publishedAt: T0 });
    expect(b).toMatchObject({
      clusterId: a.clusterId,
      created: false,
      joined: true,
      matchedArticleIds: ['a'],
    });
    const c = await assignDoc(index, { id: 'c', text: intro!, publishedAt: T0 + 9000 });
    expect(c.clusterId).toBe(a.clusterId);
    // the one member it joined through (its join reason), a member of the cluster
    expect(c.matchedArticleIds).toHaveLength(1);
    expect(['a', 'b']).toContain(c.matchedArticleIds[0]);

    expect(await index.clusterOf('b')).toBe(a.clusterId);
    expect(await index.clusterOf('nope')).toBeNull();
    const cluster = await redis.hgetall(keys.cluster(a.clusterId));
    // no agency copy: the most complete copy (the full text with an intro line) represents it
    expect(cluster).toMatchObject({ id: a.clusterId, size: '3', representative: 'c' });
    expect(Number(cluster.createdAt)).toBeGreaterThan(0);
    // compact storage: one numeric ref, one fixed-size record in a block, 8 bytes per band
    const ref = Number(await redis.hget(keys.article('a'), 'ref'));
    expect(ref).toBe(1);
    const block = await redis.getBuffer(keys.lshSigBlock(0, 0));
    // counts, id (16 bytes), 16-bit signature, then the key-term sketch (2 count bytes + 16-bit hashes)
    const recordBytes = 5 + 16 + 2 * DEFAULT_NUM_PERM + 2 + 2 * KEY_SKETCH_SIZE;
    expect(block!.length).toBe(Math.floor((160 * 1024 - 16) / recordBytes) * recordBytes);
    const rec = block!.subarray(ref * recordBytes, (ref + 1) * recordBytes);
    const sk = sketchText(full!, hasher, DEFAULT_SHINGLE_SIZE);
    expect([rec.readUInt16BE(0), rec.readUInt16BE(2), rec.toString('utf8', 5, 5 + rec[4]!)]).toEqual([
      sk.shingleCount,
      sk.tokenCount,
      'a',
    ]);
    expect(rec.readUInt16LE(21)).toBe(sk.signature[0]! & 0xffff);
    expect(await redis.ttl(keys.lshSigBlock(0, 0))).toBeGreaterThan(TTL - 10);
    // one generation of 64 bucket groups, opened by ref 1, its groups appended to in place
    expect(await redis.hget(keys.lshGenerations, 'cur')).toBe('1:6');
    const groups = await redis.hgetallBuffer(keys.lshBuckets(0, 1));
    const bucketBytes = Object.values(groups).reduce((n, v) => n + v.length, 0);
    expect(bucketBytes).toBe(3 * bands * 8);
    // the article is placed: its publish sequence is gone
    expect(await redis.hget(keys.article('a'), 'iseq')).toBeNull();
    const events = await redis.xrange(keys.events, '-', '+');
    const types = events.map(([, fields]) => fields[fields.indexOf('type') + 1]);
    expect(types).toEqual([
      'cluster.created',
      'article.clustered',
      'cluster.updated',
      'article.clustered',
      'cluster.updated',
      'article.clustered',
    ]);
    await expectConsistent(redis, keys, ['a', 'b', 'c']);
  });

  it('leaves the same state when an article is assigned twice', async () => {
    const keys = freshKeys('twice');
    const index = newIndex(redis, keys);
    const docs = corpus(1);
    for (const d of docs) await assignDoc(index, d);
    const before = await snapshot(redis, keys.prefix);
    for (const d of docs.slice(0, 4)) {
      const again = await assignDoc(index, d);
      expect(again.alreadyAssigned).toBe(true);
      expect(again.clusterId).toBe(await index.clusterOf(d.id));
    }
    expect(await snapshot(redis, keys.prefix)).toEqual(before);
  });

  it('keeps unrelated stories and empty texts apart', async () => {
    const keys = freshKeys('apart');
    const index = newIndex(redis, keys);
    const a = await assignDoc(index, { id: 'a', text: story(11).join('\n\n'), publishedAt: T0 });
    const b = await assignDoc(index, { id: 'b', text: story(12).join('\n\n'), publishedAt: T0 });
    const e1 = await assignDoc(index, { id: 'e1', text: ' … ', publishedAt: T0 });
    const e2 = await assignDoc(index, { id: 'e2', text: '', publishedAt: T0 });
    expect(new Set([a.clusterId, b.clusterId, e1.clusterId, e2.clusterId]).size).toBe(4);
  });

  it('merges two clusters when an article arrives that is a near-duplicate of both', async () => {
    const keys = freshKeys('merge');
    const index = newIndex(redis, keys);
    const paras = story(21);
    // two versions sharing too little to link directly (J 0.25); the full text holds 5/8 of each
    const head = await assignDoc(index, {
      id: 'head',
      text: paras.slice(0, 5).join('\n\n'),
      publishedAt: T0 + 1000,
    });
    const tail = await assignDoc(index, { id: 'tail', text: paras.slice(3).join('\n\n'), publishedAt: T0 });
    expect(tail.clusterId).not.toBe(head.clusterId);
    expect(tail.created).toBe(true);

    const full = await assignDoc(index, { id: 'full', text: paras.join('\n\n'), publishedAt: T0 + 2000 });
    expect(full).toMatchObject({
      clusterId: head.clusterId,
      joined: true,
      created: false,
      mergedFrom: [tail.clusterId],
    });
    expect(full.matchedArticleIds).toHaveLength(1);
    expect(await index.clusterOf('tail')).toBe(head.clusterId);
    expect(await redis.exists(keys.cluster(tail.clusterId), keys.clusterMembers(tail.clusterId))).toBe(0);
    expect(await redis.hget(keys.cluster(head.clusterId), 'representative')).toBe('full');
    await expectConsistent(redis, keys, ['head', 'tail', 'full']);

    const events = await redis.xrange(keys.events, '-', '+');
    const merged = events.find(([, f]) => f[f.indexOf('type') + 1] === 'cluster.merged');
    expect(merged).toBeDefined();
    const fields = merged![1];
    expect(fields[fields.indexOf('mergedFrom') + 1]).toBe(tail.clusterId);
    expect(fields[fields.indexOf('clusterId') + 1]).toBe(head.clusterId);
    expect(fields[fields.indexOf('articleId') + 1]).toBe('full');
  });

  it('does not join an article to a match an editor blocked', async () => {
    const keys = freshKeys('blocked');
    const index = newIndex(redis, keys);
    const [full, , , edited] = versions(story(31), 31);
    await redis.sadd(keys.blockedPairs, 'x1|x2');
    const x1 = await assignDoc(index, { id: 'x1', text: full!, publishedAt: T0 });
    const x2 = await assignDoc(index, { id: 'x2', text: edited!, publishedAt: T0 });
    expect(x2.created).toBe(true);
    expect(x2.clusterId).not.toBe(x1.clusterId);
    // a third copy matches both, but must not glue the blocked pair back together
    const x3 = await assignDoc(index, { id: 'x3', text: full!, publishedAt: T0 });
    expect(x3.clusterId).toBe(x1.clusterId);
    expect(x3.mergedFrom).toEqual([]);
    expect(await index.clusterOf('x2')).toBe(x2.clusterId);
  });

  it('picks the earliest agency copy as representative, else the most complete, and says so in events', async () => {
    const keys = freshKeys('rep');
    const index = newIndex(redis, keys);
    const [full, short, , , intro] = versions(story(51), 51);
    const a = await assignDoc(index, { id: 'short', text: short!, publishedAt: T0 });
    expect(a.representative).toBe('short');
    const b = await assignDoc(index, { id: 'full', text: full!, publishedAt: T0 + 1000 });
    expect(b.representative).toBe('full'); // no agency copy yet: the most complete
    await redis.hset(keys.article('wire2'), 'agency', 'AFP');
    await redis.hset(keys.article('wire1'), 'agency', 'AFP');
    const c = await assignDoc(index, { id: 'wire2', text: short!, publishedAt: T0 + 5000 });
    expect(c.representative).toBe('wire2'); // an agency copy beats a longer outlet copy
    const d = await assignDoc(index, { id: 'wire1', text: intro!, publishedAt: T0 + 2000 });
    expect(d.representative).toBe('wire1'); // the earliest agency copy
    expect(await redis.hget(keys.cluster(a.clusterId), 'representative')).toBe('wire1');
    const events = await redis.xrange(keys.events, '-', '+');
    const last = events.at(-1)![1];
    expect(last[last.indexOf('representative') + 1]).toBe('wire1');
  });

  it('drops articles older than the window from the candidates, keeping their clusters readable', async () => {
    const keys = freshKeys('window');
    let now = T0;
    const index = new ClusterIndex(redis, keys, {
      bands,
      rows,
      format: INDEX_SKETCH,
      place: placementFor(DEFAULT_DEDUP_POLICY),
      now: () => now,
    });
    const [full, , , edited] = versions(story(61), 61);
    const old = await assignDoc(index, { id: 'old', text: full!, publishedAt: T0 });
    // the window (1 h here) is counted in whole hours: at 1.5 h, hour 0 is still in
    now = T0 + 90 * 60_000;
    const recent = await assignDoc(index, { id: 'recent', text: edited!, publishedAt: now });
    expect(recent.clusterId).toBe(old.clusterId);
    now = T0 + 150 * 60_000; // 'old' (hour 0) is out, 'recent' (hour 1) still in
    const sk = sketchText(full!, hasher, DEFAULT_SHINGLE_SIZE);
    expect(await index.candidates(sk, TTL)).toEqual(['recent']);
    now = T0 + 10 * 3_600_000;
    expect(await index.candidates(sk, TTL)).toEqual([]);
    const late = await assignDoc(index, { id: 'late', text: full!, publishedAt: now });
    expect(late.created).toBe(true);
    expect(await redis.hget(keys.cluster(old.clusterId), 'size')).toBe('2');
    // hours that left the window are forgotten at the next commit
    expect(await redis.zcard(keys.lshRefsByHour)).toBe(1);
  });

  it('resizes its generation as the window grows and empties, moving groups without losing a candidate', async () => {
    const keys = freshKeys('resize');
    let now = T0;
    const index = new ClusterIndex(redis, keys, {
      bands,
      rows,
      format: INDEX_SKETCH,
      place: placementFor(DEFAULT_DEDUP_POLICY),
      now: () => now,
    });
    const gen = async () => redis.hgetall(keys.lshGenerations);
    const bucketKeys = async () => (await redis.keys(`${keys.prefix}lsh:*:b:*`)).sort();
    const first = story(700);
    await assignDoc(index, { id: 's0', text: first.join('\n\n'), publishedAt: now });
    expect((await gen()).cur).toBe('1:6');
    // 64 groups hold 2 x 32 records each on average: 81 articles of 51 bands are more, the index grows
    for (let i = 1; i < 82; i++)
      await assignDoc(index, { id: `s${i}`, text: story(700 + i).join('\n\n'), publishedAt: now });
    const grown = await gen();
    expect(grown).toMatchObject({ cur: '81:7', old: '1:6' });
    const probe = sketchText(versions(first, 700)[3]!, hasher, DEFAULT_SHINGLE_SIZE);
    // while the old groups move (a few per step), both generations are read
    expect(await index.candidates(probe, TTL)).toEqual(['s0']);
    for (let i = 82; i < 130 && (await gen()).old; i++)
      await assignDoc(index, { id: `s${i}`, text: story(700 + i).join('\n\n'), publishedAt: now });
    expect((await gen()).old).toBeUndefined();
    expect(await bucketKeys()).toEqual([keys.lshBuckets(0, 81)]);
    expect(await index.candidates(probe, TTL)).toEqual(['s0']);
    const copy = await assignDoc(index, { id: 'copy', text: versions(first, 700)[3]!, publishedAt: now });
    expect(copy.matchedArticleIds).toEqual(['s0']);

    // two windows later, one article a window: the records left the window, the groups shrink back
    now += 2 * 3_600_000;
    await assignDoc(index, { id: 'late1', text: story(900).join('\n\n'), publishedAt: now });
    now += 2 * 3_600_000;
    await assignDoc(index, { id: 'late2', text: story(901).join('\n\n'), publishedAt: now });
    expect((await gen()).cur).toMatch(/:6$/);
    for (let i = 0; i < 40 && (await gen()).old; i++)
      await assignDoc(index, { id: `late-${i}`, text: story(950 + i).join('\n\n'), publishedAt: now });
    expect((await gen()).old).toBeUndefined();
    expect(await index.candidates(probe, TTL)).toEqual([]);
    const lateProbe = sketchText(versions(story(901), 901)[3]!, hasher, DEFAULT_SHINGLE_SIZE);
    expect(await index.candidates(lateProbe, TTL)).toEqual(['late2']);
  });

  it('makes a near-duplicate published later wait until the earlier one is placed, then join it', async () => {
    const keys = freshKeys('wait');
    const r1 = connectTestRedis();
    const r2 = connectTestRedis();
    try {
      const i1 = newIndex(r1, keys);
      const i2 = newIndex(r2, keys);
      const [full, , , edited] = versions(story(41), 41);
      const scripted = r1 as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const commit = scripted.wiresiftLshCommitBuffer!.bind(r1);
      let later: Promise<unknown> | undefined;
      scripted.wiresiftLshCommitBuffer = async (...args: unknown[]) => {
        // worker 1 indexed w1 and read its neighbourhood; worker 2 takes a copy in now
        later = assignDoc(i2, { id: 'w2', text: edited!, publishedAt: T0 });
        await new Promise((r) => setTimeout(r, 80));
        expect(await i2.clusterOf('w2')).toBeNull();
        expect(i2.waits).toBeGreaterThan(0);
        return commit(...args);
      };
      const w1 = await assignDoc(i1, { id: 'w1', text: full!, publishedAt: T0 + 1 });
      const w2 = (await later) as Awaited<ReturnType<typeof assignDoc>>;
      expect(w1).toMatchObject({ created: true, joined: false });
      expect(w2).toMatchObject({ clusterId: w1.clusterId, joined: true, matchedArticleIds: ['w1'] });
      expect(i1.conflicts + i2.conflicts).toBe(0);
    } finally {
      r1.disconnect();
      r2.disconnect();
    }
  });

  it('stops waiting for a neighbour whose worker is gone; that one, if it comes back, starts over', async () => {
    const keys = freshKeys('stale');
    const r1 = connectTestRedis();
    const r2 = connectTestRedis();
    try {
      const opts = {
        bands,
        rows,
        format: INDEX_SKETCH,
        place: placementFor(DEFAULT_DEDUP_POLICY),
        staleMs: 150,
      };
      const i1 = new ClusterIndex(r1, keys, opts);
      const i2 = new ClusterIndex(r2, keys, opts);
      const [full, , , edited] = versions(story(43), 43);
      const scripted = r1 as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const commit = scripted.wiresiftLshCommitBuffer!.bind(r1);
      let commits = 0;
      scripted.wiresiftLshCommitBuffer = async (...args: unknown[]) => {
        // worker 1 stalls between read and commit past staleMs: worker 2 gives up waiting on w1
        if (commits++ === 0) {
          const t = Date.now();
          const w2 = await assignDoc(i2, { id: 'w2', text: edited!, publishedAt: T0 });
          expect(Date.now() - t).toBeGreaterThanOrEqual(140);
          expect(w2.created).toBe(true);
        }
        return commit(...args);
      };
      const w1 = await assignDoc(i1, { id: 'w1', text: full!, publishedAt: T0 + 1 });
      expect(commits).toBe(2);
      expect(i1.conflicts).toBe(1);
      expect(w1).toMatchObject({ joined: true, matchedArticleIds: ['w2'] });
      expect(await i2.clusterOf('w2')).toBe(w1.clusterId);
      await expectConsistent(redis, keys, ['w1', 'w2']);
    } finally {
      r1.disconnect();
      r2.disconnect();
    }
  });

  it('gives 4 concurrent workers the same partition as 1 sequential worker', async () => {
    const docs = corpus(4, 10);
    const ids = docs.map((d) => d.id);

    const seqKeys = freshKeys('seq');
    const sequential = newIndex(redis, seqKeys);
    for (const d of shuffled(docs, 1)) await assignDoc(sequential, d);
    const expected = await partition(redis, seqKeys, ids);
    // the generator's stories are distinct and each story's versions are connected
    expect(expected.length).toBe(14);
    expect(docs.length).toBe(60);

    const byId = new Map(docs.map((d) => [d.id, d]));
    const partner = (d: Doc) =>
      byId.get(d.id.replace(/^(p\d+)([ab])$/, (_, p, x) => p + (x === 'a' ? 'b' : 'a'))) ?? d;
    for (const round of [1, 2, 3]) {
      const parKeys = freshKeys(`par${round}`);
      const conns = [0, 1, 2, 3].map(() => connectTestRedis());
      try {
        const workers = conns.map((c) => newIndex(c, parKeys));
        // widen the read→commit window, as a busy worker or network would
        conns.forEach((c, i) => {
          const rand = prng(round * 100 + i);
          const scripted = c as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
          const commit = scripted.wiresiftLshCommitBuffer!.bind(c);
          scripted.wiresiftLshCommitBuffer = async (...args: unknown[]) => {
            await new Promise((r) => setTimeout(r, rand() * 4));
            return commit(...args);
          };
        });
        // every worker assigns every doc, in its own order: duplicates race too
        const results = await Promise.all(
          workers.map(async (w, i) => {
            const out = [];
            // workers 0/1 and 2/3 walk one order, the odd one taking each pair's other copy
            // at the same step, so pair copies race; rich-story versions race with themselves
            const order = shuffled(docs, round * 10 + (i >> 1)).map((d) => (i % 2 ? partner(d) : d));
            for (const d of order) out.push(await assignDoc(w, d));
            return out;
          }),
        );
        expect(await partition(redis, parKeys, ids)).toEqual(expected);
        await expectConsistent(redis, parKeys, ids);
        const fresh = results.flat().filter((r) => !r.alreadyAssigned).length;
        expect(fresh).toBe(docs.length);
        const clustered = (await redis.xrange(parKeys.events, '-', '+')).filter(
          ([, f]) => f[f.indexOf('type') + 1] === 'article.clustered',
        );
        expect(clustered.length).toBe(docs.length);
      } finally {
        for (const c of conns) c.disconnect();
      }
    }
  });
});
