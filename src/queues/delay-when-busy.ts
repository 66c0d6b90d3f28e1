import { DelayedError, type Job } from 'bullmq';
import { HostBusyError } from '../net/host-politeness.js';

/**
 * Runs a job; when its host has no free politeness slot, puts the job back
 * as delayed (no attempt spent, no worker slot held while waiting) instead
 * of sleeping in the worker.
 */
export async function delayWhenHostBusy<T>(
  job: Job,
  token: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof HostBusyError && token) {
      await job.moveToDelayed(Date.now() + err.retryInMs, token);
      throw new DelayedError(err.message);
    }
    throw err;
  }
}
