import type { Redis } from 'ioredis';
import type { StoryLines } from './boilerplate-stats.js';
import { EVENT_FIELDS } from './contract-types.js';
import { keyTemplate, taggedTemplate } from './key-template.js';
import type { Keys } from './keys.js';
import { loadLua } from './lua/load-lua.js';
import type { ThreadSourceReply } from './thread-source.js';

/**
 * What the index keeps of a text's sketch (src/dedup/sketch.ts makes them):
 * the MinHash signature, the sizes containment needs, the key-term sketch.
 */
export type DocSketch = {
  signature: Uint32Array;
  shingleCount: number;
  tokenCount: number;
  /** Distinct 16-bit key-term hashes, ascending. */
  keys: Uint16Array;
  keyCount: number;
};

/**
 * How the sketch is laid out for the index (src/dedup/sketch.ts INDEX_SKETCH):
 * the bucket tags a signature falls into per band, and how many key terms a
 * stored record holds.
 */
export type SketchFormat = {
  bandBuckets(signature: Uint32Array, bands: number, rows: number): Uint32Array;
  keyTerms: number;
};

/** How a join is stored on the article hash (`via`), as the clustering policy gives it. */
export type JoinReason = { match: string; measure: 'jaccard' | 'containment'; value: number };

/** A page of the neighbourhood handed to the clustering policy. */
export type PolicyPage = {
  id: string;
  sketch: DocSketch;
  container?: boolean;
  quotes?: string[];
  inside?: string[];
  frozen?: boolean;
};

/** The policy's placement of a neighbourhood (src/dedup/cluster-policy.ts Placement). */
export type Placement = {
  groups: string[][];
  kind: Map<string, 'article' | 'container'>;
  contains: Map<string, string[]>;
  inside: Map<string, string[]>;
  via: Map<string, JoinReason>;
};

/** The clustering policy: places a whole neighbourhood, given the pairs editors kept apart. */
export type PlaceFn = (pages: PolicyPage[], blocked: (a: string, b: string) => boolean) => Placement;

export type AssignInput = {
  articleId: string;
  sketch: DocSketch;
  publishedAt: number /* ms */;
  /** The time window: articles indexed longer ago than this are no longer candidates. */
  ttlSeconds: number;
  /**
   * Learned boilerplate's count of the page's lines, made by the commit under the
   * cluster it places the page in (one Redis only: the domain's keys must be
   * reachable from the commit's slot).
   */
  countLines?: StoryLines;
};

export type AssignResult = {
  clusterId: string;
  created: boolean;
  joined: boolean;
  /** Clusters emptied (folded into others) by this assignment. */
  mergedFrom: string[];
  /** The member this article joined through (empty when it started a cluster or is a container). */
  matchedArticleIds: string[];
  alreadyAssigned: boolean;
  /** The cluster's representative after this assignment ('' when already assigned). */
  representative: string;
  /** 'container' for a digest, live page or roundup; 'article' otherwise. */
  kind: 'article' | 'container';
  /** Other articles the policy moved to another cluster: [articleId, from, to]. */
  moved: [string, string, string][];
  /** With readThreadSource: the thread step's first read of `clusterId`, made by the commit. */
  threadSource?: ThreadSourceReply;
  /** The commit counted `countLines` (not when the article was found placed already). */
  linesCounted?: boolean;
};

export type ClusterIndexOptions = {
  bands: number;
  rows: number;
  /**
   * The commit also reads what the thread step starts from (thread-source-read.lua)
   * and hands it back in `threadSource`: set when threads are on.
   */
  readThreadSource?: boolean;
  /** The sketch's layout (src/dedup/sketch.ts INDEX_SKETCH). */
  format: SketchFormat;
  /** The clustering policy (src/dedup/cluster-policy.ts placementFor): the index only stores. */
  place: PlaceFn;
  /** Attempts after an optimistic-concurrency conflict before giving up (default 16). */
  maxRetries?: number;
  /** Seconds a cluster's keys live after its last change (articles.retainDays; default 30 days). */
  retainSeconds?: number;
  /** Approximate MAXLEN of the events stream (default 100 000). */
  eventsMaxLen?: number;
  /** Clock for createdAt/updatedAt/event times and the window, injectable for tests. */
  now?: () => number;
  /**
   * Index tags (Redis Cluster hash tags) the LSH buckets and signature blocks are spread over:
   * a power of two up to 64 (default 1: one Redis). A dedup step reads one key per tag.
   */
  tags?: number;
  /**
   * An earlier-published neighbour still unplaced after this long is taken for gone (its
   * worker died): later articles stop waiting for it (default 10 s).
   */
  staleMs?: number;
  /** Neighbour clusters read whole per assignment (default 16) and members read per cluster (default 64). */
  maxClusters?: number;
  maxMembers?: number;
};

