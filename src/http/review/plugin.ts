import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ActionResult, ReviewActions } from '../../review/cluster-decisions.js';
import { ReviewError } from '../../review/review-error.js';
import { countArticles } from '../../store/articles.js';
import { clusterExists, countClusters } from '../../store/cluster-read.js';
import { type ListFilters, listClusterRows } from '../../store/cluster-rows.js';
import { type Session, SessionStore } from '../../store/editor-sessions.js';
import { survivorOf } from '../../store/merged-into.js';
import type { WebContext } from '../web-context.js';
import {
  cookieOptions,
  deny,
  LOGIN_CSRF_COOKIE,
  parseTokens,
  SESSION_COOKIE,
  sameOrigin,
  sameSecret,
  tooManyFailures,
} from './auth.js';
import { readClusterDetail } from './cluster-detail.js';
import { REVIEW_CSP } from './html.js';
import { mergeCandidates } from './merge-candidates.js';
import { clusterPage, listPage, loginPage, splitConfirmPage } from './pages.js';
import { queueDashboard } from './queue-dashboard.js';
import { statusOfRefusal } from './review-status.js';
import { signInLimits, TokenGate } from './sign-in-limit.js';
import { addThreadRoutes } from './thread-routes.js';
import { undoOffer } from './undo-offer.js';

