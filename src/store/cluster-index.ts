import type { Redis } from 'ioredis';
import { bandBucketHashes } from '../dedup/lsh-params.js';
import { signatureFromBuffer, signatureToBuffer } from '../dedup/minhash.js';
import { type DedupPolicy, type DocSketch, isSameStory } from '../dedup/policy.js';
import type { Keys } from './keys.js';
import { LSH_COMMIT_LUA, LSH_QUERY_LUA } from './lua/lsh-scripts.js';

export type AssignInput = {
  articleId: string;
  sketch: DocSketch;
  publishedAt: number /* ms */;
  ttlSeconds: number;
};

export type AssignResult = {
  clusterId: string;
  created: boolean;
  joined: boolean;
  mergedFrom: string[];
  matchedArticleIds: string[];
  alreadyAssigned: boolean;
};

export type ClusterIndexOptions = {
  bands: number;
  rows: number;
  policy: DedupPolicy;
  /** Attempts after an optimistic-concurrency conflict before giving up (default 16). */
  maxRetries?: number;
  /** Approximate MAXLEN of the events stream (default 100 000). */
  eventsMaxLen?: number;
  /** Clock for createdAt/updatedAt/event times, injectable for tests. */
  now?: () => number;
};

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
 * 1. a Lua query reads, atomically, the index epoch, the union of this
 *    article's band buckets (with a digest of it) and every neighbour's
 *    signature and sizes;
 * 2. TypeScript verifies the neighbours with isSameStory (the policy stays in
 *    one place, testable without Redis);
 * 3. a Lua commit re-checks that nobody wrote into this article's buckets since
 *    the read (epoch unchanged, or the same bucket-member digest) and then, in
 *    one step, indexes the article and creates / joins / merges clusters. On a
 *    conflict the loop starts over, so N workers give the partition one worker
 *    gives: every same-story pair sharing a bucket is seen by whichever of the
 *    two commits last.
 * An article that already has a cluster is returned unchanged (retried jobs).
 */
export class ClusterIndex {
  private readonly redis: ScriptedRedis;
  private readonly keys: Keys;
  private readonly bands: number;
  private readonly rows: number;
  private readonly policy: DedupPolicy;
  private readonly maxRetries: number;
  private readonly eventsMaxLen: number;
  private readonly now: () => number;
  private conflictCount = 0;
  private readonly templates: {
    sig: [string, string];
    article: [string, string];
    cluster: [string, string];
    members: [string, string];
  };

  constructor(redis: Redis, keys: Keys, opts: ClusterIndexOptions) {
    if (!Number.isInteger(opts.bands) || opts.bands < 1 || !Number.isInteger(opts.rows) || opts.rows < 1) {
      throw new Error(`dedup: bands and rows must be positive integers, got ${opts.bands} x ${opts.rows}`);
    }
    this.keys = keys;
    this.bands = opts.bands;
    this.rows = opts.rows;
    this.policy = opts.policy;
    this.maxRetries = opts.maxRetries ?? 16;
    this.eventsMaxLen = opts.eventsMaxLen ?? 100_000;
    this.now = opts.now ?? Date.now;
    this.templates = {
      sig: keyTemplate(keys.signature),
      article: keyTemplate(keys.article),
      cluster: keyTemplate(keys.cluster),
      members: keyTemplate(keys.clusterMembers),
    };
    const scripted = redis as ScriptedRedis;
    if (typeof scripted[QUERY_CMD] !== 'function') redis.defineCommand(QUERY_CMD, { lua: LSH_QUERY_LUA });
    if (typeof scripted[COMMIT_CMD] !== 'function') redis.defineCommand(COMMIT_CMD, { lua: LSH_COMMIT_LUA });
    this.redis = scripted;
  }

  async assign(input: AssignInput): Promise<AssignResult> {
    const { articleId, sketch, publishedAt, ttlSeconds } = input;
    if (!articleId) throw new Error('dedup: articleId is empty');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
      throw new Error(`dedup: ttlSeconds must be a positive integer`);
    if (!Number.isFinite(publishedAt)) throw new Error(`dedup: publishedAt must be a finite number of ms`);
    if (sketch.signature.length < this.bands * this.rows) {
      throw new Error(
        `dedup: signature has ${sketch.signature.length} values, index needs ${this.bands * this.rows}`,
      );
    }
    // An empty text matches nothing, and would share every bucket with all other empty texts.
    const bucketKeys =
      sketch.shingleCount === 0
        ? []
        : bandBucketHashes(sketch.signature, this.bands, this.rows).map((h, band) =>
            this.keys.lshBucket(band, h),
          );

    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const read = await this.query(articleId, bucketKeys);
      if (read.kind === 'assigned') return alreadyAssigned(read.clusterId);

      const matched = read.candidates
        .filter((c) => c.sketch.signature.length === sketch.signature.length)
        .filter((c) => isSameStory(sketch, c.sketch, this.policy).same)
        .map((c) => c.id)
        .sort();

      const reply = (await this.redis[COMMIT_CMD](
        7 + bucketKeys.length,
        this.keys.lshEpoch,
        this.keys.clusterSeq,
        this.keys.clustersByUpdate,
        this.keys.events,
        this.keys.blockedPairs,
        this.keys.article(articleId),
        this.keys.signature(articleId),
        ...bucketKeys,
        articleId,
        read.epoch,
        read.digest,
        signatureToBuffer(sketch.signature),
        sketch.shingleCount,
        sketch.tokenCount,
        Math.round(publishedAt),
        ttlSeconds,
        this.now(),
        this.eventsMaxLen,
        ...this.templates.cluster,
        ...this.templates.members,
        ...this.templates.article,
        ...matched,
      )) as [string, ...unknown[]];

      if (reply[0] === 'CONFLICT') {
        this.conflictCount++;
        await backoff(attempt);
        continue;
      }
      if (reply[0] === 'ASSIGNED') return alreadyAssigned(String(reply[1]));
      const [, clusterId, created, joined, mergedFrom, used] = reply as [
        string,
        string,
        number,
        number,
        string[],
        string[],
      ];
      return {
        clusterId,
        created: created === 1,
        joined: joined === 1,
        mergedFrom,
        matchedArticleIds: used,
        alreadyAssigned: false,
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

  private async query(articleId: string, bucketKeys: string[]): Promise<QueryResult> {
    const reply = (await this.redis[QUERY_BUFFER_CMD](
      2 + bucketKeys.length,
      this.keys.lshEpoch,
      this.keys.article(articleId),
      ...bucketKeys,
      articleId,
      ...this.templates.sig,
      ...this.templates.article,
    )) as Buffer[];
    const status = reply[0]!.toString();
    if (status === 'ASSIGNED') return { kind: 'assigned', clusterId: reply[1]!.toString() };
    const candidates: Candidate[] = [];
    for (let i = 3; i + 3 < reply.length; i += 4) {
      candidates.push({
        id: reply[i]!.toString(),
        sketch: {
          signature: signatureFromBuffer(reply[i + 1]!),
          shingleCount: Number(reply[i + 2]!.toString()),
          tokenCount: Number(reply[i + 3]!.toString()),
        },
      });
    }
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
  };
}

/** Jittered, growing pause so workers that collided do not collide again in lockstep. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
