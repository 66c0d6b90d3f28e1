import { buildOpsServer, buildServer } from '../http/server.js';
import type { AppContext } from './context.js';
import type { Running } from './job-worker.js';

export async function startWeb(ctx: AppContext): Promise<Running & { url: string }> {
  const app = await buildServer(ctx);
  const url = await app.listen({ port: ctx.config.http.port, host: ctx.config.http.host });
  ctx.log.info({ url }, 'web listening');
  return { name: 'web', url, close: () => app.close() };
}

/** /healthz /readyz /metrics for a process that runs queue roles only. */
export async function startOpsWeb(ctx: AppContext): Promise<Running & { url: string }> {
  const app = await buildOpsServer(ctx);
  const url = await app.listen({ port: ctx.config.http.port, host: ctx.config.http.host });
  ctx.log.info({ url }, 'ops routes listening');
  return { name: 'ops-web', url, close: () => app.close() };
}
