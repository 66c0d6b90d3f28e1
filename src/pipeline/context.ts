import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { placementFor } from '../dedup/cluster-policy.js';
import { DEFAULT_CLUSTERING } from '../dedup/defaults.js';
import { optimalLshParams } from '../dedup/lsh-params.js';
import { MinHasher } from '../dedup/minhash.js';
import type { DedupPolicy } from '../dedup/policy.js';
import type { Logger } from '../log.js';
import type { FetchOptions } from '../net/fetch.js';
import { createNetGate, type NetGate } from '../net/polite-fetch.js';
import { createQueues, type Queues } from '../queues/queues.js';
import { ClusterIndex } from '../store/cluster-index.js';
import { ExpiringMemo } from '../store/expiring-memo.js';
import { type Keys, keysFor } from '../store/keys.js';

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
  /** Each domain's learned boilerplate lines, briefly, so pages of one site share one Redis read. */
  learnedLines: ExpiringMemo<string[]>;
  close(): Promise<void>;
};

export function connectRedis(config: Config, name: string): Redis {
  // BullMQ needs maxRetriesPerRequest null on the connections it blocks on.
  return new Redis(config.redis.url, {
    maxRetriesPerRequest: null,
    connectionName: `wiresift:${name}`,
    lazyConnect: false,
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

export function createContext(config: Config, log: Logger): PipelineContext {
  const redis = connectRedis(config, 'store');
  redis.on('error', (err) => log.error({ err: err.message }, 'redis connection error'));
  const keys = keysFor(config.redis.prefix);
  const queues = createQueues(redis, config);
  const { bands, rows } = optimalLshParams(config.dedup.candidateThreshold, config.dedup.numPerm);
  const clusterIndex = new ClusterIndex(redis, keys, {
    bands,
    rows,
    place: placementFor(dedupPolicyFrom(config)),
    eventsMaxLen: config.events.maxLen,
    shards: config.dedup.lshShards,
  });
  const fetchOptions = fetchOptionsFrom(config);
  return {
    config,
    log,
    keys,
    redis,
    queues,
    fetchOptions,
    gate: createNetGate(redis, keys, fetchOptions, config.net),
    hasher: new MinHasher({ numPerm: config.dedup.numPerm, seed: 1 }),
    clusterIndex,
    learnedLines: new ExpiringMemo(config.extract.learnedBoilerplate.memoSeconds * 1000),
    close: async () => {
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
