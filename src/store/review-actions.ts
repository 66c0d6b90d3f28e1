import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditEntry } from './contract-types.js';
import { eventEntry } from './event-entry.js';
import { keyTemplate } from './key-template.js';
import type { Keys } from './keys.js';
import { loadLua } from './lua/load-lua.js';

/**
 * Editors' decisions on clusters: split, merge, set representative, mark
 * reviewed, undo. Each action is computed here from what Redis holds, then
 * applied by one Lua script that first checks nothing it relies on changed
 * (the member lists of the clusters involved) — so a dedup worker joining an
 * article in between makes the action retry, never half-apply. Every applied
 * action also writes its event (events stream), its audit line (review audit
 * stream) and how to reverse it (undo list) in the same atomic step.
 */

export type ReviewAction = 'split' | 'merge' | 'representative' | 'reviewed' | 'undo';

/**
 * Why an editor's action was refused: a bad request, a cluster or thread
 * that is not there, or a change since the page was read. The web layer
 * decides what each means in HTTP (http/review/review-status.ts).
 */
export type ReviewRefusal = 'invalid' | 'not-found' | 'conflict';

export class ReviewError extends Error {
  override name = 'ReviewError';
  constructor(
    message: string,
    readonly refusal: ReviewRefusal,
  ) {
    super(message);
  }
}

/** Pairs an editor said are not the same story, stored "a|b" with a < b (byte order). */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

type Fields = string[]; // flat [k, v, k, v, ...] so field order survives JSON → Lua

type Plan = {
  guards: { cluster: string; members: string[] }[];
  undoHead?: string;
  /** The undo record this plan reverses: removed from the list, wherever it stands. */
  undoRemove?: string;
  create: { id: string; fields: Fields }[];
  moves: { article: string; from: string; to: string }[];
  del: string[];
  set: { cluster: string; fields: Fields }[];
  unset: { cluster: string; fields: string[] }[];
  touch: string[];
  blockAdd: string[];
  blockRem: string[];
  event: Fields;
  audit: Fields;
  undoPush?: string;
};

const APPLY_PLAN_LUA = loadLua('review-apply');

const APPLY_CMD = 'wiresiftReviewApply';
type ScriptedRedis = Redis & { [APPLY_CMD]: (...args: (string | number)[]) => Promise<[string, string]> };

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

