import { hostname } from 'node:os';
import { UnrecoverableError } from 'bullmq';
import { jobMetrics } from '../http/metrics.js';
import type { WebhookJob } from '../queues/jobs.js';
import { QUEUE_NAMES } from '../queues/names.js';
import { connectRedis } from '../store/redis-client.js';
import { deliverEvent } from '../webhooks/deliver.js';
import { EventRelay } from '../webhooks/event-relay.js';
import type { AppContext } from './context.js';
import { type Running, startWorker } from './job-worker.js';

/**
 * Webhooks, when endpoints are configured: the relay from the events stream to
 * the delivery queue, and the delivery worker. Runs beside the dedup worker
 * (where most events come from); replicas share the stream through its
 * consumer group and the queue through BullMQ.
 */
export function startWebhooks(ctx: AppContext): Running[] {
  const { endpoints } = ctx.config.webhooks;
  if (!endpoints.length) return [];
  const worker = startWorker<WebhookJob, { status: number }>(
    ctx,
    QUEUE_NAMES.webhooks,
    ctx.config.webhooks.concurrency,
    async (job) => {
      const endpoint = job.data.endpoint;
      const stop = jobMetrics.webhookDuration.startTimer({ endpoint });
      try {
        const r = await deliverEvent(ctx.config, job.data);
        jobMetrics.webhookDeliveries.inc({ endpoint, outcome: 'delivered' });
        return r;
      } catch (err) {
        const last = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        jobMetrics.webhookDeliveries.inc({ endpoint, outcome: last ? 'failed' : 'retrying' });
        throw err;
      } finally {
        stop();
      }
    },
  );
  const connection = connectRedis(ctx.config.redis, 'webhooks:relay');
  const relay = new EventRelay(connection, ctx.keys.events, ctx.queues.webhooks, endpoints, ctx.log, {
    consumer: `${hostname()}:${process.pid}`,
  });
  relay.start();
  return [
    worker,
    {
      name: 'webhooks:relay',
      close: async () => {
        await relay.stop();
        await connection.quit().catch(() => connection.disconnect());
      },
      forceClose: async () => {
        connection.disconnect();
      },
    },
  ];
}
