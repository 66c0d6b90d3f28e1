import { startArticlesWorker } from './articles-worker.js';
import type { AppContext } from './context.js';
import { startDedupWorker } from './dedup-worker.js';
import { startFeedsWorker } from './feeds-worker.js';
import type { Running } from './job-worker.js';
import { startScheduler } from './scheduler.js';
import { startOpsWeb, startWeb } from './web.js';
import { startWebhooks } from './webhooks-worker.js';

export const ROLES = ['scheduler', 'feeds', 'articles', 'dedup', 'web', 'all'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

/**
 * The pieces one process runs for a role; `all` (the default) is every role in
 * one process. Every role serves the ops routes, so HEALTHCHECK and scrapes work
 * whichever role a container runs.
 */
export async function startRole(role: Role, ctx: AppContext): Promise<Running[]> {
  switch (role) {
    case 'scheduler':
      return [await startScheduler(ctx), await startOpsWeb(ctx)];
    case 'feeds':
      return [startFeedsWorker(ctx), await startOpsWeb(ctx)];
    case 'articles':
      return [startArticlesWorker(ctx), await startOpsWeb(ctx)];
    case 'dedup':
      return [startDedupWorker(ctx), ...startWebhooks(ctx), await startOpsWeb(ctx)];
    case 'web':
      return [await startWeb(ctx)];
    case 'all':
      return [
        startFeedsWorker(ctx),
        startArticlesWorker(ctx),
        startDedupWorker(ctx),
        ...startWebhooks(ctx),
        await startScheduler(ctx),
        await startWeb(ctx),
      ];
  }
}

/** The three queue workers alone, for `run --once`. */
export function startPipelineWorkers(ctx: AppContext) {
  return { feeds: startFeedsWorker(ctx), articles: startArticlesWorker(ctx), dedup: startDedupWorker(ctx) };
}
