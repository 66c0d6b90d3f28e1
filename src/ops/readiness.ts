import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Queues } from '../queues/queues.js';
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

/**
 * Ready means this process can do its work now: Redis answers and keeps every
 * key (noeviction), its workers are running, and the queues they serve are
 * not lagging past the bound.
 */
export async function checkReadiness(
  redis: Redis,
  queues: Queues,
  maxLagSeconds: number,
): Promise<Readiness> {
  const result: Readiness = { ok: true, redis: 'up', reasons: [], workers: {}, lagSeconds: {} };
  try {
    await redis.ping();
    const policy = await checkEvictionPolicy(redis);
    if (!policy.ok) result.reasons.push(policy.reason);
  } catch (err) {
    result.redis = 'down';
    result.reasons.push(`redis: ${(err as Error).message}`);
  }
  for (const w of workers) {
    result.workers[w.name] = w.isRunning();
    if (!w.isRunning()) result.reasons.push(`worker ${w.name} is not running`);
  }
  if (result.redis === 'up') {
    for (const q of queues.all) {
      if (!(q.name in result.workers)) continue;
      const lag = await oldestWaitSeconds(redis, q.qualifiedName);
      result.lagSeconds[q.name] = Math.round(lag);
      if (lag > maxLagSeconds)
        result.reasons.push(`queue ${q.name} lags ${Math.round(lag)} s (bound ${maxLagSeconds} s)`);
    }
  }
  result.ok = result.reasons.length === 0;
  return result;
}
