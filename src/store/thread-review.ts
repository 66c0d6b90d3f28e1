import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditEntry } from './contract-types.js';
import type { Keys } from './keys.js';
import { loadLua } from './lua/load-lua.js';
import { auditFields, ReviewError } from './review-actions.js';
import type { ThreadDecision, ThreadIndex } from './thread-index.js';

/**
 * Editors' decisions on threads: move a cluster out of its thread, join two
 * threads (or a cluster to a thread), undo. A decision is stored on articles
 * (thread:decisions), as a split's blocked pairs are, so it outlives the
 * clusters and threads it was made on: a cluster moved out is never threaded
 * again with those articles' clusters; a join links them for good. Each
 * decision is written with its audit entry and undo record in one script
 * (thread-decide.lua), then the thread step places the clusters concerned
 * again, which is where the decision shows.
 */
type Change = {
  article: string;
  addApart?: string[];
  remApart?: string[];
  addTogether?: string[];
  remTogether?: string[];
};

type ThreadRecord =
  | { action: 'thread-remove'; threadId: string; clusterId: string; title: string; changes: Change[] }
  | { action: 'thread-join'; threadId: string; otherId: string; changes: Change[] };

export type ThreadUndoEntry = ThreadRecord & {
  editor: string;
  at: number;
  nonce: string;
  /** Threads the action concerned: its undo is offered on their pages. */
  threads: string[];
  /** Clusters whose thread step shows the decision. */
  clusters: string[];
};

export type ThreadActionResult = {
  action: 'thread-remove' | 'thread-join' | 'undo';
  /** Where the editor lands: the thread the action left standing (or the cluster when there is none). */
  threadId: string | null;
  clusterId: string;
  undone?: string;
};

const DECIDE_CMD = 'wiresiftThreadDecide';
type ScriptedRedis = Redis & { [DECIDE_CMD]: (...args: (string | number)[]) => Promise<[string, string?]> };

const THREAD_ID = /^t\d{1,12}$/;
const CLUSTER_ID = /^c\d{1,12}$/;

function inverse(c: Change): Change {
  return {
    article: c.article,
    ...(c.addApart ? { remApart: c.addApart } : {}),
    ...(c.remApart ? { addApart: c.remApart } : {}),
    ...(c.addTogether ? { remTogether: c.addTogether } : {}),
    ...(c.remTogether ? { addTogether: c.remTogether } : {}),
  };
}

