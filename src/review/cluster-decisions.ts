import { auditFields } from '../store/audit-entry.js';
import {
  type ApplyOutcome,
  type ClusterReviewPlan,
  ClusterReviewState,
} from '../store/cluster-review-state.js';
import { eventEntry } from '../store/event-entry.js';
import type { Keys } from '../store/keys.js';
import { ReviewError } from './review-error.js';
import { lastUndoOn, readUndoList, stampUndo, type UndoScope, undoableOn } from './undo-rule.js';

/**
 * Editors' decisions on clusters: split, merge, set representative, mark
 * reviewed, undo. Each action is planned here from the state the store reads,
 * then handed to the store, which applies the whole plan or, when a dedup
 * worker changed a cluster it was planned from, nothing — and it is planned
 * again from the top.
 */

export type ReviewAction = 'split' | 'merge' | 'representative' | 'reviewed' | 'undo';

/** Pairs an editor said are not the same story, stored "a|b" with a < b (byte order). */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

type Fields = string[];

/** What cluster plans are made from, and what applies them (src/store/cluster-review-state.ts). */
export interface ClusterReviewStorage {
  /** A cluster's members, or null when there is no such cluster. */
  members(clusterId: string): Promise<string[] | null>;
  exists(clusterId: string): Promise<boolean>;
  /** A cluster's fields, flat [k, v, …], as a merge's undo recreates them. */
  fields(clusterId: string): Promise<string[]>;
  fieldValues(clusterId: string, fields: string[]): Promise<(string | null)[]>;
  blockedAmong(pairs: string[]): Promise<Set<string>>;
  /** The undo list as stored, newest first. */
  undoList(): Promise<string[]>;
  apply(plan: ClusterReviewPlan, now: number, newCluster: boolean): Promise<ApplyOutcome>;
}

type UndoRecord =
  | { action: 'split'; clusterId: string; articleId: string; newClusterId: string; blocked: string[] }
  | {
      action: 'merge';
      targetId: string;
      sourceId: string;
      sourceFields: Fields;
      sourceMembers: string[];
      unblocked: string[];
      /** The target's automatic representative, pinned by the merge so its headline stays. */
      pinned?: string;
    }
  | { action: 'representative'; clusterId: string; previous: string }
  | { action: 'reviewed'; clusterId: string; previous: Fields };

export type UndoEntry = UndoRecord & { editor: string; at: number; nonce: string };

export type ActionResult = {
  action: ReviewAction;
  clusterId: string;
  newClusterId?: string;
  undone?: string;
  /** Clusters whose membership the action changed (their threads are decided again). */
  changed?: string[];
};

/** The clusters an action changed: the ones whose pages offer its undo. */
export function touchedBy(u: UndoRecord): string[] {
  switch (u.action) {
    case 'split':
      return [u.clusterId, u.newClusterId];
    case 'merge':
      return [u.targetId, u.sourceId];
    default:
      return [u.clusterId];
  }
}

const CLUSTER_UNDO: UndoScope<UndoEntry> = {
  noun: 'cluster',
  touched: touchedBy,
  later: (u, later, shared) =>
    `review: cannot undo ${u.action}: a later ${later.action} by ${later.editor} changed cluster ${shared}; undo that first`,
};

function emptyPlan(): Omit<ClusterReviewPlan, 'event' | 'audit'> {
  return {
    guards: [],
    create: [],
    moves: [],
    del: [],
    set: [],
    unset: [],
    touch: [],
    blockAdd: [],
    blockRem: [],
  };
}

export class ReviewActions {
  private readonly store: ClusterReviewStorage;

