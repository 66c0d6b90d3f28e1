import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { checkReadiness } from '../ops/readiness.js';
import type { PipelineContext } from '../pipeline/context.js';
import { createMetrics } from './metrics.js';

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * /healthz: the process is alive (no dependency checked, so a Redis outage
 * does not get every replica restarted). /readyz: it can work now.
 * /metrics: Prometheus text, behind a bearer token when ops.metricsToken is set.
 */
export function registerOpsRoutes(app: FastifyInstance, ctx: PipelineContext): void {
  const registry = createMetrics(ctx);
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const r = await checkReadiness(ctx.redis, ctx.queues, ctx.config.ops.maxQueueLagSeconds);
    return reply.code(r.ok ? 200 : 503).send(r);
  });
  app.get('/metrics', async (req, reply) => {
    const token = ctx.config.ops.metricsToken;
    if (token && !tokenMatches(req.headers.authorization, token))
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'metrics: token required' });
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
