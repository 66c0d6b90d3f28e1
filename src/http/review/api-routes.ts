import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NINJS_MEDIA_TYPE, type Ninjs } from '../../ninjs/ninjs.js';
import { articleNinjsOf, clusterNinjsOf, threadNinjsOf } from '../../ninjs/ninjs-read.js';
import { getArticle, getArticleBody } from '../../store/articles.js';
import { clustersChangedSince, listClusters, readCluster } from '../../store/cluster-read.js';
import type { ApiArticle, ApiCluster, ApiClusterPage, ApiThreadPage } from '../../store/contract-types.js';
import { listThreads, readThread } from '../../store/thread-read.js';
import { threadVersions } from '../../threads/thread-versions.js';
import type { WebContext } from '../web-context.js';
import { bearerToken, deny, parseTokens, tooManyFailures } from './auth.js';
import { API_TOKENS_HINT } from './first-run.js';
import { signInLimits, TokenGate } from './sign-in-limit.js';

class BadRequest extends Error {
  readonly statusCode = 400;
}

/** `?format=ninjs` or an `Accept` naming the ninjs media type: the IPTC shape instead of ours. */
function wantsNinjs(req: FastifyRequest): boolean {
  const q = req.query as { format?: string } | undefined;
  if (q?.format === 'ninjs') return true;
  return (req.headers.accept ?? '').toLowerCase().includes(NINJS_MEDIA_TYPE);
}

function sendNinjs(reply: FastifyReply, doc: Ninjs | null, what: string) {
  if (!doc) return reply.code(404).send({ error: `${what} not found` });
  return reply.type(`${NINJS_MEDIA_TYPE}; charset=utf-8`).send(doc);
}

function num(v: string | undefined, name: string, dflt: number, min: number, max: number): number {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new BadRequest(`${name} must be an integer between ${min} and ${max}`);
  return n;
}

/** `since` cursors are "<updatedAt ms>:<cluster id>" — the position in the clusters ZSET's own order. */
function parseSince(v: string): { ms: number; id: string } {
  const m = /^(\d{1,15})(?::([A-Za-z0-9_-]{1,64}))?$/.exec(v);
  if (!m) throw new BadRequest('since must be a cursor from a previous page, or a time in ms');
  return { ms: Number(m[1]), id: m[2] ?? '' };
}

/**
 * The read API for consumers that cannot reach Redis, behind a Bearer read
 * token (API or editor tokens). Same shapes as docs/redis.md describes. The
 * hook guards every route of this encapsulated plugin, whatever the URL's
 * spelling, and a wrong token counts against the same limit as a wrong
 * sign-in (editor tokens work here, so this is a sign-in too).
 */
