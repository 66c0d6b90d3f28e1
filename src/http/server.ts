import Fastify, { type FastifyInstance } from 'fastify';
import type { PipelineContext } from '../pipeline/context.js';
import { createMetrics } from './metrics.js';
import { apiRoutes } from './review/api-routes.js';
import { reviewPlugin } from './review/plugin.js';

/** The web role: ops routes, the read API, the review page and the queue dashboard. */
export async function buildServer(ctx: PipelineContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, disableRequestLogging: true });
  const registry = createMetrics(ctx);

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await ctx.redis.ping();
      return { ok: true, redis: 'up' };
    } catch (err) {
      return reply.code(503).send({ ok: false, redis: 'down', error: (err as Error).message });
    }
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });

  // The read API and the editors' page each carry their own auth, encapsulated.
  await app.register(apiRoutes, { ctx });
  await app.register(reviewPlugin, { ctx });

  return app;
}
