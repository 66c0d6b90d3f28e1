import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { loadLua } from './lua/load-lua.js';
import type { ThreadDecision } from './thread-index.js';

/**
 * The Redis side of editors' decisions on threads: what a decision is planned
 * from, and thread-decide.lua, which records it (the articles' decisions in
 * thread:decisions, its audit entry and undo record) in one atomic step after
 * checking the threads it was planned from are unchanged. What a decision
 * holds is decided in src/review/thread-decisions.ts.
 */

/** What one decision changes on one article's entry in thread:decisions. */
export type DecisionChange = {
  article: string;
  addApart?: string[];
  remApart?: string[];
  addTogether?: string[];
  remTogether?: string[];
};

/** What thread-decide.lua records. */
export type ThreadDecisionPlan = {
  /** Each thread's `ver` when the plan was made. */
  guards: { thread: string; ver: string }[];
  changes: DecisionChange[];
  audit: string[];
  /** The undo list's head the plan saw ('' for none). */
  undoHead: string;
  undoPush?: string;
  /** The undo record this plan reverses. */
  undoRemove?: string;
};

const DECIDE_CMD = 'wiresiftThreadDecide';
type ScriptedRedis = Redis & { [DECIDE_CMD]: (...args: (string | number)[]) => Promise<[string, string?]> };

export class ThreadReviewState {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    private readonly opts: { eventsMaxLen: number },
  ) {
    const scripted = redis as ScriptedRedis;
    if (typeof scripted[DECIDE_CMD] !== 'function')
      redis.defineCommand(DECIDE_CMD, { lua: loadLua('thread-decide') });
    this.redis = scripted;
  }

  /** A thread's clusters (time order; none when there is no such thread) and their members, with its version. */
  async thread(
    threadId: string,
  ): Promise<{ ver: string; clusters: string[]; members: Map<string, string[]> }> {
    const [ver, clusters] = await Promise.all([
      this.redis.hget(this.keys.thread(threadId), 'ver'),
      this.redis.zrange(this.keys.threadClusters(threadId), '0', '-1'),
    ]);
    const members = new Map<string, string[]>();
    for (const c of clusters) members.set(c, await this.members(c));
    return { ver: ver ?? '', clusters, members };
  }

  async members(clusterId: string): Promise<string[]> {
    return this.redis.zrange(this.keys.clusterMembers(clusterId), '0', '-1');
  }

  async clusterExists(clusterId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.cluster(clusterId))) === 1;
  }

  /** The thread a cluster is in, or null. */
  async threadOf(clusterId: string): Promise<string | null> {
    return (await this.redis.hget(this.keys.cluster(clusterId), 'thread')) || null;
  }

  async articleTitle(articleId: string): Promise<string> {
    return (await this.redis.hget(this.keys.article(articleId), 'title')) ?? '';
  }

  /** The decisions editors made on these articles (an entry this version cannot read counts as none). */
  async decisions(articles: string[]): Promise<Map<string, ThreadDecision>> {
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

  /** The thread undo list as stored, newest first. */
  async undoList(): Promise<string[]> {
    return this.redis.lrange(this.keys.threadUndo, 0, -1);
  }

  async undoHead(): Promise<string> {
    return (await this.redis.lindex(this.keys.threadUndo, 0)) ?? '';
  }

  /** Records the plan, or says why not (a thread changed, the undo list moved). */
  async apply(plan: ThreadDecisionPlan): Promise<{ applied: true } | { applied: false; reason: string }> {
    const guards = plan.guards.map((g) => [this.keys.thread(g.thread), g.ver]);
    const [status, reason] = await this.redis[DECIDE_CMD](
      3,
      this.keys.threadDecisions,
      this.keys.reviewAudit,
      this.keys.threadUndo,
      JSON.stringify({ ...plan, guards, maxLen: this.opts.eventsMaxLen }),
    );
    return status === 'OK' ? { applied: true } : { applied: false, reason: reason ?? '' };
  }
}
