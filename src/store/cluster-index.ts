import type { Redis } from 'ioredis';
import { bandBuckets } from '../dedup/lsh-params.js';
import { type DedupPolicy, type DocSketch, isSameStory } from '../dedup/policy.js';
import type { Keys } from './keys.js';
import { LSH_COMMIT_LUA, LSH_QUERY_LUA } from './lua/lsh-scripts.js';

export type AssignInput = {
  articleId: string;
  sketch: DocSketch;
  publishedAt: number /* ms */;
  /** The time window: articles indexed longer ago than this are no longer candidates. */
  ttlSeconds: number;
};

export type AssignResult = {
  clusterId: string;
  created: boolean;
  joined: boolean;
  mergedFrom: string[];
  matchedArticleIds: string[];
  alreadyAssigned: boolean;
  /** The cluster's representative after this assignment ('' when already assigned). */
  representative: string;
};

export type ClusterIndexOptions = {
  bands: number;
  rows: number;
  policy: DedupPolicy;
  /** Attempts after an optimistic-concurrency conflict before giving up (default 16). */
  maxRetries?: number;
  /** Approximate MAXLEN of the events stream (default 100 000). */
  eventsMaxLen?: number;
  /** Clock for createdAt/updatedAt/event times and the window, injectable for tests. */
  now?: () => number;
  /** Band-bucket shard strings (default 1024): fewer keys vs shorter scans; see docs/dedup.md. */
  shards?: number;
};

/** Longest article id a signature record holds. */
const MAX_ID_BYTES = 32;
/** Signature records per block string. */
const RECORDS_PER_BLOCK = 256;

/**
 * The stored signature record: shingle count and token count (uint16, clamped),
 * id length and id (32 bytes), then the low 16 bits of each MinHash value
 * (b-bit MinHash: two different values agree by chance with probability 2^-16,
 * so the Jaccard estimate moves by at most (1 - J) / 65536).
 */
function recordSize(numPerm: number): number {
  return 5 + MAX_ID_BYTES + 2 * numPerm;
}

function encodeRecord(id: string, sketch: DocSketch): Buffer {
  const m = sketch.signature.length;
  const buf = Buffer.alloc(recordSize(m));
  buf.writeUInt16BE(Math.min(sketch.shingleCount, 0xffff), 0);
  buf.writeUInt16BE(Math.min(sketch.tokenCount, 0xffff), 2);
  const idLen = buf.write(id, 5, MAX_ID_BYTES, 'utf8');
  buf[4] = idLen;
  const base = 5 + MAX_ID_BYTES;
  for (let i = 0; i < m; i++) buf.writeUInt16LE(sketch.signature[i]! & 0xffff, base + 2 * i);
  return buf;
}

function decodeRecord(buf: Buffer, numPerm: number): Candidate {
  const base = 5 + MAX_ID_BYTES;
  const signature = new Uint32Array(numPerm);
  for (let i = 0; i < numPerm; i++) signature[i] = buf.readUInt16LE(base + 2 * i);
  return {
    id: buf.toString('utf8', 5, 5 + buf[4]!),
    sketch: { signature, shingleCount: buf.readUInt16BE(0), tokenCount: buf.readUInt16BE(2) },
  };
}

/** The sketch as the index compares it: 16-bit values, counts clamped like the stored record. */
function storedForm(sketch: DocSketch): DocSketch {
  const signature = new Uint32Array(sketch.signature.length);
  for (let i = 0; i < signature.length; i++) signature[i] = sketch.signature[i]! & 0xffff;
  return {
    signature,
    shingleCount: Math.min(sketch.shingleCount, 0xffff),
    tokenCount: Math.min(sketch.tokenCount, 0xffff),
  };
}

type Candidate = { id: string; sketch: DocSketch };

type QueryResult =
  | { kind: 'assigned'; clusterId: string }
  | { kind: 'ok'; epoch: string; digest: string; candidates: Candidate[] };

const QUERY_CMD = 'wiresiftLshQuery';
const COMMIT_CMD = 'wiresiftLshCommit';
/** ioredis adds a Buffer-replying twin of every defined command; the query needs raw signature bytes. */
const QUERY_BUFFER_CMD = 'wiresiftLshQueryBuffer';

type ScriptedRedis = Redis & {
  [QUERY_CMD]: (...args: (string | number | Buffer)[]) => Promise<unknown>;
  [QUERY_BUFFER_CMD]: (...args: (string | number | Buffer)[]) => Promise<unknown>;
  [COMMIT_CMD]: (...args: (string | number | Buffer)[]) => Promise<unknown>;
};