function emptyPlan(): Omit<Plan, 'event' | 'audit'> {
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
  private readonly redis: ScriptedRedis;
  private readonly templates: string[];

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    private readonly opts: {
      eventsMaxLen: number;
      /** Seconds a cluster is kept after its last change (articles.retainDays; default 30 days). */
      retainSeconds?: number;
      now?: () => number;
      maxRetries?: number;
    },
  ) {
    const scripted = redis as ScriptedRedis;
    if (typeof scripted[APPLY_CMD] !== 'function') redis.defineCommand(APPLY_CMD, { lua: APPLY_PLAN_LUA });
    this.redis = scripted;
    this.templates = [
      ...keyTemplate(keys.cluster),
      ...keyTemplate(keys.clusterMembers),
      ...keyTemplate(keys.article),
    ];
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Reads, plans and applies, again from the top when a dedup worker changed a cluster meanwhile. */
  private async run(
    build: (now: number) => Promise<{ plan: Plan; newCluster: boolean; result: ActionResult }>,
  ): Promise<ActionResult> {
    const retries = this.opts.maxRetries ?? 8;
    let reason = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      const now = this.now();
      const { plan, newCluster, result } = await build(now);
      const [status, detail] = await this.redis[APPLY_CMD](
        6,
        this.keys.clusterSeq,
        this.keys.clustersByUpdate,
        this.keys.events,
        this.keys.blockedPairs,
        this.keys.reviewAudit,
        this.keys.reviewUndo,
        JSON.stringify(plan),
        now,
        this.opts.eventsMaxLen,
        newCluster ? 1 : 0,
        ...this.templates,
        this.opts.retainSeconds ?? 30 * 86_400,
      );
      if (status === 'OK') {
        if (!newCluster) return result;
        const changed = result.changed?.map((c) => (c === '$NEWID' ? detail : c));
        return { ...result, newClusterId: detail, ...(changed ? { changed } : {}) };
      }
      reason = detail;
    }
    throw new ReviewError(`review: ${reason}; try again`, 'conflict');
  }

  private async members(clusterId: string): Promise<string[]> {
    const [exists, members] = await Promise.all([
      this.redis.exists(this.keys.cluster(clusterId)),
      this.redis.zrange(this.keys.clusterMembers(clusterId), '0', '-1'),
    ]);
    if (!exists) throw new ReviewError(`review: cluster ${clusterId} not found`, 'not-found');
    return members;
  }

  private async blockedAmong(pairs: string[]): Promise<Set<string>> {
    if (!pairs.length) return new Set();
    const flags = await this.redis.smismember(this.keys.blockedPairs, ...pairs);
    return new Set(pairs.filter((_, i) => flags[i] === 1));
  }

  private stamp(record: UndoRecord, editor: string, now: number): string {
    const entry: UndoEntry = { ...record, editor, at: now, nonce: randomBytes(6).toString('hex') };
    return JSON.stringify(entry);
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
      const already = await this.blockedAmong(pairs);
      const blocked = pairs.filter((p) => !already.has(p));
      const plan: Plan = {
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
      const [target, source, sourceHash, [rep, picked]] = await Promise.all([
        this.members(targetId),
        this.members(sourceId),
        this.redis.hgetall(this.keys.cluster(sourceId)),
        this.redis.hmget(this.keys.cluster(targetId), 'representative', 'editorRepresentative'),
      ]);
      const pinned = !picked && rep && target.includes(rep) ? rep : undefined;
      const cross = target.flatMap((a) => source.map((b) => pairKey(a, b)));
      const unblocked = [...(await this.blockedAmong(cross))];
      const plan: Plan = {
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
            sourceFields: Object.entries(sourceHash).flat(),
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
      const [members, previous] = await Promise.all([
        this.members(clusterId),
        this.redis.hget(this.keys.cluster(clusterId), 'editorRepresentative'),
      ]);
      if (!members.includes(articleId))
        throw new ReviewError(`review: article ${articleId} is not in cluster ${clusterId}`, 'invalid');
      const plan: Plan = {
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
        this.redis.hmget(this.keys.cluster(clusterId), 'reviewedAt', 'reviewedBy'),
      ]);
      const previous = prev[0] ? ['reviewedAt', prev[0], 'reviewedBy', prev[1] ?? ''] : [];
      const plan: Plan = {
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

  /** Undo records, newest first (the list keeps the last 1,000 actions of all editors). */
  private async undoRecords(): Promise<{ raw: string; entry: UndoEntry }[]> {
    const raw = await this.redis.lrange(this.keys.reviewUndo, 0, -1);
    return raw.map((r) => ({ raw: r, entry: JSON.parse(r) as UndoEntry }));
  }

  /**
   * The newest action not yet undone that touched this cluster, by any editor,
   * or null. It is the only one that cluster's page may undo: reversing an
   * older one would clobber what came after it.
   */
  async lastActionOn(clusterId: string): Promise<UndoEntry | null> {
    const records = await this.undoRecords();
    return records.find((r) => touchedBy(r.entry).includes(clusterId))?.entry ?? null;
  }

  /**
   * Reverses the action `nonce` names, which must be the newest one on this
   * cluster (and on every other cluster it touched) and the editor's own, so an
   * editor undoes exactly what their page said it would, never a colleague's
   * action elsewhere.
   */
  async undo(clusterId: string, nonce: string, editor: string): Promise<ActionResult> {
    return this.run(async (now) => {
      const records = await this.undoRecords();
      const at = records.findIndex((r) => touchedBy(r.entry).includes(clusterId));
      const found = records[at];
      if (!found) throw new ReviewError(`review: nothing to undo on cluster ${clusterId}`, 'invalid');
      const u = found.entry;
      if (u.nonce !== nonce)
        throw new ReviewError(
          `review: cluster ${clusterId} changed since this page was shown (last: ${u.action} by ${u.editor}); nothing was undone, reload`,
          'conflict',
        );
      if (u.editor !== editor)
        throw new ReviewError(`review: only ${u.editor} can undo their ${u.action}`, 'conflict');
      const later = records
        .slice(0, at)
        .find((r) => touchedBy(r.entry).some((c) => touchedBy(u).includes(c)));
      if (later)
        throw new ReviewError(
          `review: cannot undo ${u.action}: a later ${later.entry.action} by ${later.entry.editor} changed cluster ${touchedBy(later.entry).find((c) => touchedBy(u).includes(c))}; undo that first`,
          'conflict',
        );
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
      let plan: Plan;
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
          if (await this.redis.exists(this.keys.cluster(u.sourceId)))
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

/** A review audit entry (docs/redis.md "The review audit log") as XADD takes it. */
export function auditFields(
  editor: string,
  action: AuditEntry['action'],
  clusterId: string,
  articleId: string,
  detail: string,
  now: number,
): Fields {
  return [
    'editor',
    editor,
    'action',
    action,
    'clusterId',
    clusterId,
    'articleId',
    articleId,
    'detail',
    detail,
    'at',
    String(now),
  ];
}
