import Fastify, { type FastifyInstance } from 'fastify';
import { refuseNonCanonicalPath } from './canonical-path.js';
import { httpLabels, httpMetrics } from './metrics.js';
import { registerOpsRoutes } from './ops-routes.js';
import { apiRoutes } from './review/api-routes.js';
import { announceReview } from './review/first-run.js';
import { reviewPlugin } from './review/plugin.js';
import { signInLimits, TokenGate } from './review/sign-in-limit.js';
import type { WebContext } from './web-context.js';
import { websubRoutes } from './websub-routes.js';

function createApp(ctx: WebContext): FastifyInstance {
  // No fastify logger: requests are not logged (tokens travel in headers and cookies).
  // trustProxy makes req.ip and req.protocol those the proxy saw (sign-in limits, Secure cookies).
  const trust = ctx.config.http.trustProxy;
  const app = Fastify({
    logger: false,
    // a hop count: the n nearest hops are proxies (fastify's own reading of a number)
    trustProxy: typeof trust === 'number' ? (_addr: string, hop: number) => hop < trust : trust,
  });
  // First, so it runs before every route's own hooks.
  app.addHook('onRequest', refuseNonCanonicalPath);
  app.addHook('onResponse', async (req, reply) => {
    httpMetrics.duration.observe(
      httpLabels(req.method, req.routeOptions.url, reply.statusCode),
      reply.elapsedTime / 1000,
    );
  });
  return app;
}

/** The web role: ops routes, the read API, the review page and the queue dashboard. */
export async function buildServer(ctx: WebContext): Promise<FastifyInstance> {
  const app = createApp(ctx);
  registerOpsRoutes(app, ctx);

  // The read API and the editors' page each carry their own auth, encapsulated; one
  // limiter counts wrong tokens on both.
  const gate = new TokenGate(ctx.redis, ctx.keys, signInLimits(ctx.config));
  await app.register(apiRoutes, { ctx, gate });
  await app.register(reviewPlugin, { ctx, gate });
  announceReview(app, ctx);
  // WebSub callbacks (src/feeds/websub.ts), when hubs can reach us.
  if (ctx.config.http.publicUrl) await app.register(websubRoutes, { ctx });

  return app;
}

/** Ops routes alone, for processes that run queue roles without the web role (HEALTHCHECK, scrapes). */
export async function buildOpsServer(ctx: WebContext): Promise<FastifyInstance> {
  const app = createApp(ctx);
  registerOpsRoutes(app, ctx);
  return app;
}