/** Splits a key builder into the prefix/suffix around the id, for the Lua side. */
function keyTemplate(build: (id: string) => string): [string, string] {
  const marker = '\u0000';
  const key = build(marker);
  const at = key.indexOf(marker);
  if (at < 0 || key.indexOf(marker, at + 1) >= 0)
    throw new Error('dedup: key builder must use its id exactly once');
  return [key.slice(0, at), key.slice(at + 1)];
}

/**
 * Near-duplicate clustering over MinHash LSH buckets in Redis.
 *
 * assign() is a read–verify–commit loop with optimistic concurrency:
 * 1. a Lua query reads, atomically, the index epoch, the refs in this
 *    article's band buckets that are still in the time window (with a digest
 *    of them) and every such neighbour's signature record;
 * 2. TypeScript verifies the neighbours with isSameStory (the policy stays in
 *    one place, testable without Redis);
 * 3. a Lua commit re-checks that nobody wrote into this article's buckets since
 *    the read (epoch unchanged, or the same digest) and then, in one step,
 *    indexes the article and creates / joins / merges clusters and updates the
 *    representative. On a conflict the loop starts over, so N workers give the
 *    partition one worker gives: every same-story pair sharing a bucket is seen
 *    by whichever of the two commits last.
 * An article that already has a cluster is returned unchanged (retried jobs).
 */
export class ClusterIndex {
  private readonly redis: ScriptedRedis;
  private readonly keys: Keys;
  private readonly bands: number;
  private readonly rows: number;
  private readonly shards: number;
  private readonly policy: DedupPolicy;
  private readonly maxRetries: number;
  private readonly eventsMaxLen: number;
  private readonly now: () => number;
  private conflictCount = 0;
  private readonly templates: {
    article: [string, string];
    cluster: [string, string];
    members: [string, string];
    block: [string, string];
    shard: [string, string];
  };

  constructor(redis: Redis, keys: Keys, opts: ClusterIndexOptions) {
    if (!Number.isInteger(opts.bands) || opts.bands < 1 || !Number.isInteger(opts.rows) || opts.rows < 1) {
      throw new Error(`dedup: bands and rows must be positive integers, got ${opts.bands} x ${opts.rows}`);
    }
    const shards = opts.shards ?? 1024;
    if (!Number.isInteger(shards) || shards < 1) throw new Error(`dedup: shards must be a positive integer`);
    this.keys = keys;
    this.bands = opts.bands;
    this.rows = opts.rows;
    this.shards = shards;
    this.policy = opts.policy;
    this.maxRetries = opts.maxRetries ?? 16;
    this.eventsMaxLen = opts.eventsMaxLen ?? 100_000;
    this.now = opts.now ?? Date.now;
    this.templates = {
      article: keyTemplate(keys.article),
      cluster: keyTemplate(keys.cluster),
      members: keyTemplate(keys.clusterMembers),
      block: keyTemplate(keys.lshSigBlock),
      shard: keyTemplate(keys.lshShard),
    };
    const scripted = redis as ScriptedRedis;
    if (typeof scripted[QUERY_CMD] !== 'function') redis.defineCommand(QUERY_CMD, { lua: LSH_QUERY_LUA });
    if (typeof scripted[COMMIT_CMD] !== 'function') redis.defineCommand(COMMIT_CMD, { lua: LSH_COMMIT_LUA });
    this.redis = scripted;
  }

