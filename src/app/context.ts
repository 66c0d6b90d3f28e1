import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { placementFor } from '../dedup/cluster-policy.js';
import { DEFAULT_CLUSTERING, DEFAULT_SEED } from '../dedup/defaults.js';
import { optimalLshParams } from '../dedup/lsh-params.js';
import { MinHasher } from '../dedup/minhash.js';
import type { DedupPolicy } from '../dedup/policy.js';
import { INDEX_SKETCH } from '../dedup/sketch.js';
import { FeedParsePool, parseLimitsFrom } from '../feeds/parse-pool.js';
import type { WebContext } from '../http/web-context.js';
import type { Logger } from '../log.js';
import type { FetchOptions } from '../net/fetch.js';
import { createNetGate } from '../net/polite-fetch.js';
import { RedisHealth } from '../ops/redis-health.js';
import type { PipelineContext } from '../pipeline/context.js';
import { enqueueFeedItems } from '../pipeline/poll-feed.js';
import { receivePush, verifyIntent } from '../pipeline/websub-subscriptions.js';
import { createQueues } from '../queues/queues.js';
import { ClusterIndex } from '../store/cluster-index.js';
import { ExpiringMemo } from '../store/expiring-memo.js';
import { type Keys, keysForRedis } from '../store/keys.js';
import { connectRedis } from '../store/redis-client.js';
import { ThreadIndex } from '../store/thread-index.js';
import { storyProfile } from '../threads/story-profile.js';
import { DEFAULT_THREAD_POLICY, placeThreads } from '../threads/thread-policy.js';

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

/** One process's context: what the job handlers are handed, and what the web server is. */
export type AppContext = PipelineContext & WebContext;

export function createContext(config: Config, log: Logger): AppContext {
  const redis = connectRedis(config.redis, 'store');
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
  const queueConnection = connectRedis(config.redis, 'queues');
  queueConnection.on('error', onError('queues'));
  const queues = createQueues(queueConnection, config);
  // A Queue without an 'error' listener prints each error's raw stack with console.error.
  for (const q of queues.all) q.on('error', onError(`queue:${q.name}`));
  const { bands, rows } = optimalLshParams(config.dedup.candidateThreshold, config.dedup.numPerm);
  const clusterIndex = new ClusterIndex(redis, keys, {
    bands,
    rows,
    readThreadSource: config.threads.enabled,
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
  const ctx: PipelineContext = {
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
  return {
    ...ctx,
    websub: {
      verifyIntent: (feedId, query) => verifyIntent(ctx, feedId, query),
      receivePush: (feedId, body, contentType, signature) =>
        receivePush(ctx, feedId, body, contentType, signature, (job, feed) =>
          enqueueFeedItems(ctx, job, feed),
        ),
    },
  };
}
