import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { createLogger } from '../../src/log.js';
import { ReviewActions } from '../../src/review/cluster-decisions.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';
import { budgetStory, rerunDedup, reviewConfig, seedArticles } from './seed.js';

describe('review actions in Redis', () => {
  const redis = connectTestRedis();
  let prefix: string;
  let ctx: AppContext;
  let actions: ReviewActions;

  beforeEach(async () => {
    prefix = uniquePrefix('review-actions');
    ctx = createContext(reviewConfig(prefix), createLogger('silent'));
    actions = new ReviewActions(ctx.redis, ctx.keys, { eventsMaxLen: 1000 });
    await seedArticles(ctx, budgetStory());
  });
  afterEach(async () => {
    await ctx.close();
    await dropPrefix(redis, prefix);
  });
  afterAll(() => redis.disconnect());

  const clusterOf = (id: string) => redis.hget(ctx.keys.article(id), 'cluster');
  /** What a cluster page's undo button posts: the nonce of the newest action on that cluster. */
  const undoOn = async (clusterId: string, editor: string) =>
    actions.undo(clusterId, (await actions.lastActionOn(clusterId))?.nonce ?? '', editor);
  const events = async () =>
    (await redis.xrange(ctx.keys.events, '-', '+')).map(([, f]) => Object.fromEntries(chunk(f)));

  it('seeds one cluster of three', async () => {
    const c = await clusterOf('a1');
    expect(await clusterOf('a2')).toBe(c);
    expect(await clusterOf('a3')).toBe(c);
  });

  it('split moves the article out, blocks its pairs, and re-running dedup does not rejoin it', async () => {
    const original = (await clusterOf('a3'))!;
    const r = await actions.split(original, 'a3', 'alice');
    expect(r.newClusterId).toMatch(/^c\d+$/);
    expect(await clusterOf('a3')).toBe(r.newClusterId);
    expect(await redis.zrange(ctx.keys.clusterMembers(original), '0', '-1')).toEqual(['a1', 'a2']);
    expect(await redis.hget(ctx.keys.cluster(original), 'size')).toBe('2');
    expect(await redis.hgetall(ctx.keys.cluster(r.newClusterId!))).toMatchObject({
      id: r.newClusterId,
      size: '1',
      representative: 'a3',
    });
    expect((await redis.smembers(ctx.keys.blockedPairs)).sort()).toEqual(['a1|a3', 'a2|a3']);

    const again = await rerunDedup(ctx, 'a3', budgetStory()[2]!.body, budgetStory()[2]!.publishedAt);
    expect(again.alreadyAssigned).toBe(false);
    expect(again.clusterId).not.toBe(original);
    expect(await redis.zcard(ctx.keys.clusterMembers(original))).toBe(2);

    const last = (await events()).find((e) => e.type === 'cluster.split');
    expect(last).toMatchObject({
      type: 'cluster.split',
      clusterId: original,
      articleId: 'a3',
      editor: 'alice',
    });
    const audit = await redis.xrange(ctx.keys.reviewAudit, '-', '+');
    expect(Object.fromEntries(chunk(audit[0]![1]))).toMatchObject({
      editor: 'alice',
      action: 'split',
      clusterId: original,
      articleId: 'a3',
    });
  });

  it('a representative split out never comes back as representative on the next join', async () => {
    const original = (await clusterOf('a1'))!;
    const rep = (await redis.hget(ctx.keys.cluster(original), 'representative'))!;
    await actions.split(original, rep, 'alice');
    // Another copy of the story arrives and joins what is left of the cluster.
    const story = budgetStory();
    const copy = { ...story[0]!, id: 'a9', outlet: 'Le Nouveau', publishedAt: '2026-03-09T09:00:00Z' };
    await seedArticles(ctx, [copy]);
    expect(await clusterOf('a9')).toBe(original);
    const after = await redis.hget(ctx.keys.cluster(original), 'representative');
    expect(after).not.toBe(rep);
    expect(await redis.zscore(ctx.keys.clusterMembers(original), after!)).not.toBeNull();
  });

  it('after a split the representative follows the clustering policy: earliest agency copy first', async () => {
    const story = budgetStory();
    // An outlet's own uncredited copy published before a credited one.
    await seedArticles(ctx, [
      { ...story[1]!, id: 'b1', outlet: 'Le Local', publishedAt: '2026-03-01T10:30:00.000Z', agency: '' },
      { ...story[1]!, id: 'b2', outlet: 'Le Régional', publishedAt: '2026-03-01T13:00:00.000Z' },
    ]);
    const original = (await clusterOf('a1'))!;
    expect(await clusterOf('b1')).toBe(original);
    expect(await redis.hget(ctx.keys.cluster(original), 'representative')).toBe('a1');
    for (const id of ['a1', 'a2', 'a3']) await actions.split(original, id, 'alice');
    // Left: b1 (10:30, no credit) and b2 (13:00, AFP): the credited copy represents it.
    expect(await redis.hget(ctx.keys.cluster(original), 'representative')).toBe('b2');
  });

  it('without the split, re-running dedup rejoins the article (the control)', async () => {
    const original = await clusterOf('a3');
    const again = await rerunDedup(ctx, 'a3', budgetStory()[2]!.body, budgetStory()[2]!.publishedAt);
    expect(again.clusterId).toBe(original);
  });

  it('undo reverses a split, including the blocked pairs', async () => {
    const original = (await clusterOf('a3'))!;
    const { newClusterId } = await actions.split(original, 'a3', 'alice');
    const u = await undoOn(newClusterId!, 'alice');
    expect(u).toMatchObject({ action: 'undo', undone: 'split', clusterId: original });
    expect(await clusterOf('a3')).toBe(original);
    expect(await redis.exists(ctx.keys.cluster(newClusterId!))).toBe(0);
    expect(await redis.zscore(ctx.keys.clustersByUpdate, newClusterId!)).toBeNull();
    expect(await redis.smembers(ctx.keys.blockedPairs)).toEqual([]);
    expect(await redis.hget(ctx.keys.cluster(original), 'size')).toBe('3');
    await expect(undoOn(original, 'alice')).rejects.toThrow('nothing to undo');
  });

  it('merge joins two clusters, unblocking their pairs; undo restores both', async () => {
    const original = (await clusterOf('a3'))!;
    const { newClusterId } = await actions.split(original, 'a3', 'alice');
    const before = await redis.hgetall(ctx.keys.cluster(newClusterId!));
    await actions.merge(original, newClusterId!, 'alice');
    expect(await clusterOf('a3')).toBe(original);
    expect(await redis.exists(ctx.keys.cluster(newClusterId!))).toBe(0);
    expect(await redis.smembers(ctx.keys.blockedPairs)).toEqual([]);
    expect((await events()).at(-1)).toMatchObject({
      type: 'cluster.merged',
      clusterId: original,
      mergedFrom: newClusterId,
    });

    await undoOn(original, 'alice');
    expect(await clusterOf('a3')).toBe(newClusterId);
    const restored = await redis.hgetall(ctx.keys.cluster(newClusterId!));
    expect(restored).toMatchObject({
      id: before.id,
      seq: before.seq,
      createdAt: before.createdAt,
      size: '1',
    });
    expect((await redis.smembers(ctx.keys.blockedPairs)).sort()).toEqual(['a1|a3', 'a2|a3']);
  });

  it("merging into a cluster keeps that cluster's headline; undo lets the policy choose again", async () => {
    const original = (await clusterOf('a1'))!;
    expect(await redis.hget(ctx.keys.cluster(original), 'representative')).toBe('a1');
    const { newClusterId } = await actions.split(original, 'a1', 'alice');
    const kept = (await redis.hget(ctx.keys.cluster(original), 'representative'))!;
    expect(kept).not.toBe('a1');
    // a1, the earliest agency copy, would represent the merged cluster by policy
    await actions.merge(original, newClusterId!, 'alice');
    expect(await redis.hmget(ctx.keys.cluster(original), 'representative', 'editorRepresentative')).toEqual([
      kept,
      kept,
    ]);
    await undoOn(original, 'alice');
    expect(await redis.hget(ctx.keys.cluster(original), 'editorRepresentative')).toBeNull();
    expect(await redis.hget(ctx.keys.cluster(original), 'representative')).toBe(kept);
    expect(await clusterOf('a1')).toBe(newClusterId);
  });

  it('set representative and mark reviewed, each undoable', async () => {
    const c = (await clusterOf('a1'))!;
    expect(await redis.hget(ctx.keys.cluster(c), 'representative')).toBe('a1');
    await actions.setRepresentative(c, 'a2', 'alice');
    expect(await redis.hmget(ctx.keys.cluster(c), 'representative', 'editorRepresentative')).toEqual([
      'a2',
      'a2',
    ]);
    await actions.markReviewed(c, 'alice');
    expect(await redis.hget(ctx.keys.cluster(c), 'reviewedBy')).toBe('alice');
    await undoOn(c, 'alice');
    expect(await redis.hget(ctx.keys.cluster(c), 'reviewedAt')).toBeNull();
    await undoOn(c, 'alice');
    expect(await redis.hmget(ctx.keys.cluster(c), 'representative', 'editorRepresentative')).toEqual([
      'a1',
      null,
    ]);
    const types = (await events()).map((e) => e.type).slice(-4);
    expect(types).toEqual(['cluster.representative', 'cluster.reviewed', 'review.undone', 'review.undone']);
  });

  it('refuses bad requests with clear errors and changes nothing', async () => {
    const c = (await clusterOf('a1'))!;
    await expect(actions.split('c999', 'a1', 'alice')).rejects.toThrow('cluster c999 not found');
    await expect(actions.split(c, 'zz', 'alice')).rejects.toThrow('article zz is not in cluster');
    await expect(actions.merge(c, c, 'alice')).rejects.toThrow('into itself');
    expect(await redis.zcard(ctx.keys.clusterMembers(c))).toBe(3);
    expect(await redis.llen(ctx.keys.reviewUndo)).toBe(0);
  });

  it('an undo whose clusters changed since is refused', async () => {
    const original = (await clusterOf('a3'))!;
    const { newClusterId } = await actions.split(original, 'a3', 'alice');
    // a dedup worker (or another editor) merges the new cluster away
    await actions.merge(original, newClusterId!, 'bob');
    await redis.lpop(ctx.keys.reviewUndo); // forget the merge, so the split is "last"
    await expect(undoOn(original, 'alice')).rejects.toThrow(`cluster ${newClusterId} not found`);
  });

  it('undo belongs to the cluster and the editor: another cluster or editor is never undone', async () => {
    const budget = (await clusterOf('a1'))!;
    await seedArticles(ctx, [
      {
        id: 'g1',
        outlet: 'Le Courrier',
        title: 'Grève dans l’Ouest',
        body: 'RENNES (AFP) - Les contrôleurs ont entamé lundi une grève reconductible sur les lignes régionales de l’Ouest. '.repeat(
          4,
        ),
        publishedAt: '2026-03-02T09:00:00.000Z',
      },
    ]);
    const strike = (await clusterOf('g1'))!;
    expect(strike).not.toBe(budget);
    await actions.markReviewed(budget, 'alice');
    // bob's cluster has no action of its own: nothing to offer, nothing to undo there
    expect(await actions.lastActionOn(strike)).toBeNull();
    await expect(undoOn(strike, 'bob')).rejects.toThrow(`nothing to undo on cluster ${strike}`);
    expect(await redis.hget(ctx.keys.cluster(budget), 'reviewedBy')).toBe('alice');

    await actions.markReviewed(strike, 'bob');
    const alices = (await actions.lastActionOn(budget))!;
    expect(alices).toMatchObject({ action: 'reviewed', editor: 'alice' });
    // bob cannot undo alice's action, even with its nonce
    await expect(actions.undo(budget, alices.nonce, 'bob')).rejects.toThrow('only alice can undo');
    // an undo button shown before a newer action on the same cluster undoes nothing
    await actions.setRepresentative(budget, 'a2', 'alice');
    await expect(actions.undo(budget, alices.nonce, 'alice')).rejects.toThrow('changed since this page');
    expect(await redis.hget(ctx.keys.cluster(budget), 'editorRepresentative')).toBe('a2');

    // bob's undo on his cluster leaves alice's clusters as they are
    await undoOn(strike, 'bob');
    expect(await redis.hget(ctx.keys.cluster(strike), 'reviewedAt')).toBeNull();
    expect(await redis.hget(ctx.keys.cluster(budget), 'reviewedBy')).toBe('alice');
    expect(await redis.hget(ctx.keys.cluster(budget), 'editorRepresentative')).toBe('a2');
    // and alice undoes hers newest first, older actions elsewhere in the list notwithstanding
    await undoOn(budget, 'alice');
    expect(await redis.hget(ctx.keys.cluster(budget), 'editorRepresentative')).toBeNull();
    await undoOn(budget, 'alice');
    expect(await redis.hget(ctx.keys.cluster(budget), 'reviewedAt')).toBeNull();
  });

  it('a split is not undone once its new cluster changed by a later action', async () => {
    const original = (await clusterOf('a3'))!;
    const { newClusterId } = await actions.split(original, 'a3', 'alice');
    await actions.markReviewed(newClusterId!, 'alice');
    // the original's page still shows the split as its newest action...
    expect((await actions.lastActionOn(original))?.action).toBe('split');
    // ...but undoing it would clobber the review mark on the new cluster
    await expect(undoOn(original, 'alice')).rejects.toThrow(
      `a later reviewed by alice changed cluster ${newClusterId}; undo that first`,
    );
    expect(await clusterOf('a3')).toBe(newClusterId);
    await undoOn(newClusterId!, 'alice');
    await undoOn(original, 'alice');
    expect(await clusterOf('a3')).toBe(original);
  });
});

function chunk(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