/** Article ids are 16 hex digits (articleIdFor): the longest id a signature record holds. */
const MAX_ID_BYTES = 16;
/**
 * Signature records per block string: as many as fill a 160 KiB allocation
 * (a jemalloc size class) with the string's header, so a block wastes less
 * than a record (256 records of 335 B took a 96 KiB class: 12 % lost).
 */
export function recordsPerBlock(recordBytes: number): number {
  return Math.floor((160 * 1024 - 16) / recordBytes);
}
/** Editors' blocked pairs read per assignment at most. */
const MAX_BLOCKED = 10_000;

/**
 * The LSH generations' sizing (lsh-common.lua): a generation has 2^bits
 * bucket groups; it is replaced by a larger one when the window's refs
 * average over 2 x groupFill records per group, by a smaller one when under
 * groupFill / 4 for a whole window.
 */
export const LSH_SIZING = { groupFill: 32, minBits: 6, maxBits: 26 } as const;

/** The generations' sizing as the Lua scripts take it (lsh-common.lua maintain_gens). */
export function generationParams(windowSeconds: number) {
  return {
    fill: LSH_SIZING.groupFill,
    minBits: LSH_SIZING.minBits,
    maxBits: LSH_SIZING.maxBits,
    window: windowSeconds * 1000,
    keepFor: windowSeconds + 3600,
  };
}

/** The 4-byte bucket tag of each band (lsh-common.lua); empty for an empty text. */
export function bucketSpec(sketch: DocSketch, bands: number, rows: number, format: SketchFormat): Buffer {
  // An empty text matches nothing, and would share every bucket with all other empty texts.
  if (sketch.shingleCount === 0) return Buffer.alloc(0);
  const buckets = format.bandBuckets(sketch.signature, bands, rows);
  const spec = Buffer.allocUnsafe(4 * bands);
  for (let b = 0; b < bands; b++) spec.writeUInt32BE(buckets[2 * b]!, 4 * b);
  return spec;
}

/**
 * Bits of the generation an index has once its window grew to `refs`
 * articles (lsh-common.lua's rule): the fewest that hold them within
 * 2 x groupFill records per group.
 */
export function steadyBits(refs: number, bands: number): number {
  const { groupFill, minBits, maxBits } = LSH_SIZING;
  let bits = minBits;
  while (bits < maxBits && (refs * bands) / 2 ** bits > 2 * groupFill) bits++;
  return bits;
}

/**
 * The stored signature record: shingle count and token count (uint16, clamped),
 * id length and id (16 bytes), the low 16 bits of each MinHash value (b-bit
 * MinHash: two different values agree by chance with probability 2^-16), then
 * the key-term sketch: term count and sketch length (uint8) and up to
 * `keyTerms` (SketchFormat) 16-bit term hashes.
 */
export function recordSize(numPerm: number, keyTerms: number): number {
  return 5 + MAX_ID_BYTES + 2 * numPerm + 2 + 2 * keyTerms;
}

export function encodeRecord(id: string, sketch: DocSketch, keyTerms: number): Buffer {
  const m = sketch.signature.length;
  const buf = Buffer.alloc(recordSize(m, keyTerms));
  buf.writeUInt16BE(Math.min(sketch.shingleCount, 0xffff), 0);
  buf.writeUInt16BE(Math.min(sketch.tokenCount, 0xffff), 2);
  const idLen = buf.write(id, 5, MAX_ID_BYTES, 'utf8');
  buf[4] = idLen;
  const base = 5 + MAX_ID_BYTES;
  for (let i = 0; i < m; i++) buf.writeUInt16LE(sketch.signature[i]! & 0xffff, base + 2 * i);
  const k = base + 2 * m;
  const keys = sketch.keys.subarray(0, keyTerms);
  buf[k] = Math.min(sketch.keyCount, 0xff);
  buf[k + 1] = keys.length;
  for (let i = 0; i < keys.length; i++) buf.writeUInt16LE(keys[i]!, k + 2 + 2 * i);
  return buf;
}