  constructor(
    redis: ConstructorParameters<typeof ClusterReviewState>[0],
    keys: Keys,
    private readonly opts: {
      eventsMaxLen: number;
      /** Seconds a cluster is kept after its last change (articles.retainDays; default 30 days). */
      retainSeconds?: number;
      now?: () => number;
      maxRetries?: number;
    },
  ) {
    this.store = new ClusterReviewState(redis, keys, {
      eventsMaxLen: opts.eventsMaxLen,
      ...(opts.retainSeconds !== undefined ? { retainSeconds: opts.retainSeconds } : {}),
    });
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Reads, plans and applies, again from the top when a dedup worker changed a cluster meanwhile. */
  private async run(
    build: (now: number) => Promise<{ plan: ClusterReviewPlan; newCluster: boolean; result: ActionResult }>,
  ): Promise<ActionResult> {
    const retries = this.opts.maxRetries ?? 8;
    let reason = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      const now = this.now();
      const { plan, newCluster, result } = await build(now);
      const outcome = await this.store.apply(plan, now, newCluster);
      if (outcome.applied) {
        if (!newCluster) return result;
        const changed = result.changed?.map((c) => (c === '$NEWID' ? outcome.newId : c));
        return { ...result, newClusterId: outcome.newId, ...(changed ? { changed } : {}) };
      }
      reason = outcome.reason;
    }
    throw new ReviewError(`review: ${reason}; try again`, 'conflict');
  }

  private async members(clusterId: string): Promise<string[]> {
    const members = await this.store.members(clusterId);
    if (!members) throw new ReviewError(`review: cluster ${clusterId} not found`, 'not-found');
    return members;
  }

  private stamp(record: UndoRecord, editor: string, now: number): string {
    return stampUndo(record, editor, now, {});
  }

  /**
   * Moves an article out into a cluster of its own and remembers it is not the
   * same story as any member it leaves, so automatic clustering never joins
   * them again (the assign script honours blocked pairs).
   */
  async split(clusterId: string, articleId: string, editor: string): Promise<ActionResult> {
    return this.run(async (now) => {
      const members = await this.members(clusterId);
      if (!members.includes(articleId))
        throw new ReviewError(`review: article ${articleId} is not in cluster ${clusterId}`, 'invalid');
      if (members.length < 2)
        throw new ReviewError(
          `review: cluster ${clusterId} has a single member; nothing to split`,
          'invalid',
        );
      const pairs = members.filter((m) => m !== articleId).map((m) => pairKey(articleId, m));
      const already = await this.store.blockedAmong(pairs);
      const blocked = pairs.filter((p) => !already.has(p));
      const plan: ClusterReviewPlan = {
        ...emptyPlan(),
        guards: [{ cluster: clusterId, members }],
        create: [{ id: '$NEWID', fields: ['id', '$NEWID', 'seq', '$NEWSEQ', 'createdAt', String(now)] }],
        moves: [{ article: articleId, from: clusterId, to: '$NEWID' }],
        touch: [clusterId, '$NEWID'],
        blockAdd: blocked,
        event: eventEntry({
          type: 'cluster.split',
          clusterId,
          articleId,
          mergedFrom: '',
          at: String(now),
          editor,
          newClusterId: '$NEWID',
        }),
        audit: auditFields(
          editor,
          'split',
          clusterId,
          articleId,
          `into $NEWID; ${pairs.length} pairs blocked`,
          now,
        ),
        undoPush: this.stamp(
          { action: 'split', clusterId, articleId, newClusterId: '$NEWID', blocked },
          editor,
          now,
        ),
      };
      return {
        plan,
        newCluster: true,
        result: { action: 'split', clusterId, changed: [clusterId, '$NEWID'] },
      };
    });
  }

