import { auditFields } from '../store/audit-entry.js';
import type { AuditEntry } from '../store/contract-types.js';
import type { Keys } from '../store/keys.js';
import type { ThreadDecision, ThreadIndex } from '../store/thread-index.js';
import {
  type DecisionChange,
  type ThreadDecisionPlan,
  ThreadReviewState,
} from '../store/thread-review-state.js';
import { ReviewError } from './review-error.js';
import { lastUndoOn, readUndoList, stampUndo, type UndoScope, undoableOn } from './undo-rule.js';

/**
 * Editors' decisions on threads: move a cluster out of its thread, join two
 * threads (or a cluster to a thread), undo. A decision is stored on articles
 * (thread:decisions), as a split's blocked pairs are, so it outlives the
 * clusters and threads it was made on: a cluster moved out is never threaded
 * again with those articles' clusters; a join links them for good. The store
 * records each decision with its audit entry and undo record in one step,
 * then the thread step places the clusters concerned again, which is where
 * the decision shows.
 */

/** What thread decisions are made from, and what records them (src/store/thread-review-state.ts). */
export interface ThreadReviewStorage {
  /** A thread's clusters (none when there is no such thread), their members, its version. */
  thread(threadId: string): Promise<{ ver: string; clusters: string[]; members: Map<string, string[]> }>;
  members(clusterId: string): Promise<string[]>;
  clusterExists(clusterId: string): Promise<boolean>;
  threadOf(clusterId: string): Promise<string | null>;
  articleTitle(articleId: string): Promise<string>;
  decisions(articles: string[]): Promise<Map<string, ThreadDecision>>;
  /** The thread undo list as stored, newest first. */
  undoList(): Promise<string[]>;
  undoHead(): Promise<string>;
  apply(plan: ThreadDecisionPlan): Promise<{ applied: true } | { applied: false; reason: string }>;
}

type ThreadRecord =
  | { action: 'thread-remove'; threadId: string; clusterId: string; title: string; changes: DecisionChange[] }
  | { action: 'thread-join'; threadId: string; otherId: string; changes: DecisionChange[] };

/** Where a thread action shows: the threads whose pages offer its undo, the clusters it is placed again on. */
type ThreadReach = {
  /** Threads the action concerned: its undo is offered on their pages. */
  threads: string[];
  /** Clusters whose thread step shows the decision. */
  clusters: string[];
};

export type ThreadUndoEntry = ThreadRecord & { editor: string; at: number; nonce: string } & ThreadReach;

export type ThreadActionResult = {
  action: 'thread-remove' | 'thread-join' | 'undo';
  /** Where the editor lands: the thread the action left standing (or the cluster when there is none). */
  threadId: string | null;
  clusterId: string;
  undone?: string;
};

const THREAD_ID = /^t\d{1,12}$/;
const CLUSTER_ID = /^c\d{1,12}$/;

const THREAD_UNDO: UndoScope<ThreadUndoEntry> = {
  noun: 'thread',
  touched: (u) => u.threads,
  later: (_u, later) => `review: a later ${later.action} by ${later.editor} came after; undo that first`,
};

function inverse(c: DecisionChange): DecisionChange {
  return {
    article: c.article,
    ...(c.addApart ? { remApart: c.addApart } : {}),
    ...(c.remApart ? { addApart: c.remApart } : {}),
    ...(c.addTogether ? { remTogether: c.addTogether } : {}),
    ...(c.remTogether ? { addTogether: c.remTogether } : {}),
  };
}

export class ThreadReview {
  private readonly store: ThreadReviewStorage;

