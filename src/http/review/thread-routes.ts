import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ReviewError } from '../../review/review-error.js';
import { type ThreadActionResult, ThreadReview } from '../../review/thread-decisions.js';
import { listThreads, readThread } from '../../store/thread-read.js';
import { threadVersions } from '../../threads/thread-versions.js';
import type { WebContext } from '../web-context.js';
import { statusOfRefusal } from './review-status.js';
import { threadListPage, threadPage, threadUndoOffer } from './thread-pages.js';

type Form = Record<string, string | undefined>;
const THREAD = /^t\d{1,12}$/;
const CLUSTER = /^c\d{1,12}$/;
const PAGE_SIZE = 50;

function str(v: unknown): string {
  return typeof v === 'string' ? v.slice(0, 200).trim() : '';
}

/**
 * The threads of the review page: the list, each thread as a timeline, and the
 * editor's actions on it (move a cluster out, join another thread, undo).
 * Added inside the review plugin, so its sign-in, CSRF and same-origin hooks
 * guard every route here.
 */
export function addThreadRoutes(
  app: FastifyInstance,
  ctx: WebContext,
  send: (reply: FastifyReply, body: string, code?: number) => FastifyReply,
  showCluster: (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { error?: string },
    code: number,
  ) => Promise<FastifyReply>,
): void {
  const threads = ctx.threadIndex;
  const review = threads
    ? new ThreadReview(ctx.redis, ctx.keys, threads, { eventsMaxLen: ctx.config.events.maxLen })
    : null;
  const page = { config: { signInRedirect: true } };
  const chrome = (req: FastifyRequest) => ({
    editor: req.reviewSession!.editor,
    csrf: req.reviewSession!.csrf,
  });

  app.get<{ Querystring: Form }>('/review/threads', page, async (req, reply) => {
    const from = Math.max(0, Math.min(Number.parseInt(str(req.query.from), 10) || 0, 10_000_000));
    const list = await listThreads(ctx.redis, ctx.keys, threadVersions, {
      offset: from,
      limit: PAGE_SIZE + 1,
    });
    const next = list.length > PAGE_SIZE ? from + PAGE_SIZE : null;
    return send(reply, threadListPage(chrome(req), list.slice(0, PAGE_SIZE), from, next));
  });

  const showThread = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { message?: string; error?: string },
    code = 200,
  ) => {
    const t = THREAD.test(id) ? await readThread(ctx.redis, ctx.keys, id, threadVersions) : null;
    if (!t)
      return send(
        reply,
        '<!doctype html><title>Not found</title><p>Thread not found: it may have been merged or dissolved. <a href="/review/threads">Threads</a></p>',
        404,
      );
    const last = review ? await review.lastActionOn(id) : null;
    return send(
      reply,
      threadPage(chrome(req), t, { ...extra, undo: threadUndoOffer(last, chrome(req).editor) }),
      code,
    );
  };

  app.get<{ Params: { id: string }; Querystring: Form }>('/review/threads/:id', page, async (req, reply) => {
    const message =
      req.query.done === 'thread-remove'
        ? 'Moved out of the thread. It will not be threaded with these clusters again automatically.'
        : req.query.done === 'thread-join'
          ? 'Joined.'
          : req.query.done === 'undo'
            ? 'Undone.'
            : undefined;
    return showThread(req, reply, req.params.id, { message });
  });

  /** After an action: the thread it left standing, or the cluster when none is left. */
  const land = (reply: FastifyReply, r: ThreadActionResult) =>
    reply.redirect(
      r.threadId
        ? `/review/threads/${encodeURIComponent(r.threadId)}?done=${r.action}`
        : `/review/clusters/${encodeURIComponent(r.clusterId)}`,
      303,
    );

  const act = (path: string, run: (id: string, body: Form, editor: string) => Promise<ThreadActionResult>) =>
    app.post<{ Params: { id: string } }>(path, async (req, reply) => {
      const id = req.params.id;
      try {
        if (!review)
          throw new ReviewError('review: threads are turned off on this server (threads.enabled)', 'invalid');
        return land(reply, await run(id, (req.body ?? {}) as Form, req.reviewSession!.editor));
      } catch (err) {
        if (!(err instanceof ReviewError)) throw err;
        return showThread(req, reply, id, { error: err.message }, statusOfRefusal(err.refusal));
      }
    });

  act('/review/threads/:id/remove', (id, body, editor) => {
    const cluster = str(body.clusterId);
    if (!CLUSTER.test(cluster)) throw new ReviewError('review: bad cluster id', 'invalid');
    return review!.removeCluster(id, cluster, editor);
  });
  act('/review/threads/:id/join', (id, body, editor) => review!.join(id, str(body.other), editor));
  act('/review/threads/:id/undo', (id, body, editor) => review!.undo(id, str(body.entry), editor));

  // From a cluster in no thread: join it to one.
  app.post<{ Params: { id: string } }>('/review/clusters/:id/thread', async (req, reply) => {
    const cluster = req.params.id;
    const thread = str(((req.body ?? {}) as Form).thread);
    try {
      if (!review)
        throw new ReviewError('review: threads are turned off on this server (threads.enabled)', 'invalid');
      if (!CLUSTER.test(cluster) || !THREAD.test(thread))
        throw new ReviewError('review: give a thread id (t…)', 'invalid');
      return land(reply, await review.join(thread, cluster, req.reviewSession!.editor));
    } catch (err) {
      if (!(err instanceof ReviewError)) throw err;
      return showCluster(req, reply, cluster, { error: err.message }, statusOfRefusal(err.refusal));
    }
  });
}