  async assign(input: AssignInput): Promise<AssignResult> {
    const { articleId, sketch, publishedAt, ttlSeconds } = input;
    if (!articleId) throw new Error('dedup: articleId is empty');
    if (Buffer.byteLength(articleId) > MAX_ID_BYTES)
      throw new Error(`dedup: article id longer than ${MAX_ID_BYTES} bytes: ${articleId}`);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
      throw new Error(`dedup: ttlSeconds must be a positive integer`);
    if (!Number.isFinite(publishedAt)) throw new Error(`dedup: publishedAt must be a finite number of ms`);
    if (sketch.signature.length < this.bands * this.rows) {
      throw new Error(
        `dedup: signature has ${sketch.signature.length} values, index needs ${this.bands * this.rows}`,
      );
    }
    const numPerm = sketch.signature.length;
    // An empty text matches nothing, and would share every bucket with all other empty texts.
    const buckets =
      sketch.shingleCount === 0 ? new Uint32Array(0) : bandBuckets(sketch.signature, this.bands, this.rows);
    const bandCount = buckets.length / 2;
    const tags = Buffer.allocUnsafe(4 * bandCount);
    const shardKeys: string[] = [];
    for (let b = 0; b < bandCount; b++) {
      tags.writeUInt32BE(buckets[2 * b]!, 4 * b);
      shardKeys.push(this.keys.lshShard(buckets[2 * b + 1]! % this.shards));
    }
    const mine = storedForm(sketch);
    const record = encodeRecord(articleId, sketch);

    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const now = this.now();
      const cutoffHour = Math.floor((now - ttlSeconds * 1000) / 3_600_000);
      const read = await this.query(articleId, shardKeys, tags, cutoffHour, numPerm);
      if (read.kind === 'assigned') return alreadyAssigned(read.clusterId);

      const matched = read.candidates
        .filter((c) => c.id !== articleId && isSameStory(mine, c.sketch, this.policy).same)
        .map((c) => c.id)
        .sort();

      const reply = (await this.redis[COMMIT_CMD](
        8 + shardKeys.length,
        this.keys.lshEpoch,
        this.keys.clusterSeq,
        this.keys.clustersByUpdate,
        this.keys.events,
        this.keys.blockedPairs,
        this.keys.article(articleId),
        this.keys.lshRefSeq,
        this.keys.lshRefsByHour,
        ...shardKeys,
        articleId,
        read.epoch,
        read.digest,
        record,
        tags,
        Math.round(publishedAt),
        ttlSeconds,
        now,
        this.eventsMaxLen,
        ...this.templates.cluster,
        ...this.templates.members,
        ...this.templates.article,
        ...this.templates.block,
        ...this.templates.shard,
        record.length,
        RECORDS_PER_BLOCK,
        this.shards,
        sketch.tokenCount,
        ...matched,
      )) as [string, ...unknown[]];

      if (reply[0] === 'CONFLICT') {
        this.conflictCount++;
        await backoff(attempt);
        continue;
      }
      if (reply[0] === 'ASSIGNED') return alreadyAssigned(String(reply[1]));
      const [, clusterId, created, joined, mergedFrom, used, representative] = reply as [
        string,
        string,
        number,
        number,
        string[],
        string[],
        string,
      ];
      return {
        clusterId,
        created: created === 1,
        joined: joined === 1,
        mergedFrom,
        matchedArticleIds: used,
        alreadyAssigned: false,
        representative,
      };
    }
    throw new Error(
      `dedup: cluster assignment of ${articleId} still conflicted after ${this.maxRetries} retries`,
    );
  }

  /** Commits this instance had to redo because another writer touched its buckets (a metric). */
  get conflicts(): number {
    return this.conflictCount;
  }

  async clusterOf(articleId: string): Promise<string | null> {
    const cluster = await this.redis.hget(this.keys.article(articleId), 'cluster');
    return cluster ? cluster : null;
  }

  /**
   * Ids of the indexed articles sharing at least one band bucket with this
   * sketch and still in the window: the LSH candidates before verification
   * (for measuring candidate recall).
   */
  async candidates(sketch: DocSketch, ttlSeconds: number): Promise<string[]> {
    const buckets = bandBuckets(sketch.signature, this.bands, this.rows);
    const tags = Buffer.allocUnsafe(2 * buckets.length);
    const shardKeys: string[] = [];
    for (let b = 0; b < buckets.length / 2; b++) {
      tags.writeUInt32BE(buckets[2 * b]!, 4 * b);
      shardKeys.push(this.keys.lshShard(buckets[2 * b + 1]! % this.shards));
    }
    const cutoffHour = Math.floor((this.now() - ttlSeconds * 1000) / 3_600_000);
    const read = await this.query('\u0000', shardKeys, tags, cutoffHour, sketch.signature.length);
    return read.kind === 'ok' ? read.candidates.map((c) => c.id) : [];
  }

  private async query(
    articleId: string,
    shardKeys: string[],
    tags: Buffer,
    cutoffHour: number,
    numPerm: number,
  ): Promise<QueryResult> {
    const reply = (await this.redis[QUERY_BUFFER_CMD](
      3 + shardKeys.length,
      this.keys.lshEpoch,
      this.keys.article(articleId),
      this.keys.lshRefsByHour,
      ...shardKeys,
      tags,
      cutoffHour,
      ...this.templates.block,
      recordSize(numPerm),
      RECORDS_PER_BLOCK,
    )) as Buffer[];
    const status = reply[0]!.toString();
    if (status === 'ASSIGNED') return { kind: 'assigned', clusterId: reply[1]!.toString() };
    const candidates: Candidate[] = [];
    for (let i = 3; i < reply.length; i++) candidates.push(decodeRecord(reply[i]!, numPerm));
    return { kind: 'ok', epoch: reply[1]!.toString(), digest: reply[2]!.toString(), candidates };
  }
}

function alreadyAssigned(clusterId: string): AssignResult {
  return {
    clusterId,
    created: false,
    joined: false,
    mergedFrom: [],
    matchedArticleIds: [],
    alreadyAssigned: true,
    representative: '',
  };
}

/** Jittered, growing pause so workers that collided do not collide again in lockstep. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
