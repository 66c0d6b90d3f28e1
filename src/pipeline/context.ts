import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { placementFor } from '../dedup/cluster-policy.js';
import { DEFAULT_CLUSTERING, DEFAULT_SEED } from '../dedup/defaults.js';
import { optimalLshParams } from '../dedup/lsh-params.js';
import { MinHasher } from '../dedup/minhash.js';
import type { DedupPolicy } from '../dedup/policy.js';
import { INDEX_SKETCH } from '../dedup/sketch.js';
import { FeedParsePool, parseLimitsFrom } from '../feeds/parse-pool.js';
import type { Logger } from '../log.js';
import type { FetchOptions } from '../net/fetch.js';
import { createNetGate, type NetGate } from '../net/polite-fetch.js';
import { RedisHealth } from '../ops/redis-health.js';
import { createQueues, type Queues } from '../queues/queues.js';
import { ClusterIndex } from '../store/cluster-index.js';
import { ExpiringMemo } from '../store/expiring-memo.js';
import { type Keys, keysForRedis } from '../store/keys.js';
import { openRedis } from '../store/redis-client.js';
import { ThreadIndex } from '../store/thread-index.js';
import { storyProfile } from '../threads/story-profile.js';
import { DEFAULT_THREAD_POLICY, placeThreads } from '../threads/thread-policy.js';

/** Everything a job handler needs, built once per process from the config. */
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

export function connectRedis(config: Config, name: string): Redis {
  // BullMQ needs maxRetriesPerRequest null on the connections it blocks on.
  return openRedis(config.redis, {
    maxRetriesPerRequest: null,
    connectionName: `wiresift:${name}`,
    lazyConnect: false,
  });
}

/**
 * A connection for probes (/readyz, /metrics) that fails at once instead of
 * queueing: the pipeline's connections wait out an outage (offline queue,
 * unlimited retries), which made those routes hang while Redis was down.
 */
export function connectProbeRedis(config: Config, name: string, timeoutMs = 800): Redis {
  return openRedis(config.redis, {
    connectionName: `wiresift:${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs, 1000),
  });
}

/** True once `redis` is ready; waits up to `ms` while it is (re)connecting, false after. */
export function readyWithin(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  if (redis.status === 'end' || redis.status === 'close') return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    redis.once('ready', onReady);
  });
}

export function fetchOptionsFrom(config: Config): FetchOptions {
  return {
    timeoutMs: config.net.timeoutMs,
    maxBytes: config.net.maxBodyBytes,
    maxRedirects: config.net.maxRedirects,
    userAgent: config.net.userAgent,
    policy: { allowPrivateNetworks: config.net.allowPrivateNetworks, allowHosts: config.net.allowHosts },
  };
}

export function dedupPolicyFrom(config: Config): DedupPolicy {
  const d = config.dedup;
  return {
    jaccardThreshold: d.jaccardThreshold,
    containmentThreshold: d.containmentThreshold,
    minTokensForContainment: d.minTokensForContainment,
    candidateThreshold: d.candidateThreshold,
    ...DEFAULT_CLUSTERING,
    ...d.clustering,
  };
}

export function threadIndexFor(redis: Redis, keys: Keys, config: Config): ThreadIndex {
  const windowHours = config.threads.windowDays * 24;
  const policy = { ...DEFAULT_THREAD_POLICY, windowHours };
  return new ThreadIndex(redis, keys, {
    place: (nodes, constraints) => placeThreads(nodes, constraints, policy),
    profileOf: storyProfile,
    windowHours,
    eventsMaxLen: config.events.maxLen,
  });
}

export function createContext(config: Config, log: Logger): PipelineContext {
  const redis = connectRedis(config, 'store');
  const keys = keysForRedis(config.redis);
  const redisHealth = new RedisHealth({
    probe: () => redis.set(keys.writeProbe, String(process.pid), 'PX', 10_000),
    log,
    retryMinMs: config.ops.redisRetryMinMs,
    retryMaxMs: config.ops.redisRetryMaxMs,
  });
  // Every reconnect attempt emits an error: the health logs the outage once, not each attempt.
  const onError = (source: string) => (err: Error) => {
    if (!redisHealth.report(err, source)) log.error({ source, err: err.message }, 'redis error');
  };
  redis.on('error', onError('store'));
  // BullMQ defines its ~60 scripts on the connection its queues use, and ioredis copies every
  // script of a connection into each pipeline or MULTI made on it (~80 µs each): ours stay apart.
  const queueConnection = connectRedis(config, 'queues');
  queueConnection.on('error', onError('queues'));
  const queues = createQueues(queueConnection, config);
  // A Queue without an 'error' listener prints each error's raw stack with console.error.
  for (const q of queues.all) q.on('error', onError(`queue:${q.name}`));
  const { bands, rows } = optimalLshParams(config.dedup.candidateThreshold, config.dedup.numPerm);
  const clusterIndex = new ClusterIndex(redis, keys, {
    bands,
    rows,
    format: INDEX_SKETCH,
    place: placementFor(dedupPolicyFrom(config)),
    eventsMaxLen: config.events.maxLen,
    retainSeconds: config.articles.retainDays * 86_400,
  });
  const fetchOptions = fetchOptionsFrom(config);
  const threadIndex = config.threads.enabled ? threadIndexFor(redis, keys, config) : null;
  const feedParser = new FeedParsePool(parseLimitsFrom(config));
  const gate = createNetGate(
    redis,
    keys,
    fetchOptions,
    config.net,
    new ExpiringMemo(config.net.robots.memoSeconds * 1000),
  );
  return {
    config,
    log,
    keys,
    redis,
    queues,
    fetchOptions,
    gate,
    hasher: new MinHasher({ numPerm: config.dedup.numPerm, seed: DEFAULT_SEED }),
    clusterIndex,
    threadIndex,
    learnedLines: new ExpiringMemo(config.extract.learnedBoilerplate.memoSeconds * 1000),
    feedParser,
    redisHealth,
    close: async () => {
      redisHealth.close();
      await feedParser.close();
      await queues.close();
      await queueConnection.quit().catch(() => queueConnection.disconnect());
      // Releases still batched would hold their hosts' slots until the lease expires.
      await gate.politeness.flush();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
