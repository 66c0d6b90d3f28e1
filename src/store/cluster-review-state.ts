import type { Redis } from 'ioredis';
import { keyTemplate } from './key-template.js';
import type { Keys } from './keys.js';
import { loadLua } from './lua/load-lua.js';

/**
 * The Redis side of editors' actions on clusters: what an action is planned
 * from, and review-apply.lua, which applies a plan in one atomic step after
 * checking nothing it relies on changed (the member lists of the clusters
 * involved) — so a dedup worker joining an article in between makes the
 * action plan again, never half-apply. Every applied plan also writes its
 * event (events stream), its audit line (review audit stream) and how to
 * reverse it (undo list) in the same step. What a plan holds is decided in
 * src/review/cluster-decisions.ts.
 */

type Fields = string[]; // flat [k, v, k, v, ...] so field order survives JSON → Lua

/** What review-apply.lua applies; "$NEWID" / "$NEWSEQ" name the cluster it creates. */
export type ClusterReviewPlan = {
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

/** 'OK' with the new cluster's id (when the plan made one), or 'CONFLICT' with why. */
export type ApplyOutcome = { applied: true; newId: string } | { applied: false; reason: string };

const APPLY_CMD = 'wiresiftReviewApply';
type ScriptedRedis = Redis & { [APPLY_CMD]: (...args: (string | number)[]) => Promise<[string, string]> };

export class ClusterReviewState {
  private readonly redis: ScriptedRedis;
  private readonly templates: string[];

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    private readonly opts: {
      eventsMaxLen: number;
      /** Seconds a cluster is kept after its last change (articles.retainDays; default 30 days). */
      retainSeconds?: number;
    },
  ) {
    const scripted = redis as ScriptedRedis;
    if (typeof scripted[APPLY_CMD] !== 'function')
      redis.defineCommand(APPLY_CMD, { lua: loadLua('review-apply') });
    this.redis = scripted;
    this.templates = [
      ...keyTemplate(keys.cluster),
      ...keyTemplate(keys.clusterMembers),
      ...keyTemplate(keys.article),
    ];
  }

  /** A cluster's members in order, or null when there is no such cluster. */
  async members(clusterId: string): Promise<string[] | null> {
    const [exists, members] = await Promise.all([
      this.redis.exists(this.keys.cluster(clusterId)),
      this.redis.zrange(this.keys.clusterMembers(clusterId), '0', '-1'),
    ]);
    return exists ? members : null;
  }

  async exists(clusterId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.cluster(clusterId))) === 1;
  }

  /** A cluster's fields, flat [k, v, …] (empty when there is no such cluster). */
  async fields(clusterId: string): Promise<string[]> {
    return Object.entries(await this.redis.hgetall(this.keys.cluster(clusterId))).flat();
  }

  async fieldValues(clusterId: string, fields: string[]): Promise<(string | null)[]> {
    return this.redis.hmget(this.keys.cluster(clusterId), ...fields);
  }

  /** Which of these "a|b" pairs editors said are not the same story. */
  async blockedAmong(pairs: string[]): Promise<Set<string>> {
    if (!pairs.length) return new Set();
    const flags = await this.redis.smismember(this.keys.blockedPairs, ...pairs);
    return new Set(pairs.filter((_, i) => flags[i] === 1));
  }

  /** The undo list, newest first (the last 1,000 actions of all editors). */
  async undoList(): Promise<string[]> {
    return this.redis.lrange(this.keys.reviewUndo, 0, -1);
  }

  async apply(plan: ClusterReviewPlan, now: number, newCluster: boolean): Promise<ApplyOutcome> {
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
    return status === 'OK' ? { applied: true, newId: detail } : { applied: false, reason: detail };
  }
}