declare module 'fastify' {
  interface FastifyRequest {
    reviewSession: Session | null;
  }
  interface FastifyContextConfig {
    /** 'public': reachable without a session (the sign-in form). Unset: signed-in editors only. */
    reviewAccess?: 'public';
    /** A GET without a session is sent to the sign-in page instead of getting 401. */
    signInRedirect?: boolean;
  }
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const PAGE_SIZE = 50;

type Form = Record<string, string | undefined>;

function str(v: unknown): string {
  return typeof v === 'string' ? v.slice(0, 500) : '';
}

/**
 * The editors' web page at /review and the queue dashboard at /review/queues,
 * both behind sign-in. Access is decided by the route the router matched (its
 * config), for every route of this encapsulated plugin, never by the URL: the
 * router decodes `/%72eview` to `/review`, a prefix test on the raw URL does not.
 */
export async function reviewPlugin(
  app: FastifyInstance,
  opts: { ctx: WebContext; gate?: TokenGate },
): Promise<void> {
  const { ctx } = opts;
  const { config } = ctx;
  const editors = parseTokens(config.review.editorTokens, 'editor');
  const ttl = config.review.sessionHours * 3600;
  const sessions = new SessionStore(ctx.redis, ctx.keys, ttl);
  const gate = opts.gate ?? new TokenGate(ctx.redis, ctx.keys, signInLimits(config));
  const actions = new ReviewActions(ctx.redis, ctx.keys, {
    eventsMaxLen: config.events.maxLen,
    retainSeconds: config.articles.retainDays * 86_400,
  });

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  app.decorateRequest('reviewSession', null);

  const writes = (req: FastifyRequest) => req.method !== 'GET' && req.method !== 'HEAD';
  const isPublic = (req: FastifyRequest) => req.routeOptions.config.reviewAccess === 'public';

  // Runs for every route of this plugin and of the dashboard below it, whatever the URL looked like.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('content-security-policy', REVIEW_CSP);
    if (writes(req) && !sameOrigin(req)) return deny(reply, 403, 'review: cross-origin request refused');
    if (isPublic(req)) return;
    req.reviewSession = await sessions.get(req.cookies[SESSION_COOKIE]);
    if (!req.reviewSession) {
      if (req.method === 'GET' && req.routeOptions.config.signInRedirect)
        return reply.redirect('/review/login', 303);
      return deny(reply, 401, 'review: sign in first');
    }
  });

  // Forms carry the session's CSRF token; checked after the body is parsed.
  app.addHook('preHandler', async (req, reply) => {
    if (!writes(req) || isPublic(req)) return;
    const given = str((req.body as Form | undefined)?._csrf);
    if (!req.reviewSession || !given || !sameSecret(given, req.reviewSession.csrf))
      return deny(reply, 403, 'review: missing or wrong CSRF token; reload the page');
  });

  const html = (reply: FastifyReply, body: string, code = 200) =>
    reply.code(code).type('text/html; charset=utf-8').send(body);

  const page = { config: { signInRedirect: true } };
  const open = { config: { reviewAccess: 'public' as const } };

  app.get('/review/login', open, async (req, reply) => {
    const csrf = randomBytes(24).toString('base64url');
    reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions(req, 3600));
    return html(reply, loginPage(csrf, undefined, editors.length > 0));
  });

  app.post('/review/login', open, async (req, reply) => {
    const body = (req.body ?? {}) as Form;
    const expected = req.cookies[LOGIN_CSRF_COOKIE];
    const given = str(body._csrf);
    if (!expected || !given || !sameSecret(given, expected))
      return deny(reply, 403, 'review: missing or wrong CSRF token; reload the sign-in page');
    const check = await gate.check(str(body.token), editors, req.ip);
    if (!check.ok && check.status === 429) {
      ctx.log.warn({ ip: req.ip, scope: check.scope }, 'review: sign-in refused, too many failures');
      return tooManyFailures(reply, check.retryAfterSeconds, check.scope);
    }
    if (!check.ok) {
      ctx.log.warn({ ip: req.ip }, 'review: failed sign-in');
      const csrf = randomBytes(24).toString('base64url');
      reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions(req, 3600));
      return html(reply, loginPage(csrf, 'Unknown token.', editors.length > 0), 401);
    }
    const who = check.principal;
    const old = req.cookies[SESSION_COOKIE];
    await sessions.destroy(old);
    const { sid } = await sessions.create(who.name);
    ctx.log.info({ editor: who.name }, 'review: editor signed in');
    reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/review' });
    reply.setCookie(SESSION_COOKIE, sid, cookieOptions(req, ttl));
    return reply.redirect('/review', 303);
  });

  app.post('/review/logout', async (req, reply) => {
    await sessions.destroy(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/review' });
    return reply.redirect('/review/login', 303);
  });

  app.get<{ Querystring: Form }>('/review', page, async (req, reply) => {
    const s = req.reviewSession!;
    const q = req.query;
    const filters: ListFilters = {
      q: str(q.q),
      lang: str(q.lang).slice(0, 10),
      outlet: str(q.outlet),
      singles: q.singles === '1' || q.singles === 'on',
      reviewed: q.reviewed === 'yes' || q.reviewed === 'no' ? q.reviewed : '',
    };
    const from = Math.max(0, Math.min(Number.parseInt(str(q.from), 10) || 0, 10_000_000));
    const [page, clusters, articles] = await Promise.all([
      listClusterRows(ctx.redis, ctx.keys, filters, from, PAGE_SIZE),
      countClusters(ctx.redis, ctx.keys),
      countArticles(ctx.redis, ctx.keys),
    ]);
    return html(
      reply,
      listPage({ editor: s.editor, csrf: s.csrf }, filters, page, from, { clusters, articles }),
    );
  });

  const notFound = (reply: FastifyReply) =>
    html(
      reply,
      `<!doctype html><title>Not found</title><p>Cluster not found. <a href="/review">Clusters</a></p>`,
      404,
    );

  const showCluster = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { diffId?: string; message?: string; error?: string },
    code = 200,
  ) => {
    const s = req.reviewSession!;
    const detail = ID.test(id)
      ? await readClusterDetail(ctx.redis, ctx.keys, id, config.dedup.shingleSize)
      : null;
    if (!detail) return notFound(reply);
    const [undo, candidates] = await Promise.all([
      undoOffer(ctx.redis, ctx.keys, actions, id, s.editor),
      mergeCandidates(ctx, detail),
    ]);
    return html(
      reply,
      clusterPage({ editor: s.editor, csrf: s.csrf }, detail, {
        ...extra,
        undo,
        candidates,
        threads: ctx.threadIndex !== null,
      }),
      code,
    );
  };

  app.get<{ Params: { id: string }; Querystring: Form }>('/review/clusters/:id', page, async (req, reply) => {
    const id = req.params.id;
    if (ID.test(id) && !(await clusterExists(ctx.redis, ctx.keys, id))) {
      // A bookmarked or shared link to a cluster merged away leads to the one that holds its articles.
      const survivor = await survivorOf(ctx.redis, ctx.keys, id);
      if (survivor)
        return reply.redirect(
          `/review/clusters/${encodeURIComponent(survivor)}?${new URLSearchParams({ from: id })}`,
          302,
        );
    }
    const diffId = str(req.query.diff);
    const from = str(req.query.from);
    return showCluster(req, reply, id, {
      diffId: ID.test(diffId) ? diffId : undefined,
      message: ID.test(from) ? `Cluster ${from} was merged into this one.` : doneMessage(req.query),
    });
  });

  // Splitting is asked twice: the pair is then never joined again automatically.
  app.get<{ Params: { id: string }; Querystring: Form }>(
    '/review/clusters/:id/split',
    page,
    async (req, reply) => {
      const s = req.reviewSession!;
      const id = req.params.id;
      const articleId = str(req.query.articleId);
      const detail = ID.test(id)
        ? await readClusterDetail(ctx.redis, ctx.keys, id, config.dedup.shingleSize)
        : null;
      if (!detail) return notFound(reply);
      const member = detail.members.find((m) => m.article.id === articleId);
      if (!member || detail.members.length < 2)
        return reply.redirect(`/review/clusters/${encodeURIComponent(id)}`, 303);
      return html(reply, splitConfirmPage({ editor: s.editor, csrf: s.csrf }, detail, member));
    },
  );

  // Splits and merges change what the clusters tell: their threads are decided again.
  const rethread = async (clusters: string[]) => {
    if (!ctx.threadIndex) return;
    for (const c of clusters)
      await ctx.threadIndex.update(c, { force: true }).catch((err: unknown) => {
        ctx.log.warn({ clusterId: c, err: String(err) }, 'review: thread step after the action failed');
      });
  };
  const act = (path: string, run: (id: string, body: Form, editor: string) => Promise<ActionResult>) =>
    app.post<{ Params: { id: string } }>(path, async (req, reply) => {
      const id = req.params.id;
      const body = (req.body ?? {}) as Form;
      try {
        if (!ID.test(id)) throw new ReviewError('review: bad cluster id', 'invalid');
        const r = await run(id, body, req.reviewSession!.editor);
        await rethread(r.changed ?? []);
        const p = new URLSearchParams({ done: r.action });
        if (r.newClusterId) p.set('into', r.newClusterId);
        if (r.undone) p.set('undone', r.undone);
        return reply.redirect(`/review/clusters/${encodeURIComponent(r.clusterId)}?${p}`, 303);
      } catch (err) {
        if (!(err instanceof ReviewError)) throw err;
        return showCluster(req, reply, id, { error: err.message }, statusOfRefusal(err.refusal));
      }
    });

  const articleId = (body: Form) => {
    const a = str(body.articleId);
    if (!ID.test(a)) throw new ReviewError('review: bad article id', 'invalid');
    return a;
  };
  act('/review/clusters/:id/split', (id, body, editor) => actions.split(id, articleId(body), editor));
  act('/review/clusters/:id/merge', (id, body, editor) => {
    const other = str(body.other).trim();
    if (!ID.test(other)) throw new ReviewError('review: give the id of the cluster to merge in', 'invalid');
    return actions.merge(id, other, editor);
  });
  act('/review/clusters/:id/representative', (id, body, editor) =>
    actions.setRepresentative(id, articleId(body), editor),
  );
  act('/review/clusters/:id/reviewed', (id, _body, editor) => actions.markReviewed(id, editor));

  // The form names the action its button described: a newer action on the cluster refuses it.
  act('/review/clusters/:id/undo', (id, body, editor) => actions.undo(id, str(body.entry), editor));

  addThreadRoutes(app, ctx, html, showCluster);

  await app.register(queueDashboard, { queues: ctx.queues });
}

/** Only known outcomes become messages; ids are checked, so a link cannot put arbitrary text on the page. */
function doneMessage(q: Form): string | undefined {
  const into = ID.test(str(q.into)) ? str(q.into) : '';
  switch (q.done) {
    case 'split':
      return `Split out into cluster ${into}. The pair will not be joined again automatically.`;
    case 'merge':
      return 'Clusters merged.';
    case 'representative':
      return 'Representative set.';
    case 'reviewed':
      return 'Marked reviewed.';
    case 'undo':
      return `Undone: ${['split', 'merge', 'representative', 'reviewed'].includes(str(q.undone)) ? q.undone : 'last action'}.`;
    default:
      return undefined;
  }
}
