import { DelayedError, type Job, Worker, type WorkerOptions } from 'bullmq';
import { fetchOutcomeLabel, jobMetrics } from '../http/metrics.js';
import { describeInfraCause } from '../infra-errors/infra-errors.js';
import { createLogThrottle, messageKind } from '../log.js';
import { trackWorker } from '../ops/readiness.js';
import { isFinalFailure } from '../queues/final-failure.js';
import { bullPrefix, QUEUE_NAMES, type QueueName } from '../queues/names.js';
import { connectRedis } from '../store/redis-client.js';
import type { AppContext } from './context.js';

export type Running = {
  name: string;
  close(): Promise<void>;
  /** Hands jobs still running back to their queue (shutdown deadline passed); how many. */
  returnActiveJobs?(): Promise<number>;
  /** Drops its Redis connections now, without waiting for active jobs. */
  forceClose?(): Promise<void>;
};

/** A job handler gets a context whose logger and fetch hook are this job's. */
export type JobHandler<T, R> = (job: Job<T, R>, jobCtx: AppContext, token: string | undefined) => Promise<R>;

function jobBindings(queue: QueueName, job: Job): Record<string, unknown> {
  const data = (job.data ?? {}) as { feedId?: string; articleId?: string };
  return {
    queue,
    jobId: job.id,
    ...(data.feedId ? { feedId: data.feedId } : {}),
    ...(data.articleId ? { articleId: data.articleId } : {}),
  };
}

/**
 * A job that hit an infrastructure error (Redis OOM, MISCONF, READONLY,
 * LOADING, a lost connection…) goes back to its queue as delayed, with the
 * episode's backoff, and no attempt spent: the job was not at fault, and
 * spending attempts lost whole batches for good during a 25 s OOM. Moving a
 * job to delayed works under OOM (the script's first write frees memory).
 * When even that fails, the job waits here for writes to succeed (up to half
 * its lock) and tries once more; past that its lock runs out and BullMQ
 * brings it back as stalled. `wiresift reconcile` is the net under both.
 */
async function delayForInfra(
  ctx: AppContext,
  queue: QueueName,
  job: Job,
  token: string,
  err: unknown,
): Promise<Error | null> {
  const cause = ctx.redisHealth.report(err, `job:${queue}`);
  if (!cause) return null;
  jobMetrics.infraDelayed.inc({ queue, cause: cause.kind });
  const move = () => job.moveToDelayed(Date.now() + ctx.redisHealth.retryDelayMs(), token);
  try {
    await move();
  } catch (moveErr) {
    ctx.redisHealth.report(moveErr, `job:${queue}`);
    if (await ctx.redisHealth.writable(Math.floor(ctx.config.ops.jobLockMs / 2)))
      await move().catch((e: unknown) => ctx.redisHealth.report(e, `job:${queue}`));
  }
  return new DelayedError(`${describeInfraCause(cause)}; job delayed, no attempt spent`);
}

/**
 * One BullMQ worker with its own blocking connection: each job runs with a
 * child logger (queue, jobId, feedId/articleId), is timed and counted, and
 * its failures are logged with their reason; infrastructure errors delay the
 * job instead (delayForInfra) and are logged once per outage by ctx.redisHealth.
 */
export function startWorker<T, R>(
  ctx: AppContext,
  queue: QueueName,
  concurrency: number,
  handler: JobHandler<T, R>,
  extra: Partial<WorkerOptions> = {},
): Worker<T, R> & Required<Running> {
  const connection = connectRedis(ctx.config.redis, `worker:${queue}`);
  const fetchKind = queue === QUEUE_NAMES.feeds ? 'feed' : 'article';
  const active = new Map<Job<T, R>, string | undefined>();
  const worker = new Worker<T, R>(
    queue,
    async (job, token) => {
      active.set(job, token);
      const jobCtx: AppContext = {
        ...ctx,
        log: ctx.log.child(jobBindings(queue, job)),
        fetchOptions: {
          ...ctx.fetchOptions,
          onOutcome: (o) => jobMetrics.fetches.inc({ kind: fetchKind, outcome: fetchOutcomeLabel(o) }),
        },
      };
      const stop = jobMetrics.duration.startTimer({ queue });
      try {
        return await handler(job, jobCtx, token);
      } catch (err) {
        const delayed = token ? await delayForInfra(ctx, queue, job, token, err) : null;
        if (delayed) holdWhileFailing();
        throw delayed ?? err;
      } finally {
        stop();
        active.delete(job);
      }
    },
    {
      connection,
      prefix: bullPrefix(ctx.config.redis, queue),
      concurrency,
      lockDuration: ctx.config.ops.jobLockMs,
      stalledInterval: Math.max(500, Math.floor(ctx.config.ops.jobLockMs / 2)),
      ...extra,
    },
  );
  const untrack = trackWorker(worker);
  // BullMQ retries a failed job fetch at once on a reply error (OOM, MISCONF…): ~800 fetches a
  // second per worker against a Redis that refuses them. So this worker stops fetching until
  // a write succeeds again; jobs already running finish or are delayed as usual.
  const throttle = createLogThrottle();
  let pausedForInfra = false;
  let closing = false;
  const holdWhileFailing = () => {
    if (pausedForInfra || closing || ctx.redisHealth.state().ok) return;
    pausedForInfra = true;
    void worker.pause(true).catch(() => undefined);
    void ctx.redisHealth.writable(24 * 3600 * 1000).then(() => {
      pausedForInfra = false;
      if (!closing) void worker.resume();
    });
  };
  worker.on('completed', () => jobMetrics.processed.inc({ queue }));
  worker.on('failed', (job, err) => {
    const final = isFinalFailure(job, err);
    jobMetrics.failed.inc({ queue, final: String(final) });
    ctx.log.warn(
      { ...(job ? jobBindings(queue, job) : { queue }), attempt: job?.attemptsMade, final, err: err.message },
      'job failed',
    );
  });
  // Connection and command errors of the worker's own loop: one line per outage, not per retry;
  // other errors during an outage (locks it could not renew) are its symptoms, counted in its end
  // line; the rest at most once per kind per 10 s (one incident repeats per job).
  worker.on('error', (err) => {
    if (ctx.redisHealth.report(err, `worker:${queue}`)) holdWhileFailing();
    else if (!ctx.redisHealth.absorb(`worker:${queue}`))
      throttle(messageKind(err.message), (suppressed) =>
        ctx.log.error({ queue, err: err.message, ...(suppressed ? { suppressed } : {}) }, 'worker error'),
      );
  });
  const close = worker.close.bind(worker);
  return Object.assign(worker, {
    close: async () => {
      closing = true;
      untrack();
      await close();
      await connection.quit().catch(() => connection.disconnect());
    },
    // close() may already be waiting on the active jobs, and BullMQ then ignores a later close(true).
    forceClose: async () => {
      closing = true;
      untrack();
      connection.disconnect();
    },
    returnActiveJobs: async () => {
      const jobs = [...active];
      active.clear();
      // Back to "wait" at once, rather than after the lock expires as a stalled job.
      const moved = await Promise.all(
        jobs.map(([job, token]) =>
          job.moveToWait(token).then(
            () => true,
            (err: Error) => {
              ctx.log.warn({ ...jobBindings(queue, job), err: err.message }, 'could not return job');
              return false;
            },
          ),
        ),
      );
      return moved.filter(Boolean).length;
    },
  });
}
