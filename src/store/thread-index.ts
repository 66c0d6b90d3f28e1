import type { Redis } from 'ioredis';
import { getArticleBody } from './articles.js';
import { EVENT_FIELDS } from './contract-types.js';
import { keyTemplate } from './key-template.js';
import type { Keys } from './keys.js';
import { loadLua } from './lua/load-lua.js';
import { decodeStory, encodeStory, type StoryProfile, storedStory } from './story-record.js';
import type { ThreadSourceReply } from './thread-source.js';

/** A cluster as the thread policy compares it (src/threads/thread-policy.ts StoryNode). */
export type StoryNode = {
  /** Cluster id. */
  id: string;
  profile: StoryProfile;
  /** First publication among its members (ms). */
  at: number;
  container: boolean;
  /** Containers: the clusters of the stories it quotes. */
  quotes: string[];
  /** Found to be a roundup before: it stays one until its story changes. */
  roundup?: boolean;
};

/** Editors' thread decisions, as the thread policy takes them (src/threads/thread-policy.ts). */
export type ThreadConstraints = {
  blocked: (a: string, b: string) => boolean;
  joined: [string, string][];
};

/** The thread policy passed in (src/threads/thread-policy.ts placeThreads): the index only stores. */
export type PlaceThreadsFn = (
  nodes: StoryNode[],
  constraints: ThreadConstraints,
) => { groups: string[][]; roundups: Set<string> };

export type ThreadIndexOptions = {
  place: PlaceThreadsFn;
  /** The story profile of a text (src/threads/story-profile.ts). */
  profileOf: (text: string) => StoryProfile;
  /** Clusters first written longer ago than this are no longer candidates; stories and postings expire after it. */
  windowHours: number;
  /** Clusters read through the postings per step, most shared facts first (default 32). */
  maxCandidates?: number;
  /** Clusters read per thread, latest first (default 64); the others keep their thread. */
  maxThread?: number;
  /** Clusters kept per fact posting, latest first (default 64). */
  maxPostings?: number;
  /** Facts of a story indexed in the postings (default 24: the smallest hashes, a sample the same in every text). */
  indexedTerms?: number;
  eventsMaxLen?: number;
  now?: () => number;
  maxRetries?: number;
};

export type ThreadUpdate = {
  clusterId: string;
  /** The cluster's thread after the step, or '' (none; also when the cluster no longer exists). */
  thread: string;
  created: string[];
  merged: [string, string][];
  updated: string[];
  dissolved: string[];
};

/** An editor's thread decisions on one article (HASH thread:decisions): the articles it is apart from / together with. */
export type ThreadDecision = { apart?: string[]; together?: string[] };

type QueryNode = {
  id: string;
  exists: number;
  ver: string;
  at: number;
  container: string;
  quotes: string[];
  thread: string;
  v: string;
  src: string;
  roundup: string;
  profile: number;
  members: string[];
};

type QueryMeta = {
  nodes: QueryNode[];
  threads: { id: string; ver: string; size: number }[];
  decisions: Record<string, string>;
};

type Source = {
  exists: boolean;
  ver: string;
  at: number;
  src: string;
  sourceId: string;
  container: boolean;
  quotes: string;
  stored: {
    profile: StoryProfile | null;
    src: string;
    terms: string[];
    roundup: boolean;
    at: number;
    quotes: string;
    thread: string;
  };
};

const QUERY_CMD = 'wiresiftThreadQueryBuffer';
const QUERY_DEFINE = 'wiresiftThreadQuery';
const COMMIT_CMD = 'wiresiftThreadCommit';
const SOURCE_CMD = 'wiresiftThreadSourceBuffer';
const SOURCE_DEFINE = 'wiresiftThreadSource';

type ScriptedRedis = Redis & {
  [QUERY_CMD]: (...args: (string | number | Buffer)[]) => Promise<Buffer[]>;
  [COMMIT_CMD]: (...args: (string | number | Buffer)[]) => Promise<[string, string]>;
  [SOURCE_CMD]: (...args: (string | number)[]) => Promise<ThreadSourceReply>;
};

function asArray<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

const hex = (v: number) => v.toString(16).padStart(8, '0');

