import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { dedupPolicyFrom } from '../app/context.js';
import type { Config } from '../config.js';
import { placementFor } from '../dedup/cluster-policy.js';
import { DEFAULT_SEED } from '../dedup/defaults.js';
import { bandBuckets, optimalLshParams } from '../dedup/lsh-params.js';
import { MinHasher } from '../dedup/minhash.js';
import type { DocSketch } from '../dedup/policy.js';
import { INDEX_SKETCH, sketchText } from '../dedup/sketch.js';
import { redactUrl } from '../log.js';
import {
  bucketSpec,
  ClusterIndex,
  encodeRecord,
  generationParams,
  recordSize,
  recordsPerBlock,
  steadyBits,
} from '../store/cluster-index.js';
import { dropKeys } from '../store/key-scan.js';
import { taggedTemplate } from '../store/key-template.js';
import { keysFor } from '../store/keys.js';
import { loadLua } from '../store/lua/load-lua.js';
import { startPrivateRedis } from './private-redis.js';
import { prng } from './prng.js';

export const LSH_BENCH_WINDOWS = [20_000, 1_000_000, 5_000_000, 35_000_000];

export type LshBenchOptions = {
  windows: number[];
  rounds: number;
  /** Port for the private redis-server the bench starts (default: a free one). */
  port?: number;
  /** An explicit Redis instead: keys under a throw-away prefix; its CPU figures count other clients too. */
  redisUrl?: string;
};

type Figure = { articles: number; redisCpuMsPerArticle: number; bytesPerArticle: number };

export type LshBenchResult = { windows: Figure[]; baselines: Record<string, unknown> };

/** Up to this many articles in the window the structures are written whole. */
const FULL_FILL_MAX = 5_000_000;
/** The naive layout needs a key per band bucket: past this window it does not fit this machine. */
const SETS_MAX = 1_000_000;
/** Shards of 19d51e0's layout at its default (dedup.lshShards), and its signature records per block. */
const OLD_SHARDS = 8192;
const OLD_PER_BLOCK = 256;
/** Largest generation written whole to measure bytes for a window filled sparsely. */
const BYTES_PROBE_BITS = 20;

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

/** A made-up dispatch of 300 pseudo-words: distinct stories share no 4-word shingle beyond chance. */
function storyWords(seed: number): string[] {
  const rand = prng(seed);
  return Array.from({ length: 300 }, () => {
    let w = '';
    for (let i = 1 + Math.floor(rand() * 3); i > 0; i--) w += SYLLABLES[Math.floor(rand() * 16)];
    return w;
  });
}

/** A republished copy: 3 % of the words changed. */
function copyOf(words: string[], seed: number): string {
  const rand = prng(seed);
  return words.map((w) => (rand() < 0.03 ? `${w}x` : w)).join(' ');
}

type Article = { id: string; sketch: DocSketch; spec: Buffer; record: Buffer; buckets: Uint32Array };

type Percent = { median: number; min: number; max: number };