export class ThreadReview {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    private readonly threads: ThreadIndex,
    private readonly opts: { eventsMaxLen: number; now?: () => number; maxRetries?: number },
  ) {
    const scripted = redis as ScriptedRedis;
    if (typeof scripted[DECIDE_CMD] !== 'function')
      redis.defineCommand(DECIDE_CMD, { lua: loadLua('thread-decide') });
    this.redis = scripted;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** A thread's clusters (time order) and their member articles, with the thread's version. */
  private async threadState(threadId: string) {
    const [ver, clusters] = await Promise.all([
      this.redis.hget(this.keys.thread(threadId), 'ver'),
      this.redis.zrange(this.keys.threadClusters(threadId), '0', '-1'),
    ]);
    if (!clusters.length) throw new ReviewError(`review: thread ${threadId} not found`, 'not-found');
    const members = new Map<string, string[]>();
    for (const c of clusters) members.set(c, await this.redis.zrange(this.keys.clusterMembers(c), '0', '-1'));
    return { ver: ver ?? '', clusters, members };
  }

  private async decisions(articles: string[]): Promise<Map<string, ThreadDecision>> {
    const out = new Map<string, ThreadDecision>();
    if (!articles.length) return out;
    const raw = await this.redis.hmget(this.keys.threadDecisions, ...articles);
    articles.forEach((a, i) => {
      if (!raw[i]) return;
      try {
        out.set(a, JSON.parse(raw[i]!) as ThreadDecision);
      } catch {
        // a value this version cannot read counts as none
      }
    });
    return out;
  }

  private async records(): Promise<{ raw: string; entry: ThreadUndoEntry }[]> {
    const raw = await this.redis.lrange(this.keys.threadUndo, 0, -1);
    return raw.map((r) => ({ raw: r, entry: JSON.parse(r) as ThreadUndoEntry }));
  }

  /** The newest thread action not undone on this thread, by any editor, or null. */
  async lastActionOn(threadId: string): Promise<ThreadUndoEntry | null> {
    return (await this.records()).find((r) => r.entry.threads.includes(threadId))?.entry ?? null;
  }

  private async apply(args: {
    guards: [string, string][];
    changes: Change[];
    audit: string[];
    undoPush?: string;
    undoRemove?: string;
    undoHead: string;
  }): Promise<void> {
    const [status, reason] = await this.redis[DECIDE_CMD](
      3,
      this.keys.threadDecisions,
      this.keys.reviewAudit,
      this.keys.threadUndo,
      JSON.stringify({ ...args, maxLen: this.opts.eventsMaxLen }),
    );
    if (status !== 'OK') throw new ReviewError(`review: ${reason}; reload and try again`, 'conflict');
  }

  private async rethread(clusters: string[]): Promise<void> {
    for (const c of new Set(clusters)) await this.threads.update(c, { force: true });
  }

  private async threadOf(clusterId: string): Promise<string | null> {
    return (await this.redis.hget(this.keys.cluster(clusterId), 'thread')) || null;
  }

  private audit(
    editor: string,
    action: AuditEntry['action'],
    threadId: string,
    clusterId: string,
    detail: string,
    at: number,
  ) {
    return auditFields(editor, action, clusterId, '', `thread ${threadId}: ${detail}`, at);
  }

  private stamp(
    record: ThreadRecord,
    editor: string,
    at: number,
    threads: string[],
    clusters: string[],
  ): string {
    const entry: ThreadUndoEntry = {
      ...record,
      editor,
      at,
      nonce: randomBytes(6).toString('hex'),
      threads,
      clusters,
    };
    return JSON.stringify(entry);
  }

  private async head(): Promise<string> {
    return (await this.redis.lindex(this.keys.threadUndo, 0)) ?? '';
  }

  /**
   * Moves a cluster out of its thread, for good: its articles are apart from
   * every article of the thread's other clusters (and joins an editor made
   * between them are dropped), so no automatic link puts it back.
   */
  async removeCluster(threadId: string, clusterId: string, editor: string): Promise<ThreadActionResult> {
    if (!THREAD_ID.test(threadId) || !CLUSTER_ID.test(clusterId))
      throw new ReviewError('review: bad id', 'invalid');
    const state = await this.threadState(threadId);
    const own = state.members.get(clusterId);
    if (!own) throw new ReviewError(`review: cluster ${clusterId} is not in thread ${threadId}`, 'invalid');
    const others = state.clusters.filter((c) => c !== clusterId).flatMap((c) => state.members.get(c)!);
    const current = await this.decisions([...own, ...others]);
    const otherSet = new Set(others);
    const ownSet = new Set(own);
    const changes: Change[] = [];
    for (const a of own) {
      const d = current.get(a) ?? {};
      const have = new Set(d.apart ?? []);
      const addApart = others.filter((b) => !have.has(b));
      const remTogether = (d.together ?? []).filter((b) => otherSet.has(b));
      if (addApart.length || remTogether.length)
        changes.push({
          article: a,
          ...(addApart.length ? { addApart } : {}),
          ...(remTogether.length ? { remTogether } : {}),
        });
    }
    for (const b of others) {
      const remTogether = (current.get(b)?.together ?? []).filter((a) => ownSet.has(a));
      if (remTogether.length) changes.push({ article: b, remTogether });
    }
    const at = this.now();
    const title = (await this.redis.hget(this.keys.article(own[0] ?? ''), 'title')) ?? '';
    const stayed = state.clusters.find((c) => c !== clusterId)!;
    await this.apply({
      guards: [[this.keys.thread(threadId), state.ver]],
      changes,
      audit: this.audit(editor, 'thread-remove', threadId, clusterId, `${clusterId} moved out`, at),
      undoHead: await this.head(),
      undoPush: this.stamp(
        { action: 'thread-remove', threadId, clusterId, title, changes },
        editor,
        at,
        [threadId],
        [clusterId, stayed],
      ),
    });
    await this.rethread([clusterId, stayed]);
    return { action: 'thread-remove', threadId: await this.threadOf(stayed), clusterId: stayed };
  }

  /**
   * Joins another thread (`t…`) or a cluster in none (`c…`) to this thread:
   * the first clusters of both are linked for good, and what editors said
   * kept them apart is dropped.
   */
  async join(threadId: string, otherId: string, editor: string): Promise<ThreadActionResult> {
    if (!THREAD_ID.test(threadId)) throw new ReviewError('review: bad thread id', 'invalid');
    if (otherId === threadId) throw new ReviewError('review: cannot join a thread to itself', 'invalid');
    const state = await this.threadState(threadId);
    let otherClusters: string[];
    let otherVer: [string, string][] = [];
    if (THREAD_ID.test(otherId)) {
      const o = await this.threadState(otherId);
      otherClusters = o.clusters;
      otherVer = [[this.keys.thread(otherId), o.ver]];
    } else if (CLUSTER_ID.test(otherId)) {
      if (!(await this.redis.exists(this.keys.cluster(otherId))))
        throw new ReviewError(`review: cluster ${otherId} not found`, 'not-found');
      const inThread = await this.threadOf(otherId);
      if (inThread === threadId)
        throw new ReviewError(`review: ${otherId} is in this thread already`, 'invalid');
      if (inThread) return this.join(threadId, inThread, editor);
      otherClusters = [otherId];
    } else throw new ReviewError('review: give a thread id (t…) or a cluster id (c…)', 'invalid');

    const ownArticles = state.clusters.flatMap((c) => state.members.get(c)!);
    const otherMembers = new Map<string, string[]>();
    for (const c of otherClusters)
      otherMembers.set(c, await this.redis.zrange(this.keys.clusterMembers(c), '0', '-1'));
    const otherArticles = [...otherMembers.values()].flat();
    const current = await this.decisions([...ownArticles, ...otherArticles]);
    const ownSet = new Set(ownArticles);
    const otherSet = new Set(otherArticles);
    const changes: Change[] = [];
    const anchor = state.members.get(state.clusters[0]!)![0]!;
    const target = otherMembers.get(otherClusters[0]!)![0]!;
    for (const a of [...ownArticles, ...otherArticles]) {
      const d = current.get(a) ?? {};
      const across = ownSet.has(a) ? otherSet : ownSet;
      const remApart = (d.apart ?? []).filter((b) => across.has(b));
      const addTogether = a === anchor && !(d.together ?? []).includes(target) ? [target] : [];
      if (remApart.length || addTogether.length)
        changes.push({
          article: a,
          ...(remApart.length ? { remApart } : {}),
          ...(addTogether.length ? { addTogether } : {}),
        });
    }
    const at = this.now();
    const threads = THREAD_ID.test(otherId) ? [threadId, otherId] : [threadId];
    const clusters = [state.clusters[0]!, otherClusters[0]!];
    await this.apply({
      guards: [[this.keys.thread(threadId), state.ver], ...otherVer],
      changes,
      audit: this.audit(editor, 'thread-join', threadId, clusters[1]!, `${otherId} joined`, at),
      undoHead: await this.head(),
      undoPush: this.stamp(
        { action: 'thread-join', threadId, otherId, changes },
        editor,
        at,
        threads,
        clusters,
      ),
    });
    await this.rethread(clusters);
    return { action: 'thread-join', threadId: await this.threadOf(clusters[0]!), clusterId: clusters[0]! };
  }

  /** Reverses the newest thread action on this thread, the editor's own, as its page offered it. */
  async undo(threadId: string, nonce: string, editor: string): Promise<ThreadActionResult> {
    const records = await this.records();
    const at = records.findIndex((r) => r.entry.threads.includes(threadId));
    const found = records[at];
    if (!found) throw new ReviewError(`review: nothing to undo on thread ${threadId}`, 'invalid');
    const u = found.entry;
    if (u.nonce !== nonce)
      throw new ReviewError(
        `review: thread ${threadId} changed since this page was shown (last: ${u.action} by ${u.editor}); nothing was undone, reload`,
        'conflict',
      );
    if (u.editor !== editor)
      throw new ReviewError(`review: only ${u.editor} can undo their ${u.action}`, 'conflict');
    const later = records.slice(0, at).find((r) => r.entry.threads.some((t) => u.threads.includes(t)));
    if (later)
      throw new ReviewError(
        `review: a later ${later.entry.action} by ${later.entry.editor} came after; undo that first`,
        'conflict',
      );
    const now = this.now();
    await this.apply({
      guards: [],
      changes: u.changes.map(inverse),
      audit: this.audit(editor, 'undo', threadId, u.clusters[0]!, `undid ${u.action} by ${u.editor}`, now),
      undoHead: records[0]!.raw,
      undoRemove: found.raw,
    });
    await this.rethread(u.clusters);
    const landing = u.clusters[0]!;
    return { action: 'undo', threadId: await this.threadOf(landing), clusterId: landing, undone: u.action };
  }
}