  /**
   * Moves every member of sourceId into targetId; pairs blocked across the two
   * are unblocked. The target keeps its headline: its representative is pinned
   * as if the editor had picked it (they can pick another).
   */
  async merge(targetId: string, sourceId: string, editor: string): Promise<ActionResult> {
    if (targetId === sourceId) throw new ReviewError('review: cannot merge a cluster into itself', 'invalid');
    return this.run(async (now) => {
      const [target, source, sourceFields, [rep, picked]] = await Promise.all([
        this.members(targetId),
        this.members(sourceId),
        this.store.fields(sourceId),
        this.store.fieldValues(targetId, ['representative', 'editorRepresentative']),
      ]);
      const pinned = !picked && rep && target.includes(rep) ? rep : undefined;
      const cross = target.flatMap((a) => source.map((b) => pairKey(a, b)));
      const unblocked = [...(await this.store.blockedAmong(cross))];
      const plan: ClusterReviewPlan = {
        ...emptyPlan(),
        guards: [
          { cluster: targetId, members: target },
          { cluster: sourceId, members: source },
        ],
        moves: source.map((article) => ({ article, from: sourceId, to: targetId })),
        del: [sourceId],
        set: pinned ? [{ cluster: targetId, fields: ['editorRepresentative', pinned] }] : [],
        touch: [targetId],
        blockRem: unblocked,
        event: eventEntry({
          type: 'cluster.merged',
          clusterId: targetId,
          articleId: '',
          mergedFrom: sourceId,
          at: String(now),
          editor,
        }),
        audit: auditFields(
          editor,
          'merge',
          targetId,
          '',
          `${sourceId} (${source.length} articles) merged in`,
          now,
        ),
        undoPush: this.stamp(
          {
            action: 'merge',
            targetId,
            sourceId,
            sourceFields,
            sourceMembers: source,
            unblocked,
            ...(pinned ? { pinned } : {}),
          },
          editor,
          now,
        ),
      };
      return {
        plan,
        newCluster: false,
        result: { action: 'merge', clusterId: targetId, changed: [targetId, sourceId] },
      };
    });
  }

  /** The editor's pick wins over "earliest member" until that article leaves the cluster. */
  async setRepresentative(clusterId: string, articleId: string, editor: string): Promise<ActionResult> {
    return this.run(async (now) => {
      const [members, [previous]] = await Promise.all([
        this.members(clusterId),
        this.store.fieldValues(clusterId, ['editorRepresentative']),
      ]);
      if (!members.includes(articleId))
        throw new ReviewError(`review: article ${articleId} is not in cluster ${clusterId}`, 'invalid');
      const plan: ClusterReviewPlan = {
        ...emptyPlan(),
        guards: [{ cluster: clusterId, members }],
        set: [{ cluster: clusterId, fields: ['editorRepresentative', articleId] }],
        touch: [clusterId],
        event: eventEntry({
          type: 'cluster.representative',
          clusterId,
          articleId,
          mergedFrom: '',
          at: String(now),
          editor,
        }),
        audit: auditFields(
          editor,
          'representative',
          clusterId,
          articleId,
          `was ${previous || 'automatic'}`,
          now,
        ),
        undoPush: this.stamp({ action: 'representative', clusterId, previous: previous ?? '' }, editor, now),
      };
      return { plan, newCluster: false, result: { action: 'representative', clusterId } };
    });
  }

  async markReviewed(clusterId: string, editor: string): Promise<ActionResult> {
    return this.run(async (now) => {
      const [members, prev] = await Promise.all([
        this.members(clusterId),
        this.store.fieldValues(clusterId, ['reviewedAt', 'reviewedBy']),
      ]);
      const previous = prev[0] ? ['reviewedAt', prev[0], 'reviewedBy', prev[1] ?? ''] : [];
      const plan: ClusterReviewPlan = {
        ...emptyPlan(),
        guards: [{ cluster: clusterId, members }],
        set: [{ cluster: clusterId, fields: ['reviewedAt', String(now), 'reviewedBy', editor] }],
        event: eventEntry({
          type: 'cluster.reviewed',
          clusterId,
          articleId: '',
          mergedFrom: '',
          at: String(now),
          editor,
        }),
        audit: auditFields(editor, 'reviewed', clusterId, '', `${members.length} articles`, now),
        undoPush: this.stamp({ action: 'reviewed', clusterId, previous }, editor, now),
      };
      return { plan, newCluster: false, result: { action: 'reviewed', clusterId } };
    });
  }

  private async undoRecords() {
    return readUndoList<UndoEntry>(await this.store.undoList());
  }

  /** The newest action not yet undone that touched this cluster: the one its page may undo. */
  async lastActionOn(clusterId: string): Promise<UndoEntry | null> {
    return lastUndoOn(await this.undoRecords(), CLUSTER_UNDO, clusterId);
  }