/** The facts a story is found by: the smallest `n` name and figure hashes. */
export function indexedTermsOf(p: StoryProfile, n: number): string[] {
  const all = [...p.names, ...p.figures].sort((a, b) => a - b);
  return [...new Set(all)].slice(0, n).map(hex);
}

function threadSeq(id: string): number {
  return Number(id.slice(1)) || 0;
}

/**
 * Which thread each group of the placement keeps: the existing thread holding
 * most of its clusters (larger groups first, each id once, the older thread on
 * a tie), a new one ("+n") otherwise. Clusters placed in no group leave their
 * thread. A thread all of whose clusters went to groups keeping other ids is
 * merged into the one that took most of them.
 */
export function planThreads(
  groups: string[][],
  current: Map<string, string>,
  complete: Set<string>,
): { assign: [string, string][]; merged: [string, string][] } {
  const sorted = [...groups].sort((a, b) => b.length - a.length || (a[0]! < b[0]! ? -1 : 1));
  const taken = new Set<string>();
  const target = new Map<string, string>();
  let fresh = 0;
  for (const g of sorted) {
    const votes = new Map<string, number>();
    for (const c of g) {
      const t = current.get(c);
      if (t) votes.set(t, (votes.get(t) ?? 0) + 1);
    }
    let best = '';
    for (const [t, v] of votes) {
      if (taken.has(t)) continue;
      const bv = best ? votes.get(best)! : -1;
      if (v > bv || (v === bv && threadSeq(t) < threadSeq(best))) best = t;
    }
    if (best) taken.add(best);
    const to = best || `+${++fresh}`;
    for (const c of g) target.set(c, to);
  }
  const assign: [string, string][] = [];
  for (const [c, t] of current) {
    const to = target.get(c) ?? '';
    if (to !== t) assign.push([c, to]);
  }
  for (const [c, to] of target) if (!current.has(c)) assign.push([c, to]);
  assign.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  // Threads that lost every cluster to other threads: merged into the one that took most.
  const merged: [string, string][] = [];
  const lost = new Map<string, Map<string, number>>();
  for (const [c, t] of current) {
    if (!t || taken.has(t) || !complete.has(t)) continue;
    const to = target.get(c);
    if (!to || to.startsWith('+')) continue;
    const m = lost.get(t) ?? new Map<string, number>();
    m.set(to, (m.get(to) ?? 0) + 1);
    lost.set(t, m);
  }
  for (const [from, tos] of [...lost].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const into = [...tos].sort((a, b) => b[1] - a[1] || threadSeq(a[0]) - threadSeq(b[0]))[0]![0];
    merged.push([into, from]);
  }
  return { assign, merged };
}

/** A stored body the caller holds already (the article just placed): its story is read from it, not from Redis. */
export type KnownBody = { articleId: string; body: string };

/**
 * Story threads over the clusters, in Redis, next to them.
 *
 * update(clusterId) is a read–place–commit loop like ClusterIndex.assign:
 * 1. the cluster's story is read from its most complete member (reused while
 *    that member and its length are unchanged);
 * 2. a Lua query (thread-query.lua) reads, atomically, the clusters sharing
 *    indexed facts with it, their threads with every cluster of those, each
 *    one's stored story, and the editors' decisions on their articles;
 * 3. the thread policy places that neighbourhood as a set (so arrival order
 *    does not matter) and the difference with the stored threads is the plan;
 * 4. a Lua commit (thread-commit.lua) checks that the cluster is unchanged
 *    (its `ver`) and that no thread commit touched what was read, then stores
 *    the story, indexes its facts and applies the plan with its events.
 * A conflict starts over. Every step is derived from the clusters as they are,
 * so running it again (a retried job) changes nothing.
 */
