import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeInfraCause, infraCause } from '../infra-errors/infra-errors.js';
import type { Queues } from '../queues/queues.js';
import type { RedisHealth } from './redis-health.js';
import { checkEvictionPolicy } from './redis-startup.js';

/** The queue workers this process runs, for /readyz. */
const workers = new Set<Worker>();

export function trackWorker(worker: Worker): () => void {
  workers.add(worker);
  return () => workers.delete(worker);
}

export type Readiness = {
  ok: boolean;
  redis: 'up' | 'down';
  reasons: string[];
  workers: Record<string, boolean>;
  lagSeconds: Record<string, number>;
};

/** Seconds the oldest waiting job of a queue has waited (0 when none waits). */
export async function oldestWaitSeconds(
  redis: Redis,
  queueKeyPrefix: string,
  now = Date.now(),
): Promise<number> {
  // BullMQ pushes on the left and takes from the right: the right end is the oldest.
  const id = await redis.lindex(`${queueKeyPrefix}:wait`, -1);
  if (!id) return 0;
  const [timestamp, delay] = await redis.hmget(`${queueKeyPrefix}:${id}`, 'timestamp', 'delay');
  const readyAt = Number(timestamp ?? now) + Number(delay ?? 0);
  return Math.max(0, (now - readyAt) / 1000);
}

export type ReadinessOptions = {
  /** This process's view of Redis faults (an OOM episode its jobs are waiting out). */
  health?: RedisHealth;
  /** A key to SET with a short PX: PING answers under OOM, MISCONF and READONLY; a write does not. */
  writeProbeKey?: string;
  /** Why the connection is down, when it is (its last error event). */
  lastConnectionError?: () => string;
};

function redisReason(err: unknown): string {
  const cause = infraCause(err);
  return cause ? describeInfraCause(cause) : `redis: ${(err as Error).message}`;
}

/**
 * Ready means this process can do its work now: Redis answers, takes writes
 * and keeps every key (noeviction), its workers are running, and the queues
 * they serve are not lagging past the bound. Give it a connection without an
 * offline queue (connectProbeRedis): while Redis is away the answer is then
 * immediate, with the connection's last error as the reason.
 */
export async function checkReadiness(
  redis: Redis,
  queues: Queues,
  maxLagSeconds: number,
  opts: ReadinessOptions = {},
): Promise<Readiness> {
  const result: Readiness = { ok: true, redis: 'up', reasons: [], workers: {}, lagSeconds: {} };
  if (redis.status !== 'ready' && opts.lastConnectionError) {
    result.redis = 'down';
    result.reasons.push(`redis: unreachable (${opts.lastConnectionError() || `connection ${redis.status}`})`);
  } else
    try {
      await redis.ping();
      if (opts.writeProbeKey) await redis.set(opts.writeProbeKey, String(process.pid), 'PX', 10_000);
      const policy = await checkEvictionPolicy(redis);
      if (!policy.ok) result.reasons.push(policy.reason);
    } catch (err) {
      result.redis = 'down';
      result.reasons.push(redisReason(err));
    }
  const health = opts.health?.state();
  if (health && !health.ok && result.redis === 'up')
    result.reasons.push(`${health.reason}, since ${new Date(health.sinceMs).toISOString()} (jobs waiting)`);
  for (const w of workers) {
    result.workers[w.name] = w.isRunning();
    if (!w.isRunning()) result.reasons.push(`worker ${w.name} is not running`);
  }
  if (result.redis === 'up') {
    try {
      for (const q of queues.all) {
        // A slow webhook receiver delays deliveries, not this replica's pipeline work.
        if (!(q.name in result.workers) || q === queues.webhooks) continue;
        const lag = await oldestWaitSeconds(redis, q.qualifiedName);
        result.lagSeconds[q.name] = Math.round(lag);
        if (lag > maxLagSeconds)
          result.reasons.push(`queue ${q.name} lags ${Math.round(lag)} s (bound ${maxLagSeconds} s)`);
      }
    } catch (err) {
      result.redis = 'down';
      result.reasons.push(redisReason(err));
    }
  }
  result.ok = result.reasons.length === 0;
  return result;
}