  /**
   * Reverses the action `nonce` names, which must be the newest one on this
   * cluster (and on every other cluster it touched) and the editor's own.
   */
  async undo(clusterId: string, nonce: string, editor: string): Promise<ActionResult> {
    return this.run(async (now) => {
      const records = await this.undoRecords();
      const found = undoableOn(records, CLUSTER_UNDO, clusterId, nonce, editor);
      const u = found.entry;
      const head = records[0]!.raw;
      const base = { ...emptyPlan(), undoHead: head, undoRemove: found.raw };
      const done = (clusterId: string, articleId: string, mergedFrom: string, detail: string) => ({
        event: eventEntry({
          type: 'review.undone',
          clusterId,
          articleId,
          mergedFrom,
          at: String(now),
          editor,
          undoes: u.action,
        }),
        audit: auditFields(
          editor,
          'undo',
          clusterId,
          articleId,
          `undid ${u.action} by ${u.editor}: ${detail}`,
          now,
        ),
      });
      let plan: ClusterReviewPlan;
      let landing: string;
      switch (u.action) {
        case 'split': {
          const [into, back] = await Promise.all([this.members(u.newClusterId), this.members(u.clusterId)]);
          if (into.length !== 1 || into[0] !== u.articleId)
            throw new ReviewError(
              `review: cannot undo split: cluster ${u.newClusterId} has changed`,
              'conflict',
            );
          landing = u.clusterId;
          plan = {
            ...base,
            guards: [
              { cluster: u.newClusterId, members: into },
              { cluster: u.clusterId, members: back },
            ],
            moves: [{ article: u.articleId, from: u.newClusterId, to: u.clusterId }],
            del: [u.newClusterId],
            touch: [u.clusterId],
            blockRem: u.blocked,
            ...done(u.clusterId, u.articleId, u.newClusterId, `${u.articleId} back from ${u.newClusterId}`),
          };
          break;
        }
        case 'merge': {
          const target = await this.members(u.targetId);
          const missing = u.sourceMembers.filter((m) => !target.includes(m));
          if (missing.length)
            throw new ReviewError(
              `review: cannot undo merge: ${missing.length} articles left ${u.targetId}`,
              'conflict',
            );
          if (await this.store.exists(u.sourceId))
            throw new ReviewError(
              `review: cannot undo merge: cluster ${u.sourceId} exists again`,
              'conflict',
            );
          landing = u.targetId;
          plan = {
            ...base,
            guards: [{ cluster: u.targetId, members: target }],
            create: [{ id: u.sourceId, fields: u.sourceFields }],
            moves: u.sourceMembers.map((article) => ({ article, from: u.targetId, to: u.sourceId })),
            unset: u.pinned ? [{ cluster: u.targetId, fields: ['editorRepresentative'] }] : [],
            touch: [u.targetId, u.sourceId],
            blockAdd: u.unblocked,
            ...done(u.targetId, '', u.sourceId, `${u.sourceId} restored`),
          };
          break;
        }
        case 'representative': {
          const members = await this.members(u.clusterId);
          landing = u.clusterId;
          plan = {
            ...base,
            guards: [{ cluster: u.clusterId, members }],
            set: u.previous ? [{ cluster: u.clusterId, fields: ['editorRepresentative', u.previous] }] : [],
            unset: u.previous ? [] : [{ cluster: u.clusterId, fields: ['editorRepresentative'] }],
            touch: [u.clusterId],
            ...done(u.clusterId, u.previous, '', 'representative restored'),
          };
          break;
        }
        case 'reviewed': {
          const members = await this.members(u.clusterId);
          landing = u.clusterId;
          plan = {
            ...base,
            guards: [{ cluster: u.clusterId, members }],
            set: u.previous.length ? [{ cluster: u.clusterId, fields: u.previous }] : [],
            unset: u.previous.length ? [] : [{ cluster: u.clusterId, fields: ['reviewedAt', 'reviewedBy'] }],
            ...done(u.clusterId, '', '', 'review mark restored'),
          };
          break;
        }
      }
      const changed = u.action === 'split' || u.action === 'merge' ? touchedBy(u) : [];
      return {
        plan,
        newCluster: false,
        result: { action: 'undo', clusterId: landing, undone: u.action, changed },
      };
    });
  }
}
