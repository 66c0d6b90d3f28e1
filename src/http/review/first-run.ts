import type { FastifyInstance } from 'fastify';
import type { WebContext } from '../web-context.js';

export const EDITOR_TOKENS_HINT =
  'set WIRESIFT_EDITOR_TOKENS=name:token (comma-separated; or WIRESIFT_EDITOR_TOKENS_FILE, a file of one per line; or review.editorTokens in the config) and restart; make a token with `openssl rand -base64 24`';

export const API_TOKENS_HINT =
  'set WIRESIFT_API_TOKENS (or WIRESIFT_API_TOKENS_FILE, or review.apiTokens; an editor token works too) and restart';

/** The address people type: a wildcard bind is reached as localhost from the machine itself. */
function reachableUrl(address: string, family: string, port: number): string {
  const host =
    address === '0.0.0.0' || address === '::' ? 'localhost' : family === 'IPv6' ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

/**
 * What a first run needs to hear once the server listens: where the review
 * page is, and, when no token is configured, that nobody can sign in and how
 * to fix it (the sign-in page and /api say so too).
 */
export function announceReview(app: FastifyInstance, ctx: WebContext): void {
  const { review } = ctx.config;
  app.addHook('onListen', async () => {
    const a = app.addresses()[0];
    if (!a || typeof a === 'string') return;
    const url = `${reachableUrl(a.address, a.family, a.port)}/review`;
    ctx.log.info({ url }, `review: editors sign in at ${url}`);
    if (!review.editorTokens.length)
      ctx.log.warn(
        { url },
        `review: no editor token configured, so nobody can sign in: ${EDITOR_TOKENS_HINT}`,
      );
    if (!review.editorTokens.length && !review.apiTokens.length)
      ctx.log.warn(`api: no read token configured, so /api answers 503: ${API_TOKENS_HINT}`);
  });
}