function decodeRecord(buf: Buffer, numPerm: number): { id: string; sketch: DocSketch } {
  const base = 5 + MAX_ID_BYTES;
  const signature = new Uint32Array(numPerm);
  for (let i = 0; i < numPerm; i++) signature[i] = buf.readUInt16LE(base + 2 * i);
  const k = base + 2 * numPerm;
  const keys = new Uint16Array(buf[k + 1]!);
  for (let i = 0; i < keys.length; i++) keys[i] = buf.readUInt16LE(k + 2 + 2 * i);
  return {
    id: buf.toString('utf8', 5, 5 + buf[4]!),
    sketch: {
      signature,
      shingleCount: buf.readUInt16BE(0),
      tokenCount: buf.readUInt16BE(2),
      keys,
      keyCount: buf[k]!,
    },
  };
}

/** The sketch as the index compares it: what the stored record keeps. */
function storedForm(id: string, sketch: DocSketch, keyTerms: number): DocSketch {
  return decodeRecord(encodeRecord(id, sketch, keyTerms), sketch.signature.length).sketch;
}

type Neighbour = {
  id: string;
  sketch: DocSketch;
  cluster: string;
  kind: string;
  via: string;
  contains: string;
  inside: string;
  bucket: boolean;
  /** Read as evidence only, without the rest of its cluster: not re-placed. */
  frozen: boolean;
};

type QueryResult =
  | { kind: 'assigned'; clusterId: string }
  | { kind: 'wait'; articleId: string }
  | {
      kind: 'ok';
      iseq: number;
      vers: [string, number, number][];
      blocked: Set<string>;
      neighbours: Neighbour[];
    };

const QUERY_CMD = 'wiresiftLshQuery';
const COMMIT_CMD = 'wiresiftLshCommit';
/** The commit's reply as Buffers: a story profile in the thread source is binary. */
const COMMIT_BUFFER_CMD = 'wiresiftLshCommitBuffer';
/** ioredis adds a Buffer-replying twin of every defined command; the query needs raw signature bytes. */
const QUERY_BUFFER_CMD = 'wiresiftLshQueryBuffer';

type ScriptedRedis = Redis & {
  [QUERY_CMD]: (...args: (string | number | Buffer)[]) => Promise<unknown>;
  [QUERY_BUFFER_CMD]: (...args: (string | number | Buffer)[]) => Promise<unknown>;
  [COMMIT_CMD]: (...args: (string | number | Buffer)[]) => Promise<unknown>;
  [COMMIT_BUFFER_CMD]: (...args: (string | number | Buffer)[]) => Promise<unknown>;
};

/** How a join is stored on the article hash (`via`): "<measure>:<value>:<articleId>". */
export function formatVia(r: JoinReason): string {
  return `${r.measure}:${r.value.toFixed(3)}:${r.match}`;
}

export function parseVia(v: string | undefined): JoinReason | null {
  if (!v) return null;
  const m = /^(jaccard|containment):([0-9.]+):(.+)$/.exec(v);
  return m ? { measure: m[1] as JoinReason['measure'], value: Number(m[2]), match: m[3]! } : null;
}

type PlanEntry = { id: string; to: string; kind: string; via: string; contains: string; inside: string };

/**
 * Turns a placement of the neighbourhood into the commit's plan: which
 * cluster id each group keeps (the existing cluster holding most of its
 * members, each id used once, larger groups first), new ids ("+n") for the
 * others, and the pages whose cluster, kind or join reason changed.
 */