export class ThreadIndex {
  private readonly redis: ScriptedRedis;
  private readonly templates: Record<string, [string, string]>;
  private readonly maxCandidates: number;
  private readonly maxThread: number;
  private readonly maxPostings: number;
  private readonly indexedTerms: number;
  private readonly now: () => number;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    private readonly opts: ThreadIndexOptions,
  ) {
    this.maxCandidates = opts.maxCandidates ?? 32;
    this.maxThread = opts.maxThread ?? 64;
    this.maxPostings = opts.maxPostings ?? 64;
    this.indexedTerms = opts.indexedTerms ?? 24;
    this.now = opts.now ?? Date.now;
    this.templates = {
      cluster: keyTemplate(keys.cluster),
      members: keyTemplate(keys.clusterMembers),
      story: keyTemplate(keys.story),
      storyTerm: keyTemplate(keys.storyTerm),
      thread: keyTemplate(keys.thread),
      threadClusters: keyTemplate(keys.threadClusters),
      article: keyTemplate(keys.article),
    };
    const scripted = redis as ScriptedRedis;
    if (typeof (scripted as unknown as Record<string, unknown>)[QUERY_DEFINE] !== 'function')
      redis.defineCommand(QUERY_DEFINE, { lua: loadLua('thread-query') });
    if (typeof scripted[COMMIT_CMD] !== 'function')
      redis.defineCommand(COMMIT_CMD, { lua: loadLua('thread-commit') });
    if (typeof (scripted as unknown as Record<string, unknown>)[SOURCE_DEFINE] !== 'function')
      redis.defineCommand(SOURCE_DEFINE, { lua: loadLua('thread-source') });
    this.redis = scripted;
  }

  /** Reads the cluster and the member its story comes from (thread-source.lua: one round trip). */
  private async sourceOf(clusterId: string): Promise<Source> {
    const reply = await this.redis[SOURCE_CMD](
      3,
      this.keys.cluster(clusterId),
      this.keys.clusterMembers(clusterId),
      this.keys.story(clusterId),
      ...this.templates.article!,
    );
    return this.sourceFrom(reply);
  }

  /** The source as thread-source-read.lua read it (its own script, or the dedup commit's reply). */
  private sourceFrom(reply: ThreadSourceReply): Source {
    const [exists, ver, members, storyFlat, flat] = reply;
    const ids: string[] = [];
    const fields: string[][] = [];
    let at = Number.POSITIVE_INFINITY;
    for (let i = 0; i + 1 < members.length; i += 2) {
      ids.push(members[i]!.toString());
      at = Math.min(at, Number(members[i + 1]!.toString()) || Number.POSITIVE_INFINITY);
      const f = (i / 2) * 3;
      fields.push([flat[f]!.toString(), flat[f + 1]!.toString(), flat[f + 2]!.toString()]);
    }
    const story: Record<string, Buffer> = {};
    for (let i = 0; i + 1 < storyFlat.length; i += 2) story[storyFlat[i]!.toString()] = storyFlat[i + 1]!;
    // The most complete member that is not a container; a container only when it is all there is.
    let best = -1;
    for (let i = 0; i < ids.length; i++) {
      const [tokens, kind] = fields[i]!;
      const b = best >= 0 ? fields[best]! : null;
      const better =
        !b ||
        (b[1] === 'container' && kind !== 'container') ||
        ((b[1] === 'container') === (kind === 'container') && (Number(tokens) || 0) > (Number(b[0]) || 0));
      if (better) best = i;
    }
    const src = best >= 0 ? `${ids[best]}:${fields[best]![0]}` : '';
    const stored = story.profile ? decodeStory(story.profile) : null;
    return {
      exists: Number(exists.toString()) === 1,
      ver: ver.toString(),
      at: Number.isFinite(at) ? at : this.now(),
      src,
      sourceId: best >= 0 ? ids[best]! : '',
      container: best >= 0 && fields[best]![1] === 'container',
      quotes: best >= 0 && fields[best]![1] === 'container' ? fields[best]![2]! : '',
      stored: {
        profile: stored,
        src: story.src?.toString() ?? '',
        terms: (story.terms?.toString() ?? '').split(',').filter(Boolean),
        roundup: story.roundup?.toString() === '1',
        at: Number(story.at?.toString()) || 0,
        quotes: story.quotes?.toString() ?? '',
        thread: story.thread?.toString() ?? '',
      },
    };
  }

  private async profileFor(source: Source, known?: KnownBody): Promise<StoryProfile> {
    if (source.stored.profile && source.stored.src === source.src) return source.stored.profile;
    const body = !source.sourceId
      ? null
      : known?.articleId === source.sourceId
        ? known.body
        : await getArticleBody(this.redis, this.keys, source.sourceId);
    // A body past its TTL: the story read from it before stays.
    if (!body) return source.stored.profile ?? this.opts.profileOf('');
    return storedStory(this.opts.profileOf(body));
  }

  /** The current cluster of each of these articles (containers store what they quote as articles). */
  private async clustersOf(articleIds: string[]): Promise<string[]> {
    const ids = articleIds.filter(Boolean);
    if (!ids.length) return [];
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.hget(this.keys.article(id), 'cluster');
    const res = (await pipe.exec()) ?? [];
    return [...new Set(res.map((r) => r[1]).filter((c): c is string => typeof c === 'string' && c !== ''))];
  }

  /** thread-query.lua: the neighbourhood as read, with each stored story decoded. */
  private async neighbourhood(clusterId: string, quotes: string[], terms: string[], since: number) {
    const reply = await this.redis[QUERY_CMD](
      2,
      this.keys.threadEpoch,
      this.keys.threadDecisions,
      JSON.stringify({
        id: clusterId,
        quotes,
        terms: terms.map((t) => this.keys.storyTerm(t)),
        since,
        maxCandidates: this.maxCandidates,
        maxThread: this.maxThread,
        keys: this.templates,
      }),
    );
    const meta = JSON.parse(reply[2]!.toString()) as QueryMeta;
    const nodes = asArray<QueryNode>(meta.nodes);
    let blob = 3;
    const stories = new Map<string, StoryProfile | null>();
    for (const n of nodes) {
      n.members = asArray<string>(n.members);
      n.quotes = asArray<string>(n.quotes);
      stories.set(n.id, n.profile === 1 ? decodeStory(reply[blob++]!) : null);
    }
    return { epoch: reply[0]!.toString(), digest: reply[1]!.toString(), meta, nodes, stories };
  }

  /**
   * Places one cluster (and the neighbourhood it reaches) in its thread. A
   * cluster that no longer exists (merged away) leaves its thread.
   */
  async update(
    clusterId: string,
    opts: { force?: boolean; known?: KnownBody; source?: ThreadSourceReply } = {},
  ): Promise<ThreadUpdate> {
    const retries = this.opts.maxRetries ?? 16;
    let reason = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      // The dedup commit's reply holds this read when the step follows it; a retry reads again.
      const source =
        attempt === 0 && opts.source ? this.sourceFrom(opts.source) : await this.sourceOf(clusterId);
      // The story a committed step read is what the cluster still tells (same copy, same length,
      // same first publication, same quotes): that step placed its neighbourhood already. A copy
      // that joined without changing any of it (most joins) changes no thread. Editors' decisions
      // change the placement without changing the story: they force the step.
      const s = source.stored;
      if (
        !opts.force &&
        source.exists &&
        s.profile &&
        s.src === source.src &&
        s.at === source.at &&
        s.quotes === source.quotes
      )
        return { clusterId, thread: s.thread, created: [], merged: [], updated: [], dissolved: [] };
      const profile = source.exists ? await this.profileFor(source, opts.known) : null;
      const terms = profile ? indexedTermsOf(profile, this.indexedTerms) : [];
      const quotes = source.exists && source.container ? await this.clustersOf(source.quotes.split(',')) : [];
      const now = this.now();
      const since = now - this.opts.windowHours * 3_600_000;
      const read = await this.neighbourhood(clusterId, quotes, terms, since);
      const placeable = placeableNodes(clusterId, read, source, profile, quotes);
      const placement = this.opts.place(placeable, constraintsOf(read.nodes, read.meta.decisions));
      const current = new Map<string, string>();
      const threadOf = new Map(read.nodes.map((n) => [n.id, n.thread]));
      for (const n of placeable) current.set(n.id, threadOf.get(n.id) ?? '');
      // A thread read whole (every cluster placed or gone) may be merged away; one read in part may not.
      const complete = new Set(
        asArray<{ id: string; size: number }>(read.meta.threads)
          .filter(
            (t) =>
              t.size <= this.maxThread &&
              read.nodes.filter((n) => n.thread === t.id).every((n) => n.exists !== 1 || current.has(n.id)),
          )
          .map((t) => t.id),
      );
      const plan = planThreads(placement.groups, current, complete);
      const gone = read.nodes.filter((n) => n.exists !== 1).map((n) => n.id);
      const alreadyRoundups = new Set(placeable.filter((n) => n.roundup).map((n) => n.id));

      const story =
        source.exists && profile
          ? {
              at: source.at,
              container: source.container ? '1' : '',
              quotes: source.quotes,
              src: source.src,
              terms,
              stale: source.stored.terms.filter((t) => !terms.includes(t)),
            }
          : false;
      const args = {
        id: clusterId,
        epoch: read.epoch,
        digest: read.digest,
        terms: terms.map((t) => this.keys.storyTerm(t)),
        since,
        ver: source.ver,
        guards: {
          threads: asArray<{ id: string; ver: string }>(read.meta.threads).map((t) => [t.id, t.ver]),
          stories: read.nodes.map((n) => [n.id, n.v]),
        },
        story,
        assign: plan.assign,
        roundups: [...placement.roundups].filter((id) => !alreadyRoundups.has(id)),
        gone: source.exists ? gone : [...new Set([clusterId, ...gone])],
        merged: plan.merged,
        now,
        window: Math.ceil(this.opts.windowHours * 3600),
        maxPostings: this.maxPostings,
        maxLen: this.opts.eventsMaxLen ?? 100_000,
        eventFields: EVENT_FIELDS,
        keys: this.templates,
      };
      const [status, detail] = await this.redis[COMMIT_CMD](
        4,
        this.keys.threadEpoch,
        this.keys.threadSeq,
        this.keys.threadsByUpdate,
        this.keys.events,
        JSON.stringify(args),
        profile ? encodeStory(profile) : '',
      );
      if (status === 'OK') {
        const r = JSON.parse(detail) as Omit<ThreadUpdate, 'clusterId'>;
        return {
          clusterId,
          thread: r.thread,
          created: asArray(r.created),
          merged: asArray(r.merged),
          updated: asArray(r.updated),
          dissolved: asArray(r.dissolved),
        };
      }
      reason = detail;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
    throw new Error(
      `threads: thread step of cluster ${clusterId} still conflicted after ${retries} retries (${reason})`,
    );
  }
}

