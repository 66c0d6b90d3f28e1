import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { articleJobId } from '../queues/job-ids.js';
import type { ArticleJob, DedupJob } from '../queues/jobs.js';
import { articleBodiesExist } from '../store/articles.js';
import { forEachKeyBatch } from '../store/key-scan.js';
import type { Keys } from '../store/keys.js';
import type { ThreadIndex } from '../store/thread-index.js';

/** What reconcile reads and re-enqueues through: a process's store, queues and thread index. */
export type ReconcileDeps = {
  config: Pick<Config, 'dedup'>;
  redis: Redis;
  keys: Keys;
  queues: { articles: Queue<ArticleJob>; dedup: Queue<DedupJob> };
  threadIndex: ThreadIndex | null;
};

export type ReconcileReport = {
  /** URL index entries read (URLs some feed listed). */
  seenUrls: number;
  /** Article records read: those first seen inside the dedup window (dedup.windowHours). */
  articles: number;
  /** Seen URLs with no stored article and no job on its way. */
  missingArticle: number;
  /** Articles stored `ok` with no cluster and no dedup job on its way. */
  missingCluster: number;
  /** Of those, articles whose body has expired: they cannot be clustered any more. */
  bodyExpired: number;
  /** Skipped: their job is waiting, delayed or running. */
  inFlight: number;
  reenqueued: { articles: number; dedup: number };
  /** Clusters changed inside the dedup window whose thread step never committed (its job failed for good): run now. */
  rethreaded: number;
  /** Article jobs rebuilt from the URL alone because no job (so no feed item) was left to copy. */
  rebuilt: number;
  dryRun: boolean;
};