function planOf(
  self: string,
  placement: Placement,
  current: Map<string, Neighbour>,
  seqOf: Map<string, number>,
): { self: PlanEntry; moves: PlanEntry[] } {
  const groups = [...placement.groups].sort((a, b) => b.length - a.length || (a[0]! < b[0]! ? -1 : 1));
  const taken = new Set<string>();
  const target = new Map<string, string>();
  let fresh = 0;
  for (const g of groups) {
    // A page seen without its cluster stays where it is.
    if (g.length === 1 && current.get(g[0]!)?.frozen) {
      target.set(g[0]!, current.get(g[0]!)!.cluster);
      continue;
    }
    const votes = new Map<string, number>();
    for (const id of g) {
      const c = current.get(id)?.cluster;
      if (c) votes.set(c, (votes.get(c) ?? 0) + 1);
    }
    let best = '';
    for (const [c, v] of votes) {
      if (taken.has(c)) continue;
      const bv = best ? votes.get(best)! : -1;
      if (v > bv || (v === bv && (seqOf.get(c) ?? 0) < (seqOf.get(best) ?? 0))) best = c;
    }
    if (best) taken.add(best);
    const to = best || `+${++fresh}`;
    for (const id of g) target.set(id, to);
  }
  const entry = (id: string): PlanEntry => {
    const kind = placement.kind.get(id) === 'container' ? 'container' : '';
    const via = placement.via.get(id);
    return {
      id,
      to: target.get(id)!,
      kind,
      via: via ? formatVia(via) : '',
      contains: (placement.contains.get(id) ?? []).join(','),
      inside: (placement.inside.get(id) ?? []).join(','),
    };
  };
  const moves: PlanEntry[] = [];
  for (const [id, n] of current) {
    if (n.frozen) continue;
    const e = entry(id);
    const stillVia = parseVia(n.via)?.match;
    // A join reason is kept while its match is still in the same group.
    const viaOk = !!stillVia && target.get(stillVia) === e.to;
    const changed = e.kind !== n.kind || e.contains !== n.contains || e.inside !== n.inside;
    if (e.to !== n.cluster || changed || (!viaOk && e.via !== n.via)) moves.push(e);
  }
  moves.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { self: entry(self), moves };
}

/**
 * Near-duplicate clustering over MinHash LSH buckets in Redis.
 *
 * assign() is a read–place–commit loop with optimistic concurrency:
 * 1. a Lua query (lsh-query.lua) reads, atomically, the index epoch, the
 *    refs in this article's band buckets that are still in the time window
 *    (with a digest of them), every such neighbour's signature record and
 *    placement, and the other members of the neighbours' clusters;
 * 2. the clustering policy passed in (`place`) places that whole
 *    neighbourhood with the newcomer, as a function of the set, so arrival
 *    order does not matter; the difference with the stored placement is the plan;
 * 3. a Lua commit (lsh-commit.lua) re-checks that nobody wrote into this
 *    article's buckets or the clusters read since (epoch unchanged, or the
 *    same digest and cluster versions) and then, in one step, indexes the
 *    article and applies the plan. On a conflict the loop starts over, so N
 *    workers give the partition one worker gives.
 * An article that already has a cluster is returned unchanged (retried jobs).
 */
export class ClusterIndex {
  private readonly redis: ScriptedRedis;
  private readonly keys: Keys;
  private readonly bands: number;
  private readonly rows: number;
  private readonly format: SketchFormat;
  private readonly tags: number;
  private readonly place: PlaceFn;
  private readonly maxRetries: number;
  private readonly eventsMaxLen: number;
  private readonly retainSeconds: number;
  private readonly maxClusters: number;
  private readonly maxMembers: number;
  private readonly staleMs: number;
  private readonly storyTemplate: [string, string] | null;
  private readonly now: () => number;
  private conflictCount = 0;
  private waitCount = 0;
  private readonly templates: Record<
    'article' | 'cluster' | 'members' | 'block' | 'bucket',
    [string, string]
  >;

