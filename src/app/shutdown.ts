import type { Logger } from '../log.js';
import type { AppContext } from './context.js';
import type { Running } from './job-worker.js';

/**
 * SIGTERM path: stop taking jobs and let active ones finish until the deadline;
 * past it, hand them back to their queue (another worker takes them at once),
 * drop the connections, and report that the process must exit by itself.
 */
export async function shutdown(
  parts: Running[],
  ctx: AppContext,
  log: Logger,
  graceMs: number,
): Promise<{ forced: boolean }> {
  const closing = Promise.all(
    parts.map((p) => p.close().catch((err) => log.warn({ err: String(err) }, 'close failed'))),
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    closing.then(() => false),
    new Promise<boolean>((res) => {
      timer = setTimeout(() => res(true), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    let returned = 0;
    for (const p of parts) returned += p.returnActiveJobs ? await p.returnActiveJobs().catch(() => 0) : 0;
    log.warn({ graceMs, returned }, 'shutdown deadline passed: active jobs handed back to their queue');
    await Promise.all(parts.map((p) => p.forceClose?.().catch(() => undefined)));
    ctx.redis.disconnect();
    return { forced: true };
  }
  await ctx.close();
  return { forced: false };
}

export function onSignals(handler: (signal: string) => void): () => void {
  const h = (s: NodeJS.Signals) => handler(s);
  process.once('SIGTERM', h);
  process.once('SIGINT', h);
  return () => {
    process.off('SIGTERM', h);
    process.off('SIGINT', h);
  };
}

/** Exits 0 soon if a job still running past the deadline keeps the event loop busy. */
export function exitSoonIfStuck(): void {
  setTimeout(() => process.exit(0), 500).unref();
}
