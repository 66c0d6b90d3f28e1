import type { Queue } from 'bullmq';
import type { FeedJob } from '../queues/jobs.js';
import type { RegisteredFeed } from './feed-registry.js';

/** A poll job's data: what the feeds worker needs of the feed, its settings included. */
function pollData(f: RegisteredFeed): FeedJob {
  return {
    feedId: f.feedId,
    url: f.url,
    ...(f.name ? { name: f.name } : {}),
    ...(f.settings ? { settings: f.settings } : {}),
  };
}

/**
 * One BullMQ job scheduler per feed, keyed by feed id: upserting is idempotent,
 * so every scheduler replica may run this; schedulers of feeds no longer
 * listed are removed.
 */
export async function syncFeedSchedules(
  queue: Queue<FeedJob>,
  feeds: RegisteredFeed[],
): Promise<{ upserted: number; removed: number }> {
  const wanted = new Set(feeds.map((f) => f.feedId));
  for (const f of feeds) {
    await queue.upsertJobScheduler(
      f.feedId,
      { every: f.intervalSeconds * 1000 },
      { name: 'poll', data: pollData(f) },
    );
  }
  let removed = 0;
  const existing = await queue.getJobSchedulers(0, -1);
  for (const s of existing) {
    const id = s.key ?? s.id;
    if (id && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed++;
    }
  }
  return { upserted: feeds.length, removed };
}

/**
 * Poll every feed once now (`run --once`), backoff or not: a one-shot run is a
 * human asking. The job id makes a second call a no-op while the first is pending.
 */
export async function enqueueFeedsOnce(
  queue: Queue<FeedJob>,
  feeds: RegisteredFeed[],
  runId: string,
): Promise<void> {
  await queue.addBulk(
    feeds.map((f) => ({
      name: 'poll',
      data: { ...pollData(f), force: true },
      opts: { jobId: `once-${runId}-${f.feedId}` },
    })),
  );
}
