import { type Processor, Worker, type WorkerOptions } from 'bullmq';
import type { PipelineContext } from '../src/pipeline/context.js';
import { connectRedis } from '../src/pipeline/context.js';
import { bullPrefix, type QueueName } from '../src/queues/names.js';

export type Running = { name: string; close(): Promise<void> };

/** One BullMQ worker with its own blocking connection, failures logged with their reason. */
export function startWorker<T, R>(
  ctx: PipelineContext,
  queue: QueueName,
  concurrency: number,
  processor: Processor<T, R>,
  extra: Partial<WorkerOptions> = {},
): Worker<T, R> & Running {
  const connection = connectRedis(ctx.config, `worker:${queue}`);
  const worker = new Worker<T, R>(queue, processor, {
    connection,
    prefix: bullPrefix(ctx.config.redis.prefix),
    concurrency,
    ...extra,
  });
  const log = ctx.log.child({ queue });
  worker.on('failed', (job, err) => {
    log.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed');
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
  const close = worker.close.bind(worker);
  return Object.assign(worker, {
    close: async (force?: boolean) => {
      await close(force);
      await connection.quit().catch(() => connection.disconnect());
    },
  }) as Worker<T, R> & Running;
}