  constructor(redis: Redis, keys: Keys, opts: ClusterIndexOptions) {
    if (!Number.isInteger(opts.bands) || opts.bands < 1 || !Number.isInteger(opts.rows) || opts.rows < 1) {
      throw new Error(`dedup: bands and rows must be positive integers, got ${opts.bands} x ${opts.rows}`);
    }
    const tags = opts.tags ?? 1;
    if (!Number.isInteger(tags) || tags < 1 || tags > 2 ** LSH_SIZING.minBits || (tags & (tags - 1)) !== 0)
      throw new Error(
        `dedup: index tags must be a power of two up to ${2 ** LSH_SIZING.minBits}, got ${tags}`,
      );
    this.keys = keys;
    this.bands = opts.bands;
    this.rows = opts.rows;
    this.format = opts.format;
    this.tags = tags;
    this.place = opts.place;
    this.maxRetries = opts.maxRetries ?? 16;
    this.eventsMaxLen = opts.eventsMaxLen ?? 100_000;
    this.retainSeconds = opts.retainSeconds ?? 30 * 86_400;
    this.maxClusters = opts.maxClusters ?? 16;
    this.maxMembers = opts.maxMembers ?? 64;
    this.staleMs = opts.staleMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.templates = {
      article: keyTemplate(keys.article),
      cluster: keyTemplate(keys.cluster),
      members: keyTemplate(keys.clusterMembers),
      block: taggedTemplate(keys.lshSigBlock),
      bucket: taggedTemplate(keys.lshBuckets),
    };
    this.storyTemplate = opts.readThreadSource ? keyTemplate(keys.story) : null;
    const scripted = redis as ScriptedRedis;
    if (typeof scripted[QUERY_CMD] !== 'function')
      redis.defineCommand(QUERY_CMD, { lua: loadLua('lsh-query') });
    if (typeof scripted[COMMIT_CMD] !== 'function')
      redis.defineCommand(COMMIT_CMD, { lua: loadLua('lsh-commit') });
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
    const spec = this.bucketsOf(sketch);
    const mine = storedForm(articleId, sketch, this.format.keyTerms);
    const record = encodeRecord(articleId, sketch, this.format.keyTerms);

    // Waiting for an earlier neighbour is bounded by the query itself (past staleMs it
    // detaches that neighbour); this deadline only guards against a clock that stands still.
    const waitUntil = Date.now() + 3 * this.staleMs + 1000;
    let waits = 0;
    for (let attempt = 0; attempt <= this.maxRetries; ) {
      const now = this.now();
      const read = await this.query(articleId, spec, record, now, ttlSeconds, numPerm, true);
      if (read.kind === 'assigned') return alreadyAssigned(read.clusterId);
      if (read.kind === 'wait') {
        if (Date.now() > waitUntil)
          throw new Error(`dedup: ${articleId} waited too long for ${read.articleId} to be placed`);
        this.waitCount++;
        await pause(Math.min(20, 1 + waits++));
        continue;
      }

      const current = new Map<string, Neighbour>();
      for (const n of read.neighbours) if (n.id !== articleId) current.set(n.id, n);
      const pages: PolicyPage[] = [{ id: articleId, sketch: mine }];
      for (const n of current.values())
        pages.push({
          id: n.id,
          sketch: n.sketch,
          container: n.kind === 'container',
          quotes: n.contains ? n.contains.split(',') : [],
          inside: n.inside ? n.inside.split(',') : [],
          frozen: n.frozen,
        });
      const placement = this.place(
        pages,
        (a, b) => read.blocked.has(`${a}|${b}`) || read.blocked.has(`${b}|${a}`),
      );
      const seqOf = new Map(read.vers.map(([c, , seq]) => [c, seq]));
      const plan = planOf(articleId, placement, current, seqOf);

      const args = {
        id: articleId,
        iseq: read.iseq,
        vers: read.vers.map(([c, v]) => [c, v]),
        publishedAt: Math.round(publishedAt),
        now,
        maxLen: this.eventsMaxLen,
        tokens: sketch.tokenCount,
        retain: this.retainSeconds,
        keys: {
          article: this.templates.article,
          cluster: this.templates.cluster,
          members: this.templates.members,
          ...(this.storyTemplate ? { story: this.storyTemplate } : {}),
        },
        eventFields: EVENT_FIELDS,
        self: plan.self,
        moves: plan.moves,
      };
      const count = input.countLines;
      const reply = (await this.redis[COMMIT_BUFFER_CMD](
        count ? 6 : 4,
        this.keys.clusterSeq,
        this.keys.clustersByUpdate,
        this.keys.events,
        this.keys.article(articleId),
        ...(count
          ? [...count.keys, JSON.stringify(args), count.params, ...count.lines]
          : [JSON.stringify(args)]),
      )) as [Buffer, ...unknown[]];

      const status = reply[0].toString();
      if (status === 'CONFLICT') {
        this.conflictCount++;
        await backoff(attempt++);
        continue;
      }
      if (status === 'ASSIGNED') return alreadyAssigned(String(reply[1]));
      const [, clusterId, created, joined, mergedFrom, movedJson, representative, threadSource] = reply as [
        Buffer,
        Buffer,
        number,
        number,
        Buffer[],
        Buffer,
        Buffer,
        ThreadSourceReply | undefined,
      ];
      const via = placement.via.get(articleId);
      return {
        clusterId: clusterId.toString(),
        created: created === 1,
        joined: joined === 1,
        mergedFrom: mergedFrom.map(String),
        matchedArticleIds: via ? [via.match] : [],
        alreadyAssigned: false,
        representative: representative.toString(),
        kind: placement.kind.get(articleId) ?? 'article',
        moved: JSON.parse(movedJson.toString()) as [string, string, string][],
        ...(threadSource ? { threadSource } : {}),
        ...(count ? { linesCounted: true } : {}),
      };
    }
    throw new Error(
      `dedup: cluster assignment of ${articleId} still conflicted after ${this.maxRetries} retries`,
    );
  }

