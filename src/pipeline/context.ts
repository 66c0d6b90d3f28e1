import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { MinHasher } from '../dedup/minhash.js';
import type { FeedParsePool } from '../feeds/parse-pool.js';
import type { Logger } from '../log.js';
import type { FetchOptions } from '../net/fetch.js';
import type { NetGate } from '../net/polite-fetch.js';
import type { RedisHealth } from '../ops/redis-health.js';
import type { Queues } from '../queues/queues.js';
import type { ClusterIndex } from '../store/cluster-index.js';
import type { ExpiringMemo } from '../store/expiring-memo.js';
import type { Keys } from '../store/keys.js';
import type { ThreadIndex } from '../store/thread-index.js';

/** Everything a job handler needs, built once per process by src/app/context.ts. */
export type PipelineContext = {
  config: Config;
  log: Logger;
  keys: Keys;
  /** For our own reads and writes (BullMQ workers get their own connections). */
  redis: Redis;
  queues: Queues;
  fetchOptions: FetchOptions;
  /** Per-host politeness and robots.txt, shared through Redis by every replica. */
  gate: NetGate;
  hasher: MinHasher;
  clusterIndex: ClusterIndex;
  /** Story threads over the clusters, or null when threads.enabled is false. */
  threadIndex: ThreadIndex | null;
  /** Each domain's learned boilerplate lines, briefly, so pages of one site share one Redis read. */
  learnedLines: ExpiringMemo<string[]>;
  /** Worker threads every feed is parsed on, within feedLimits. */
  feedParser: FeedParsePool;
  /** Redis outages and refusals seen by this process, logged once per change of state. */
  redisHealth: RedisHealth;
  close(): Promise<void>;
};
