import Fastify, { type FastifyInstance } from 'fastify';
import type { PipelineContext } from '../pipeline/context.js';
import { registerOpsRoutes } from './ops-routes.js';
import { apiRoutes } from './review/api-routes.js';
import { reviewPlugin } from './review/plugin.js';

/** The web role: ops routes, the read API, the review page and the queue dashboard. */
export async function buildServer(ctx: PipelineContext): Promise<FastifyInstance> {
  // No fastify logger: requests are not logged (tokens travel in headers and cookies).
  const app = Fastify({ logger: false });
  registerOpsRoutes(app, ctx);

  // The read API and the editors' page each carry their own auth, encapsulated.
  await app.register(apiRoutes, { ctx });
  await app.register(reviewPlugin, { ctx });

  return app;
}

/** Ops routes alone, for processes that run queue roles without the web role (HEALTHCHECK, scrapes). */
export async function buildOpsServer(ctx: PipelineContext): Promise<FastifyInstance> {
  // No fastify logger: requests are not logged (tokens travel in headers and cookies).
  const app = Fastify({ logger: false });
  registerOpsRoutes(app, ctx);
  return app;
}
