import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { ArticleJob, DedupJob, FeedJob, WebhookJob } from './jobs.js';
import { bullPrefix, QUEUE_NAMES, type QueueName } from './names.js';

export type Queues = {
  feeds: Queue<FeedJob>;
  articles: Queue<ArticleJob>;
  dedup: Queue<DedupJob>;
  /** Webhook deliveries (their own attempts and backoff: webhooks.*). */
  webhooks: Queue<WebhookJob>;
  all: Queue[];
  close(): Promise<void>;
};

/** Retries back off exponentially; finished jobs are kept, bounded, for the dashboard. */
export function defaultJobOptions(config: Config): JobsOptions {
  return {
    attempts: config.queues.attempts,
    backoff: { type: 'exponential', delay: config.queues.backoffMs },
    removeOnComplete: { count: config.queues.keepCompleted },
    removeOnFail: { count: config.queues.keepFailed },
  };
}

export function createQueues(connection: Redis, config: Config): Queues {
  const make = <T>(name: QueueName) =>
    new Queue<T>(name, {
      connection,
      prefix: bullPrefix(config.redis, name),
      defaultJobOptions: defaultJobOptions(config),
    });
  const feeds = make<FeedJob>(QUEUE_NAMES.feeds);
  const articles = make<ArticleJob>(QUEUE_NAMES.articles);
  const dedup = make<DedupJob>(QUEUE_NAMES.dedup);
  const webhooks = new Queue<WebhookJob>(QUEUE_NAMES.webhooks, {
    connection,
    prefix: bullPrefix(config.redis, QUEUE_NAMES.webhooks),
    defaultJobOptions: {
      ...defaultJobOptions(config),
      attempts: config.webhooks.attempts,
      backoff: { type: 'exponential', delay: config.webhooks.backoffMs },
    },
  });
  const all = [feeds, articles, dedup, webhooks] as Queue[];
  return {
    feeds,
    articles,
    dedup,
    webhooks,
    all,
    close: async () => {
      await Promise.all(all.map((q) => q.close()));
    },
  };
}

/**
 * Jobs not yet finished, across every queue: 0 means the pipeline is drained.
 * A running daemon's job schedulers (same prefix) always keep one delayed
 * "next poll" per feed in the feeds queue; those are not pending work, or
 * `run --once` beside a daemon would never end.
 */
export async function pendingJobs(queues: Queues): Promise<number> {
  // Webhook deliveries are not pipeline work: a dead endpoint's retries must not hold `run --once`.
  const pipeline = [queues.feeds, queues.articles, queues.dedup] as Queue[];
  const counts = await Promise.all(
    pipeline.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')),
  );
  const total = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
  if (!counts[0]?.delayed) return total;
  const delayed = await queues.feeds.getDelayed(0, -1);
  return total - delayed.filter((j) => j?.repeatJobKey).length;
}