  /** Commits this instance had to redo because another writer touched its neighbourhood (a metric). */
  get conflicts(): number {
    return this.conflictCount;
  }

  /** Queries this instance repeated while an earlier-published neighbour was being placed (a metric). */
  get waits(): number {
    return this.waitCount;
  }

  async clusterOf(articleId: string): Promise<string | null> {
    const cluster = await this.redis.hget(this.keys.article(articleId), 'cluster');
    return cluster ? cluster : null;
  }

  /**
   * Ids of the indexed articles sharing at least one band bucket with this
   * sketch and still in the window: the LSH candidates before verification
   * (for measuring candidate recall). Placed or not; nothing is written.
   */
  async candidates(sketch: DocSketch, ttlSeconds: number): Promise<string[]> {
    const spec = this.bucketsOf(sketch);
    const probe = encodeRecord('', sketch, this.format.keyTerms);
    const read = await this.query('', spec, probe, this.now(), ttlSeconds, sketch.signature.length, false);
    return read.kind === 'ok' ? read.neighbours.filter((n) => n.bucket).map((n) => n.id) : [];
  }

  private bucketsOf(sketch: DocSketch): Buffer {
    return bucketSpec(sketch, this.bands, this.rows, this.format);
  }

  private async query(
    articleId: string,
    spec: Buffer,
    record: Buffer,
    now: number,
    ttlSeconds: number,
    numPerm: number,
    index: boolean,
  ): Promise<QueryResult> {
    const params = {
      index,
      now,
      window: ttlSeconds,
      recordSize: recordSize(numPerm, this.format.keyTerms),
      perBlock: recordsPerBlock(recordSize(numPerm, this.format.keyTerms)),
      tags: this.tags,
      gen: generationParams(ttlSeconds),
      staleMs: this.staleMs,
      maxClusters: index ? this.maxClusters : 0,
      maxMembers: this.maxMembers,
      maxBlocked: MAX_BLOCKED,
      keys: this.templates,
    };
    const reply = (await this.redis[QUERY_BUFFER_CMD](
      6,
      this.keys.article(articleId || '\u0000'),
      this.keys.lshRefSeq,
      this.keys.lshRefsByHour,
      this.keys.lshGenerations,
      this.keys.lshPublishSeq,
      this.keys.blockedPairs,
      JSON.stringify(params),
      spec,
      record,
    )) as Buffer[];
    const status = reply[0]!.toString();
    if (status === 'ASSIGNED') return { kind: 'assigned', clusterId: reply[1]!.toString() };
    if (status === 'WAIT') return { kind: 'wait', articleId: reply[1]!.toString() };
    const vers = asArray(JSON.parse(reply[2]!.toString())) as [string, number, number][];
    const blocked = new Set(asArray(JSON.parse(reply[3]!.toString())) as string[]);
    const neighbours: Neighbour[] = [];
    for (let i = 4; i + 1 < reply.length; i += 2) {
      const { id, sketch } = decodeRecord(reply[i]!, numPerm);
      const [cluster, kind, via, bucket, contains, inside] = JSON.parse(reply[i + 1]!.toString()) as [
        string,
        string,
        string,
        number,
        string,
        string,
      ];
      neighbours.push({
        id,
        sketch,
        cluster,
        kind,
        via,
        contains,
        inside,
        bucket: bucket === 1,
        frozen: bucket === 2,
      });
    }
    // Evidence whose cluster was read whole anyway is an ordinary member.
    const readWhole = new Set(vers.map(([c]) => c));
    for (const n of neighbours) if (n.frozen && readWhole.has(n.cluster)) n.frozen = false;
    return { kind: 'ok', iseq: Number(reply[1]!.toString()), vers, blocked, neighbours };
  }
}

/** Redis's cjson encodes an empty table as an object. */
function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
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
    kind: 'article',
    moved: [],
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Jittered, growing pause so workers that collided do not collide again in lockstep. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
