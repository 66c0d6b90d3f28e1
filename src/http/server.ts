import Fastify, { type FastifyInstance } from 'fastify';
import type { PipelineContext } from '../pipeline/context.js';
import { listClusters, readCluster } from '../store/cluster-read.js';
import { registerOpsRoutes } from './ops-routes.js';

/** The web role: ops routes and the read API. */
export async function buildServer(ctx: PipelineContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, disableRequestLogging: true });
  registerOpsRoutes(app, ctx);

  app.get<{ Querystring: { minSize?: string; offset?: string; limit?: string } }>(
    '/api/clusters',
    async (req, reply) => {
      const num = (v: string | undefined, name: string, dflt: number, min: number, max: number) => {
        if (v === undefined || v === '') return dflt;
        const n = Number(v);
        if (!Number.isInteger(n) || n < min || n > max) {
          throw Object.assign(new Error(`${name} must be an integer between ${min} and ${max}`), {
            statusCode: 400,
          });
        }
        return n;
      };
      try {
        const minSize = num(req.query.minSize, 'minSize', 1, 1, 1_000_000);
        const offset = num(req.query.offset, 'offset', 0, 0, 1_000_000);
        const limit = num(req.query.limit, 'limit', 50, 1, 500);
        const clusters = await listClusters(ctx.redis, ctx.keys, { minSize, offset, limit });
        return { clusters, offset, limit };
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode ?? 500;
        return reply.code(status).send({ error: (err as Error).message });
      }
    },
  );

  app.get<{ Params: { id: string } }>('/api/clusters/:id', async (req, reply) => {
    const cluster = await readCluster(ctx.redis, ctx.keys, req.params.id);
    if (!cluster) return reply.code(404).send({ error: `cluster ${req.params.id} not found` });
    return cluster;
  });

  return app;
}

/** Ops routes alone, for processes that run queue roles without the web role (HEALTHCHECK, scrapes). */
export async function buildOpsServer(ctx: PipelineContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, disableRequestLogging: true });
  registerOpsRoutes(app, ctx);
  return app;
}
