import { UnrecoverableError } from 'bullmq';

/** The job said it must not be retried (also across a worker thread, where only the error's name survives). */
export function isUnrecoverable(err: Error): boolean {
  return err instanceof UnrecoverableError || err.name === 'UnrecoverableError';
}

/** A failure BullMQ will not retry: unrecoverable, or the job's last attempt. */
export function isFinalFailure(
  job: { attemptsMade: number; opts: { attempts?: number } } | undefined,
  err: Error,
): boolean {
  return isUnrecoverable(err) || !job || job.attemptsMade >= (job.opts.attempts ?? 1);
}