const IN_FLIGHT = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** SCAN patterns are globs: a prefix holding `*`, `?`, `[` or `\` must not widen the match. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Puts `data` back on `queue` under `jobId` unless a job with that id is on
 * its way. A finished (failed, or completed yet without its result) job of
 * that id would make the add a no-op, so it is removed first; its own data
 * wins over `fallback`, which is only built when no job is left.
 */
async function requeue<T>(
  queue: Queue<T>,
  jobId: string,
  stillMissing: () => Promise<boolean>,
  fallback: () => T,
  dryRun: boolean,
): Promise<'in-flight' | 'done' | 'requeued' | 'rebuilt'> {
  const state = await queue.getJobState(jobId);
  if (IN_FLIGHT.has(state)) return 'in-flight';
  // A job writes its result before it completes: read after its state, the result is seen if it
  // finished since the scan read (beside running workers, that race is every other minute).
  if (!(await stillMissing())) return 'done';
  const old = state === 'unknown' ? undefined : ((await queue.getJob(jobId)) as Job<T> | undefined);
  const data = old?.data ?? fallback();
  if (!dryRun) {
    await old?.remove();
    // Same id: a second reconciler, or the feed's next poll, adding it too is a no-op.
    await (queue as Queue).add(queue.name, data, { jobId });
  }
  return old ? 'requeued' : 'rebuilt';
}

/**
 * Finds work that was taken in but never finished — a URL marked seen with
 * no article stored, an article stored `ok` with no cluster — and queues it
 * again with the same job ids. After a Redis outage or memory-full period
 * (jobs that failed for good, a crash between writes) this is what makes
 * "nothing lost" true; it is idempotent, cheap when nothing is missing (one
 * SCAN for the URL index, whose keys expire with the bodies, and the articles
 * of the dedup window, with pipelined reads), and safe beside running workers
 * (jobs on their way are left alone).
 */
export async function reconcile(
  ctx: ReconcileDeps,
  opts: { dryRun?: boolean } = {},
): Promise<ReconcileReport> {
  const dryRun = Boolean(opts.dryRun);
  const { redis, keys, queues } = ctx;
  const report: ReconcileReport = {
    seenUrls: 0,
    articles: 0,
    missingArticle: 0,
    missingCluster: 0,
    bodyExpired: 0,
    inFlight: 0,
    reenqueued: { articles: 0, dedup: 0 },
    rethreaded: 0,
    rebuilt: 0,
    dryRun,
  };
  const urlKeyPrefix = keys.urlIndex('');
  await forEachKeyBatch(redis, `${globEscape(urlKeyPrefix)}*`, async (urlKeys) => {
    report.seenUrls += urlKeys.length;
    const pipe = redis.pipeline();
    for (const k of urlKeys) {
      pipe.get(k);
      pipe.exists(keys.article(k.slice(urlKeyPrefix.length)));
    }
    const res = (await pipe.exec()) ?? [];
    for (let i = 0; i < urlKeys.length; i++) {
      const [, canonicalUrl] = res[2 * i] ?? [];
      const [, stored] = res[2 * i + 1] ?? [];
      if (stored || typeof canonicalUrl !== 'string') continue;
      const articleId = urlKeys[i]!.slice(urlKeyPrefix.length);
      const outcome = await requeue<ArticleJob>(
        queues.articles,
        articleJobId(articleId),
        async () => !(await redis.exists(keys.article(articleId))),
        () => rebuiltArticleJob(articleId, canonicalUrl),
        dryRun,
      );
      if (outcome === 'done') continue;
      if (outcome === 'in-flight') {
        report.inFlight++;
        continue;
      }
      report.missingArticle++;
      report.reenqueued.articles += dryRun ? 0 : 1;
      if (outcome === 'rebuilt') report.rebuilt++;
    }
  });
  // Only articles inside the dedup window: older ones no longer join anything, and the
  // articles set keeps every article ever stored. New ones score highest, so ranks from the
  // window's start stay put while the scan walks them.
  const since = Date.now() - ctx.config.dedup.windowHours * 3600 * 1000;
  const BATCH = 1000;
  for (let rank = await redis.zcount(keys.articlesByTime, '-inf', `(${since}`); ; rank += BATCH) {
    const ids = await redis.zrange(keys.articlesByTime, rank, rank + BATCH - 1);
    if (!ids.length) break;
    report.articles += ids.length;
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hmget(keys.article(id), 'status', 'cluster');
    const [res, hasBody] = await Promise.all([pipe.exec(), articleBodiesExist(redis, keys, ids)]);
    for (let i = 0; i < ids.length; i++) {
      const [status, cluster] = (res?.[i]?.[1] as Array<string | null> | undefined) ?? [];
      if (status !== 'ok' || cluster) continue;
      const id = ids[i]!;
      const outcome = hasBody[i]
        ? await requeue<DedupJob>(
            queues.dedup,
            articleJobId(id),
            async () => !(await redis.hget(keys.article(id), 'cluster')),
            () => ({ articleId: id }),
            dryRun,
          )
        : 'expired';
      if (outcome === 'done') continue;
      if (outcome === 'in-flight') {
        report.inFlight++;
        continue;
      }
      report.missingCluster++;
      if (outcome === 'expired') report.bodyExpired++;
      else if (!dryRun) report.reenqueued.dedup++;
    }
  }
  if (ctx.threadIndex) report.rethreaded = await rethreadUnplaced(ctx, since, dryRun);
  return report;
}

/**
 * Clusters changed since `since` that have no story yet: their thread step
 * never committed. It is run here, in place (it is derived from the clusters
 * and safe beside the workers' own steps).
 */
async function rethreadUnplaced(ctx: ReconcileDeps, since: number, dryRun: boolean): Promise<number> {
  const { redis, keys } = ctx;
  const ids = await redis.zrangebyscore(keys.clustersByUpdate, since, '+inf');
  let done = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const pipe = redis.pipeline();
    for (const id of batch) pipe.exists(keys.story(id));
    const res = (await pipe.exec()) ?? [];
    for (let j = 0; j < batch.length; j++) {
      if (res[j]?.[1]) continue;
      done++;
      if (!dryRun) await ctx.threadIndex!.update(batch[j]!);
    }
  }
  return done;
}

/** Work still missing after a reconcile: what `run --once` reports and exits non-zero on. */
export function unfinished(report: ReconcileReport): number {
  return report.missingArticle + report.missingCluster - report.bodyExpired;
}

/**
 * An article job from the URL alone, for the rare URL whose job is gone
 * (trimmed from the failed list, removed by hand): the page is fetched as
 * usual; outlet is the host and the feed is unknown, since only the feed
 * item knew them.
 */
function rebuiltArticleJob(articleId: string, canonicalUrl: string): ArticleJob {
  return {
    articleId,
    url: canonicalUrl,
    canonicalUrl,
    feedId: '',
    feedUrl: '',
    outlet: URL.canParse(canonicalUrl) ? new URL(canonicalUrl).hostname : '',
    item: { title: '', published: null, contentHtml: null, summary: null, author: null },
  };
}
