import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { MinHasher } from '../dedup/minhash.js';
import type { Logger } from '../log.js';
import type { RedisHealth } from '../ops/redis-health.js';
import type { Queues } from '../queues/queues.js';
import type { ClusterIndex } from '../store/cluster-index.js';
import type { Keys } from '../store/keys.js';
import type { ThreadIndex } from '../store/thread-index.js';

/**
 * The pipeline's side of the WebSub callback (pipeline/websub-subscriptions.ts),
 * handed to the routes so the web room does not start feed work itself.
 */
export type WebSubReceiver = {
  /** The hub's challenge to echo, or null when we hold no such subscription. */
  verifyIntent(feedId: string, query: Record<string, unknown>): Promise<string | null>;
  /** Checks, parses and enqueues pushed content; `unknown` when we hold no such subscription. */
  receivePush(
    feedId: string,
    body: Buffer,
    contentType: string | undefined,
    signature: string | undefined,
  ): Promise<{ kind: string }>;
};

/** What the web server is handed (src/app/context.ts builds it): no fetching, no feed parsing. */
export type WebContext = {
  config: Config;
  log: Logger;
  keys: Keys;
  redis: Redis;
  queues: Queues;
  redisHealth: RedisHealth;
  /** Merge candidates on the review page are the cluster index's own candidates. */
  clusterIndex: ClusterIndex;
  hasher: MinHasher;
  threadIndex: ThreadIndex | null;
  websub: WebSubReceiver;
};