  constructor(
    redis: ConstructorParameters<typeof ThreadReviewState>[0],
    keys: Keys,
    private readonly threads: Pick<ThreadIndex, 'update'>,
    private readonly opts: { eventsMaxLen: number; now?: () => number; maxRetries?: number },
  ) {
    this.store = new ThreadReviewState(redis, keys, { eventsMaxLen: opts.eventsMaxLen });
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private async threadState(threadId: string) {
    const state = await this.store.thread(threadId);
    if (!state.clusters.length) throw new ReviewError(`review: thread ${threadId} not found`, 'not-found');
    return state;
  }

  private async records() {
    return readUndoList<ThreadUndoEntry>(await this.store.undoList());
  }

  /** The newest thread action not undone on this thread, by any editor, or null. */
  async lastActionOn(threadId: string): Promise<ThreadUndoEntry | null> {
    return lastUndoOn(await this.records(), THREAD_UNDO, threadId);
  }

  private async apply(plan: ThreadDecisionPlan): Promise<void> {
    const outcome = await this.store.apply(plan);
    if (!outcome.applied)
      throw new ReviewError(`review: ${outcome.reason}; reload and try again`, 'conflict');
  }

  private async rethread(clusters: string[]): Promise<void> {
    for (const c of new Set(clusters)) await this.threads.update(c, { force: true });
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

  private stamp(record: ThreadRecord, editor: string, at: number, reach: ThreadReach): string {
    return stampUndo(record, editor, at, reach);
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
    const current = await this.store.decisions([...own, ...others]);
    const otherSet = new Set(others);
    const ownSet = new Set(own);
    const changes: DecisionChange[] = [];
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
    const title = await this.store.articleTitle(own[0] ?? '');
    const stayed = state.clusters.find((c) => c !== clusterId)!;
    await this.apply({
      guards: [{ thread: threadId, ver: state.ver }],
      changes,
      audit: this.audit(editor, 'thread-remove', threadId, clusterId, `${clusterId} moved out`, at),
      undoHead: await this.store.undoHead(),
      undoPush: this.stamp({ action: 'thread-remove', threadId, clusterId, title, changes }, editor, at, {
        threads: [threadId],
        clusters: [clusterId, stayed],
      }),
    });
    await this.rethread([clusterId, stayed]);
    return { action: 'thread-remove', threadId: await this.store.threadOf(stayed), clusterId: stayed };
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
    let otherVer: ThreadDecisionPlan['guards'] = [];
    if (THREAD_ID.test(otherId)) {
      const o = await this.threadState(otherId);
      otherClusters = o.clusters;
      otherVer = [{ thread: otherId, ver: o.ver }];
    } else if (CLUSTER_ID.test(otherId)) {
      if (!(await this.store.clusterExists(otherId)))
        throw new ReviewError(`review: cluster ${otherId} not found`, 'not-found');
      const inThread = await this.store.threadOf(otherId);
      if (inThread === threadId)
        throw new ReviewError(`review: ${otherId} is in this thread already`, 'invalid');
      if (inThread) return this.join(threadId, inThread, editor);
      otherClusters = [otherId];
    } else throw new ReviewError('review: give a thread id (t…) or a cluster id (c…)', 'invalid');

    const ownArticles = state.clusters.flatMap((c) => state.members.get(c)!);
    const otherMembers = new Map<string, string[]>();
    for (const c of otherClusters) otherMembers.set(c, await this.store.members(c));
    const otherArticles = [...otherMembers.values()].flat();
    const current = await this.store.decisions([...ownArticles, ...otherArticles]);
    const ownSet = new Set(ownArticles);
    const otherSet = new Set(otherArticles);
    const changes: DecisionChange[] = [];
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
      guards: [{ thread: threadId, ver: state.ver }, ...otherVer],
      changes,
      audit: this.audit(editor, 'thread-join', threadId, clusters[1]!, `${otherId} joined`, at),
      undoHead: await this.store.undoHead(),
      undoPush: this.stamp({ action: 'thread-join', threadId, otherId, changes }, editor, at, {
        threads,
        clusters,
      }),
    });
    await this.rethread(clusters);
    return {
      action: 'thread-join',
      threadId: await this.store.threadOf(clusters[0]!),
      clusterId: clusters[0]!,
    };
  }

  /** Reverses the newest thread action on this thread, the editor's own, as its page offered it. */
  async undo(threadId: string, nonce: string, editor: string): Promise<ThreadActionResult> {
    const records = await this.records();
    const found = undoableOn(records, THREAD_UNDO, threadId, nonce, editor);
    const u = found.entry;
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
    return {
      action: 'undo',
      threadId: await this.store.threadOf(landing),
      clusterId: landing,
      undone: u.action,
    };
  }
}
