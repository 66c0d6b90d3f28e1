import type { FastifyPluginAsync } from 'fastify';
import type { WebContext } from './web-context.js';

/**
 * The WebSub callback, `/websub/:feedId`: GET is the hub verifying our
 * intent (echo its challenge, or 404), POST is content it pushes. Bodies are
 * taken as raw bytes (the signature is over them), within net.maxBodyBytes.
 * No session or token: the callback is for hubs, and what authenticates a
 * push is its HMAC signature under the subscription's secret.
 */
export const websubRoutes: FastifyPluginAsync<{ ctx: WebContext }> = async (app, { ctx }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: ctx.config.net.maxBodyBytes },
    (_req, body, done) => done(null, body),
  );

  app.get<{ Params: { feedId: string } }>('/websub/:feedId', async (req, reply) => {
    const challenge = await ctx.websub.verifyIntent(req.params.feedId, req.query as Record<string, unknown>);
    if (challenge === null) return reply.code(404).type('text/plain').send('no such subscription');
    return reply.code(200).type('text/plain').send(challenge);
  });

  app.post<{ Params: { feedId: string } }>('/websub/:feedId', async (req, reply) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.headers['x-hub-signature'];
    const outcome = await ctx.websub.receivePush(
      req.params.feedId,
      body,
      req.headers['content-type'],
      Array.isArray(signature) ? signature[0] : signature,
    );
    // 410 tells the hub to stop pushing a subscription we do not hold; anything else is acknowledged.
    if (outcome.kind === 'unknown') return reply.code(410).type('text/plain').send('no such subscription');
    return reply.code(202).send(outcome);
  });
};