export async function apiRoutes(
  app: FastifyInstance,
  opts: { ctx: WebContext; gate?: TokenGate },
): Promise<void> {
  const { ctx } = opts;
  const tokens = [
    ...parseTokens(ctx.config.review.apiTokens, 'api'),
    ...parseTokens(ctx.config.review.editorTokens, 'editor'),
  ];
  const gate = opts.gate ?? new TokenGate(ctx.redis, ctx.keys, signInLimits(ctx.config));

  app.addHook('onRequest', async (req, reply) => {
    // No token can be right: say so, instead of the 401 a wrong token gets.
    if (!tokens.length)
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .send({ error: `api: no read tokens are configured on this server: ${API_TOKENS_HINT}` });
    const token = bearerToken(req);
    // No Bearer token at all is no guess: refused, not counted.
    const check = token ? await gate.check(token, tokens, req.ip) : ({ ok: false, status: 401 } as const);
    if (check.ok) return;
    if (check.status === 429) {
      ctx.log.warn({ ip: req.ip, scope: check.scope }, 'api: token refused, too many failures');
      return tooManyFailures(reply, check.retryAfterSeconds, check.scope);
    }
    reply.header('www-authenticate', 'Bearer realm="wiresift"');
    return deny(
      reply,
      401,
      token
        ? 'api: wrong token (it is none of the configured API or editor tokens)'
        : 'api: send a read token as "Authorization: Bearer TOKEN"',
    );
  });
  app.setErrorHandler((err, _req, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: (err as Error).message });
  });

  app.get<{ Querystring: { minSize?: string; offset?: string; limit?: string; since?: string } }>(
    '/api/clusters',
    async (req): Promise<ApiClusterPage> => {
      const minSize = num(req.query.minSize, 'minSize', 1, 1, 1_000_000);
      const limit = num(req.query.limit, 'limit', 50, 1, 500);
      if (req.query.since === undefined) {
        const offset = num(req.query.offset, 'offset', 0, 0, 1_000_000);
        const clusters = await listClusters(ctx.redis, ctx.keys, { minSize, offset, limit });
        return { clusters, offset, limit };
      }
      // Changed since the cursor, oldest change first, so a poller never misses one.
      const since = parseSince(req.query.since);
      const clusters: ApiCluster[] = [];
      let next: string | null = null;
      let skip = 0;
      for (;;) {
        const batch = await clustersChangedSince(ctx.redis, ctx.keys, since.ms, skip, 200);
        if (!batch.length) break;
        skip += batch.length;
        for (const { id, updatedAt: score } of batch) {
          if (clusters.length >= limit) break;
          if (score === since.ms && id <= since.id) continue;
          next = `${score}:${id}`;
          const c = await readCluster(ctx.redis, ctx.keys, id);
          if (c && c.size >= minSize) clusters.push(c);
        }
        if (clusters.length >= limit) break;
      }
      return { clusters, limit, next: next ?? req.query.since };
    },
  );

  app.get<{ Params: { id: string } }>('/api/clusters/:id', async (req, reply) => {
    if (wantsNinjs(req))
      return sendNinjs(
        reply,
        await clusterNinjsOf(ctx.redis, ctx.keys, req.params.id),
        `cluster ${req.params.id}`,
      );
    const cluster = await readCluster(ctx.redis, ctx.keys, req.params.id);
    if (!cluster) return reply.code(404).send({ error: `cluster ${req.params.id} not found` });
    return cluster;
  });

  app.get<{ Querystring: { offset?: string; limit?: string } }>(
    '/api/threads',
    async (req): Promise<ApiThreadPage> => {
      const limit = num(req.query.limit, 'limit', 50, 1, 500);
      const offset = num(req.query.offset, 'offset', 0, 0, 1_000_000);
      return {
        threads: await listThreads(ctx.redis, ctx.keys, threadVersions, { offset, limit }),
        offset,
        limit,
      };
    },
  );

  app.get<{ Params: { id: string } }>('/api/threads/:id', async (req, reply) => {
    if (wantsNinjs(req))
      return sendNinjs(
        reply,
        await threadNinjsOf(ctx.redis, ctx.keys, req.params.id),
        `thread ${req.params.id}`,
      );
    const thread = await readThread(ctx.redis, ctx.keys, req.params.id, threadVersions);
    if (!thread) return reply.code(404).send({ error: `thread ${req.params.id} not found` });
    return thread;
  });

  app.get<{ Params: { id: string } }>(
    '/api/articles/:id',
    async (req, reply): Promise<ApiArticle | undefined> => {
      if (wantsNinjs(req)) {
        sendNinjs(
          reply,
          await articleNinjsOf(ctx.redis, ctx.keys, req.params.id),
          `article ${req.params.id}`,
        );
        return;
      }
      const [article, body] = await Promise.all([
        getArticle(ctx.redis, ctx.keys, req.params.id),
        getArticleBody(ctx.redis, ctx.keys, req.params.id),
      ]);
      if (!article) {
        reply.code(404).send({ error: `article ${req.params.id} not found` });
        return;
      }
      // internal sizes the dedup stage keeps on the hash are not part of the contract
      const {
        shingles: _s,
        tokens: _t,
        ref: _r,
        ...rest
      } = article as typeof article & { shingles?: string; tokens?: string; ref?: string };
      return { ...rest, body };
    },
  );
}