/**
 * The clusters the policy places: those that exist and have a story (the one
 * deciding with the story just read); the others keep their thread as it is.
 */
function placeableNodes(
  clusterId: string,
  read: { nodes: QueryNode[]; stories: Map<string, StoryProfile | null> },
  source: Source,
  profile: StoryProfile | null,
  quotes: string[],
): StoryNode[] {
  const out: StoryNode[] = [];
  for (const n of read.nodes) {
    if (n.exists !== 1) continue;
    const isSelf = n.id === clusterId;
    const p = isSelf ? profile : read.stories.get(n.id);
    if (!p) continue;
    out.push({
      id: n.id,
      profile: p,
      at: isSelf ? source.at : n.at,
      container: isSelf ? source.container : n.container === '1',
      quotes: isSelf ? quotes : n.quotes,
      // A story read anew is judged anew.
      roundup: isSelf ? source.stored.roundup && source.stored.src === source.src : n.roundup === '1',
    });
  }
  return out;
}

/** Editors' decisions on the neighbourhood's articles, as cluster constraints. */
function constraintsOf(nodes: QueryNode[], decisions: Record<string, string>): ThreadConstraints {
  const clusterOf = new Map<string, string>();
  for (const n of nodes) for (const a of n.members) clusterOf.set(a, n.id);
  const apart = new Set<string>();
  const joined: [string, string][] = [];
  const pair = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  for (const [article, raw] of Object.entries(decisions ?? {})) {
    const from = clusterOf.get(article);
    if (!from) continue;
    let d: ThreadDecision;
    try {
      d = JSON.parse(raw) as ThreadDecision;
    } catch {
      continue;
    }
    for (const other of d.apart ?? []) {
      const to = clusterOf.get(other);
      if (to && to !== from) apart.add(pair(from, to));
    }
    for (const other of d.together ?? []) {
      const to = clusterOf.get(other);
      if (to && to !== from) joined.push(from < to ? [from, to] : [to, from]);
    }
  }
  return { blocked: (a, b) => apart.has(pair(a, b)), joined };
}