function stats(values: number[]): Percent {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

async function info(redis: Redis, section: string, field: string): Promise<number> {
  const text = await redis.info(section);
  return Number(new RegExp(`^${field}:([\\d.]+)`, 'm').exec(text)?.[1] ?? Number.NaN);
}

async function cpuSeconds(redis: Redis): Promise<number> {
  return (await info(redis, 'cpu', 'used_cpu_user')) + (await info(redis, 'cpu', 'used_cpu_sys'));
}

async function scriptSeconds(redis: Redis): Promise<number> {
  const text = await redis.info('commandstats');
  let us = 0;
  for (const m of text.matchAll(/^cmdstat_(?:evalsha|eval):calls=\d+,usec=(\d+)/gm)) us += Number(m[1]);
  return us / 1e6;
}

async function usedMemory(redis: Redis): Promise<number> {
  return info(redis, 'memory', 'used_memory');
}

/** Redis process CPU and script time per call of `step` over `items`. */
async function measure<T>(redis: Redis, items: T[], step: (item: T) => Promise<unknown>) {
  const c0 = await cpuSeconds(redis);
  const s0 = await scriptSeconds(redis);
  for (const it of items) await step(it);
  const c1 = await cpuSeconds(redis);
  const s1 = await scriptSeconds(redis);
  return { cpuMs: ((c1 - c0) * 1000) / items.length, scriptMs: ((s1 - s0) * 1000) / items.length };
}

/** Random bytes in which no 8-byte record has ref 0 (ref 0 is "out of the window" here). */
function records(count: number): Buffer {
  const b = randomBytes(count * 8);
  for (let i = 0; i < count; i++) b[i * 8 + 7] = (b[i * 8 + 7] ?? 0) | 1;
  return b;
}

type Work = { before: Article[]; measured: Article[] }[];
type Run = { cpuMs: number; scriptMs: number };
type Call = Record<string, (...a: (string | number | Buffer)[]) => Promise<unknown>>;

function defineScripts(redis: Redis): Call {
  const scripts = {
    current: loadLua('lsh-bench-index'),
    strings: loadLua('lsh-baseline-strings'),
    sets: loadLua('lsh-baseline-sets'),
  };
  for (const [name, lua] of Object.entries(scripts)) redis.defineCommand(`bench_${name}`, { lua });
  return redis as unknown as Call;
}

const issued = (w: Work) => w.reduce((n, r) => n + r.before.length + r.measured.length, 0);

type Env = {
  config: Config;
  bands: number;
  rows: number;
  windowSeconds: number;
  recSize: number;
  perBlock: number;
  rounds: number;
  hourOfWindow: number;
};

/**
 * The current layout for a window of W articles: one generation of the size
 * the window reaches, every group at its records per group (full fill), or
 * at full size only where a measured article reads (sparse fill: the hash
 * still has all its fields, which is what a field lookup's cost depends on).
 */
async function currentLayout(redis: Redis, prefix: string, W: number, works: Work[], env: Env) {
  const { bands, rows, windowSeconds } = env;
  const full = W <= FULL_FILL_MAX;
  const keys = keysFor(prefix);
  // the window slides before each round (slide below): it holds W to W + a round's articles
  const bits = steadyBits(W + works.reduce((n, w) => n + issued(w), 0) / env.rounds, bands);
  const perGroup = (W * bands) / 2 ** bits;
  const touched = new Set<number>();
  for (const w of works)
    for (const r of w)
      for (const a of [...r.before, ...r.measured])
        for (let b = 0; b < bands; b++) touched.add(a.buckets[2 * b]! % 2 ** bits);
  const m0 = await usedMemory(redis);
  await fillGeneration(redis, keys.lshBuckets(0, 1), bits, perGroup, full ? null : touched);
  const bucketBytes = full
    ? ((await usedMemory(redis)) - m0) / W
    : await probeGenerationBytes(redis, `${prefix}probe:`, Math.min(bits, BYTES_PROBE_BITS), perGroup, bands);
  await redis.hset(keys.lshGenerations, 'cur', `1:${bits}`, 'opened', Date.now());
  await redis.set(keys.lshRefSeq, W);
  await redis.zadd(keys.lshRefsByHour, env.hourOfWindow, 1);
  const call = defineScripts(redis);
  const index = new ClusterIndex(redis, keys, {
    bands,
    rows,
    format: INDEX_SKETCH,
    place: placementFor(dedupPolicyFrom(env.config)),
  });
  return {
    full,
    bits,
    perGroup,
    bucketBytes,
    slide: () => slide(redis, keys.lshRefSeq, keys.lshRefsByHour, W, env.hourOfWindow),
    index: (a: Article) =>
      call.bench_current!(
        3,
        keys.lshRefSeq,
        keys.lshRefsByHour,
        keys.lshGenerations,
        JSON.stringify({
          now: Date.now(),
          window: windowSeconds,
          recordSize: env.recSize,
          perBlock: env.perBlock,
          tags: 1,
          gen: generationParams(windowSeconds),
          keys: { block: taggedTemplate(keys.lshSigBlock), bucket: taggedTemplate(keys.lshBuckets) },
        }),
        a.spec,
        a.record,
      ),
    assign: (a: Article) =>
      index.assign({ articleId: a.id, sketch: a.sketch, publishedAt: Date.now(), ttlSeconds: windowSeconds }),
  };
}

/**
 * `wiresift bench lsh`: Redis CPU and bytes per article of the LSH index for
 * windows of `opts.windows` articles, in three layouts on one Redis, rounds
 * alternated; the smallest window's index is kept (in database 1) and
 * measured again in every larger window's rounds, so each window has a ratio
 * to it taken under the same load. See docs/dedup.md ("Measuring").
 */
export async function benchLsh(
  config: Config,
  progress: (msg: string) => void,
  opts: LshBenchOptions,
): Promise<LshBenchResult> {
  const own = opts.redisUrl ? null : await startPrivateRedis(opts.port, ['--enable-debug-command', 'local']);
  const url = opts.redisUrl ?? own!.url;
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  // the reference window lives apart, so wiping a window (FLUSHDB) leaves it
  const refRedis = own ? new Redis(url, { maxRetriesPerRequest: null, db: 1 }) : redis;
  const base = `wiresift-bench-lsh:${randomBytes(3).toString('hex')}:`;
  const numPerm = config.dedup.numPerm;
  const k = config.dedup.shingleSize;
  const { bands, rows } = optimalLshParams(config.dedup.candidateThreshold, numPerm);
  const windowSeconds = config.dedup.windowHours * 3600;
  const hasher = new MinHasher({ numPerm, seed: DEFAULT_SEED });
  const recSize = recordSize(numPerm, INDEX_SKETCH.keyTerms);
  const perBlock = recordsPerBlock(recSize);
  const canDebug = !!own;
  const call = defineScripts(redis);
  const env: Env = {
    config,
    bands,
    rows,
    windowSeconds,
    recSize,
    perBlock,
    rounds: opts.rounds,
    hourOfWindow: Math.floor((Date.now() - (windowSeconds * 1000) / 2) / 3_600_000),
  };

  let seed = 1;
  const article = (text: string): Article => {
    const id = `b${(seed++).toString(16).padStart(8, '0')}`;
    const sketch = sketchText(text, hasher, k);
    return {
      id,
      sketch,
      spec: bucketSpec(sketch, bands, rows, INDEX_SKETCH),
      record: encodeRecord(id, sketch, INDEX_SKETCH.keyTerms),
      buckets: bandBuckets(sketch.signature, bands, rows),
    };
  };
  /** Per round: copies of stories whose two first copies are indexed before, and fresh stories. */
  const workload = (perRound: number, rounds = opts.rounds): Work =>
    Array.from({ length: rounds }, () => {
      const stories = Array.from({ length: Math.ceil(perRound / 2) }, () => storyWords(seed++));
      return {
        before: stories.flatMap((w) => [article(copyOf(w, seed++)), article(copyOf(w, seed++))]),
        measured: [
          ...stories.map((w) => article(copyOf(w, seed++))),
          ...Array.from({ length: Math.floor(perRound / 2) }, () => article(storyWords(seed++).join(' '))),
        ],
      };
    });
  const run = async (layout: (a: Article) => Promise<unknown>, w: Work, round: number) => {
    for (const a of w[round]!.before) await layout(a);
    return measure(redis, w[round]!.measured, layout);
  };

  const sigBytes = await signatureBytesPerArticle(redis, `${base}sig-probe:`, recSize, perBlock);
  const sigBytesOld = await signatureBytesPerArticle(redis, `${base}sig-probe:`, recSize, OLD_PER_BLOCK);
  const windows: Figure[] = [];
  let setBytesMeasured: number | null = null;
  const indexCurrent: unknown[] = [];
  const indexStrings: unknown[] = [];
  const indexSets: unknown[] = [];
  const fullStep: unknown[] = [];
  const sameRounds: unknown[] = [];
  const sorted = [...opts.windows].sort((a, b) => a - b);
  const W0 = sorted[0]!;
  // the reference window runs a round beside every round of every larger window
  const refRounds = Math.max(1, (sorted.length - 1) * opts.rounds);
  const refWork = { index: workload(40, refRounds), full: workload(40, refRounds) };
  try {
    progress(`bench lsh: reference window ${W0} articles (database 1)`);
    const ref = await currentLayout(refRedis, `${base}ref:`, W0, [refWork.index, refWork.full], env);
    let refRound = 0;
    for (const W of sorted) {
      const full = W <= FULL_FILL_MAX;
      const perRound = W > FULL_FILL_MAX ? 6 : W > SETS_MAX ? 20 : 40;
      const work = {
        index: workload(40),
        full: workload(40),
        strings: workload(perRound),
        sets: workload(40),
      };

      progress(`bench lsh: ${W} articles: current layout (${full ? 'full' : 'sparse'} fill)`);
      const cur = await currentLayout(redis, `${base}new:`, W, [work.index, work.full], env);
      progress(`bench lsh: ${W} articles: 2^${cur.bits} groups x ${cur.perGroup.toFixed(1)} records`);

      // 19d51e0's layout: 8192 shard strings of the size the window implies, each starting with
      // a record out of the window (so each commit's sweep rewrites one, as in steady state).
      const kOld = `${base}old:`;
      const shardBytes = Math.max(8, Math.round((W * bands) / OLD_SHARDS) * 8);
      const oldShards = new Set<number>();
      if (full) for (let n = 0; n < OLD_SHARDS; n++) oldShards.add(n);
      else {
        for (const r of work.strings)
          for (const a of [...r.before, ...r.measured])
            for (let b = 0; b < bands; b++) oldShards.add(a.buckets[2 * b + 1]! % OLD_SHARDS);
        for (let r = W + 1; r <= W + issued(work.strings); r++) oldShards.add(r % OLD_SHARDS);
      }
      progress(
        `bench lsh: ${W} articles: 19d51e0 layout, ${oldShards.size} of ${OLD_SHARDS} shards of ${shardBytes} B`,
      );
      const m0 = await usedMemory(redis);
      await fillShards(redis, kOld, [...oldShards], shardBytes);
      const oldBucketBytes = (((await usedMemory(redis)) - m0) / oldShards.size) * (OLD_SHARDS / W);
      await redis.set(`${kOld}lsh:ref-seq`, W);
      await redis.zadd(`${kOld}lsh:hours`, env.hourOfWindow, 1);
      const strings = (a: Article) => {
        const tags = Buffer.allocUnsafe(4 * bands);
        const shardKeys: string[] = [];
        for (let b = 0; b < bands; b++) {
          tags.writeUInt32BE(a.buckets[2 * b]!, 4 * b);
          shardKeys.push(`${kOld}lsh:shard:${a.buckets[2 * b + 1]! % OLD_SHARDS}`);
        }
        return call.bench_strings!(
          2 + bands,
          `${kOld}lsh:ref-seq`,
          `${kOld}lsh:hours`,
          ...shardKeys,
          JSON.stringify({
            now: Date.now(),
            window: windowSeconds,
            recordSize: recSize,
            perBlock: OLD_PER_BLOCK,
            shards: OLD_SHARDS,
            keys: { block: [`${kOld}lsh:sig:`, ''], shard: [`${kOld}lsh:shard:`, ''] },
          }),
          tags,
          a.record,
        );
      };

      // Rounds alternate the layouts (and the reference window), so a slow spell of the machine
      // hits them alike.
      const runs = {
        index: [] as Run[],
        full: [] as Run[],
        strings: [] as Run[],
        refIndex: [] as Run[],
        refFull: [] as Run[],
      };
      for (let round = 0; round < opts.rounds; round++) {
        progress(`bench lsh: ${W} articles: round ${round + 1} of ${opts.rounds}`);
        await cur.slide();
        await slide(redis, `${kOld}lsh:ref-seq`, `${kOld}lsh:hours`, W, env.hourOfWindow);
        if (W !== W0) {
          await ref.slide();
          runs.refIndex.push(await run(ref.index, refWork.index, refRound));
        }
        runs.index.push(await run(cur.index, work.index, round));
        if (W !== W0) runs.refFull.push(await run(ref.assign, refWork.full, refRound++));
        runs.full.push(await run(cur.assign, work.full, round));
        runs.strings.push(await run(strings, work.strings, round));
      }
      const fullCpu = stats(runs.full.map((x) => x.cpuMs));
      const bytesCurrent = Math.round(cur.bucketBytes + sigBytes);
      windows.push({ articles: W, redisCpuMsPerArticle: r3(fullCpu.median), bytesPerArticle: bytesCurrent });
      fullStep.push({
        articles: W,
        redisCpuMsPerArticle: r3(fullCpu.median),
        spread: [r3(fullCpu.min), r3(fullCpu.max)],
        scriptMsPerArticle: r3(stats(runs.full.map((x) => x.scriptMs)).median),
      });
      if (W !== W0) {
        const ratio = (a: Run[], b: Run[]) => stats(a.map((x, i) => x.cpuMs / b[i]!.cpuMs));
        const f = ratio(runs.full, runs.refFull);
        const ix = ratio(runs.index, runs.refIndex);
        sameRounds.push({
          articles: W,
          reference: W0,
          fullStepRatio: r3(f.median),
          fullStepRatioSpread: [r3(f.min), r3(f.max)],
          indexStepRatio: r3(ix.median),
          indexStepRatioSpread: [r3(ix.min), r3(ix.max)],
          referenceFullStepMs: r3(stats(runs.refFull.map((x) => x.cpuMs)).median),
        });
      }
      const idx = stats(runs.index.map((x) => x.cpuMs));
      indexCurrent.push({
        articles: W,
        redisCpuMsPerArticle: r3(idx.median),
        spread: [r3(idx.min), r3(idx.max)],
        scriptMsPerArticle: r3(stats(runs.index.map((x) => x.scriptMs)).median),
        bytesPerArticle: bytesCurrent,
        bytes: cur.full
          ? 'measured on this fill'
          : `measured on 2^${Math.min(cur.bits, BYTES_PROBE_BITS)} groups at ${cur.perGroup.toFixed(1)} records a group`,
        fill: cur.full ? 'full' : 'sparse',
        generationBits: cur.bits,
        recordsPerGroup: Math.round(cur.perGroup * 10) / 10,
      });
      const old = stats(runs.strings.map((x) => x.cpuMs));
      indexStrings.push({
        articles: W,
        redisCpuMsPerArticle: r3(old.median),
        spread: [r3(old.min), r3(old.max)],
        scriptMsPerArticle: r3(stats(runs.strings.map((x) => x.scriptMs)).median),
        bytesPerArticle: Math.round(oldBucketBytes + sigBytesOld),
        bytes: full
          ? 'measured on this fill'
          : `measured on ${oldShards.size} full-size shards, x ${OLD_SHARDS} shards`,
        shardBytes,
        shardsFilled: oldShards.size,
      });
      await wipe(redis, `${base}new:`, `${base}old:`, !!own);

      // The naive layout alone (its keyspace would slow the others' key lookups).
      if (W > SETS_MAX) {
        indexSets.push({
          articles: W,
          redisCpuMsPerArticle: null,
          bytesPerArticle: null,
          note: `not measured: ${W * bands} keys do not fit this machine`,
        });
        continue;
      }
      if (W > 20_000 && !canDebug) {
        indexSets.push({
          articles: W,
          redisCpuMsPerArticle: null,
          bytesPerArticle: null,
          note: 'not measured: needs DEBUG POPULATE (a private Redis)',
        });
        continue;
      }
      const kSet = `${base}set:`;
      progress(`bench lsh: ${W} articles: a SET per bucket, ${W * bands} keys`);
      const s0 = await usedMemory(redis);
      const real = W <= 20_000;
      await fillSets(redis, kSet, W * bands, real);
      if (real) setBytesMeasured = ((await usedMemory(redis)) - s0) / W;
      await redis.set(`${kSet}lsh:ref-seq`, W);
      await redis.zadd(`${kSet}lsh:hours`, env.hourOfWindow, 1);
      const setStep = (a: Article) => {
        const keys: string[] = [];
        for (let b = 0; b < bands; b++)
          keys.push(
            `${kSet}lsh:set:${b}:${a.buckets[2 * b]!.toString(16)}${a.buckets[2 * b + 1]!.toString(16)}`,
          );
        return call.bench_sets!(
          2 + bands,
          `${kSet}lsh:ref-seq`,
          `${kSet}lsh:hours`,
          ...keys,
          JSON.stringify({
            now: Date.now(),
            window: windowSeconds,
            recordSize: recSize,
            perBlock,
            keys: { block: [`${kSet}lsh:sig:`, ''] },
          }),
          a.record,
        );
      };
      const sets: Run[] = [];
      for (let round = 0; round < opts.rounds; round++) {
        await slide(redis, `${kSet}lsh:ref-seq`, `${kSet}lsh:hours`, W, env.hourOfWindow);
        sets.push(await run(setStep, work.sets, round));
      }
      const setCpu = stats(sets.map((x) => x.cpuMs));
      indexSets.push({
        articles: W,
        redisCpuMsPerArticle: r3(setCpu.median),
        spread: [r3(setCpu.min), r3(setCpu.max)],
        scriptMsPerArticle: r3(stats(sets.map((x) => x.scriptMs)).median),
        bytesPerArticle: setBytesMeasured === null ? null : Math.round(setBytesMeasured + sigBytes),
        bytes: real
          ? 'measured on this fill'
          : 'the keys are DEBUG POPULATE strings: bytes as measured on the last window filled with real SETs',
      });
      await wipe(redis, kSet, kSet, !!own);
    }
  } finally {
    await dropKeys(redis, `${base}*`).catch(() => undefined);
    if (refRedis !== redis) {
      await refRedis.flushdb().catch(() => undefined);
      refRedis.disconnect();
    }
    redis.disconnect();
    await own?.stop();
  }
  return {
    windows,
    baselines: {
      redis: own
        ? { server: 'private redis-server started by the bench', version: own.version, port: own.port }
        : { server: 'given', url: redactUrl(url) },
      rounds: opts.rounds,
      window: `${config.dedup.windowHours} h; ${bands} bands x ${rows} rows`,
      method:
        'windows: the whole dedup step of the current layout (ClusterIndex.assign: index, query, policy, commit), ' +
        'Redis process CPU (INFO cpu) per article, median of rounds, half copies of stories indexed before it and half fresh stories. ' +
        "indexStep: the LSH index work alone (the article's buckets and the records they name, the insert, expiry), the same in every layout. " +
        `sameRounds: each window's figure over the smallest window's, both measured in the same alternated rounds (the machine's load moves). ` +
        `Structures are written directly at the sizes the window implies; up to ${FULL_FILL_MAX} articles whole, past it only where a measured article reads ` +
        '(the current layout keeps every field of its hash, one record each elsewhere; 19d51e0 writes only the shards read). ' +
        'Articles, clusters and bodies of the window are not written: the keyspace is smaller than in production. ' +
        'bytesPerArticle: the bucket structure plus a signature record (MEMORY USAGE of full blocks).',
      signatureBytesPerArticle: { current: Math.round(sigBytes), strings19d51e0: Math.round(sigBytesOld) },
      fullStep,
      sameRounds,
      indexStep: { current: indexCurrent, strings19d51e0: indexStrings, setPerBucket: indexSets },
    },
  };
}

/**
 * The window holds the last W refs issued: its first hour (hours ZSET) starts
 * W refs back, so each round starts from a window of W articles, as a window
 * of that size does as it moves on.
 */
async function slide(redis: Redis, refSeq: string, hours: string, W: number, hour: number) {
  const last = Number(await redis.get(refSeq));
  await redis.del(hours);
  await redis.zadd(hours, hour, Math.max(1, last - W + 1));
}

/** Drops a window's keys: the whole database 0 on our own Redis (database 1 holds the reference). */
async function wipe(redis: Redis, a: string, b: string, own: boolean) {
  if (own) await redis.flushdb();
  else for (const p of new Set([a, b])) await dropKeys(redis, `${p}*`);
}

async function signatureBytesPerArticle(redis: Redis, prefix: string, recSize: number, perBlock: number) {
  const blocks = 16;
  for (let i = 0; i < blocks; i++)
    await redis.set(`${prefix}${i}`, randomBytes(perBlock * recSize), 'EX', 3600);
  let bytes = 0;
  for (let i = 0; i < blocks; i++) bytes += Number(await redis.memory('USAGE', `${prefix}${i}`));
  await redis.del(...Array.from({ length: blocks }, (_, i) => `${prefix}${i}`));
  return bytes / (blocks * perBlock);
}

const SPARSE_FILL_LUA = `
local key, from, to = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
for g = from, to - 1 do
  local b = g % 65536
  redis.call('HSET', key, g, string.char(math.floor(b / 256), b % 256, 1, 2, 0, 0, 1, 1))
end
return to - from`;

/** A generation's bucket hash: 2^bits groups of `perGroup` records, or one record where `touched` lacks the group. */
async function fillGeneration(
  redis: Redis,
  key: string,
  bits: number,
  perGroup: number,
  touched: Set<number> | null,
) {
  const groups = 2 ** bits;
  const whole = Math.floor(perGroup);
  const extra = Math.round((perGroup - whole) * groups);
  const countOf = (g: number) => whole + (g < extra ? 1 : 0);
  if (touched) {
    for (let g = 0; g < groups; g += 250_000)
      await redis.eval(SPARSE_FILL_LUA, 1, key, g, Math.min(groups, g + 250_000));
    const list = [...touched];
    for (let i = 0; i < list.length; i += 500) {
      const args: (string | Buffer)[] = [];
      for (const g of list.slice(i, i + 500)) args.push(String(g), records(countOf(g)));
      await redis.hset(key, ...(args as [string, Buffer]));
    }
  } else {
    for (let g = 0; g < groups; g += 10_000) {
      const pipe = redis.pipeline();
      for (let h = g; h < Math.min(groups, g + 10_000); h += 500) {
        const args: (string | Buffer)[] = [];
        for (let x = h; x < Math.min(groups, h + 500); x++) args.push(String(x), records(countOf(x)));
        pipe.hset(key, ...(args as [string, Buffer]));
      }
      await pipe.exec();
    }
  }
  await redis.expire(key, 7 * 86_400);
}

/** Bytes per article of a generation at these records per group, written whole at 2^bits groups. */
async function probeGenerationBytes(
  redis: Redis,
  prefix: string,
  bits: number,
  perGroup: number,
  bands: number,
) {
  const m0 = await usedMemory(redis);
  await fillGeneration(redis, `${prefix}gen`, bits, perGroup, null);
  const bytes = (await usedMemory(redis)) - m0;
  await redis.unlink(`${prefix}gen`);
  return bytes / ((2 ** bits * perGroup) / bands);
}

async function fillShards(redis: Redis, prefix: string, shards: number[], bytes: number) {
  const count = bytes / 8;
  for (let i = 0; i < shards.length; i += 16) {
    const pipe = redis.pipeline();
    for (const n of shards.slice(i, i + 16)) {
      const s = records(count);
      s.writeUInt32BE(0, 4); // the first record left the window: the round-robin sweep rewrites it
      pipe.set(`${prefix}lsh:shard:${n}`, s, 'EX', 7 * 86_400);
    }
    await pipe.exec();
  }
}

const SETS_FILL_LUA = `
local prefix, from, to = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
for i = from, to - 1 do
  local key = prefix .. i
  redis.call('SADD', key, i)
  redis.call('EXPIRE', key, 604800)
end
return to - from`;

/**
 * `keys` band-bucket SETs of one ref each with their TTL (real), or, past 20,000
 * articles, as many keys from DEBUG POPULATE: the lookups of the measured keys
 * cost what the keyspace's size makes them cost, whatever the other keys hold.
 */
async function fillSets(redis: Redis, prefix: string, keys: number, real: boolean) {
  if (real) {
    for (let i = 0; i < keys; i += 200_000)
      await redis.eval(SETS_FILL_LUA, 0, `${prefix}lsh:set:f`, i, Math.min(keys, i + 200_000));
  } else await redis.call('DEBUG', 'POPULATE', String(keys), `${prefix}lsh:set:p`, '8');
}
