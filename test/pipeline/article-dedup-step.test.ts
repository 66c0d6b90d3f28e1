import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { startDedupWorker } from '../../src/app/dedup-worker.js';
import { ingestArticle } from '../../src/pipeline/ingest-article.js';
import { articleJobId } from '../../src/queues/job-ids.js';
import type { Queues } from '../../src/queues/queues.js';
import { articleJobAt } from '../support/article-job.js';
import { withPipeline } from './with-pipeline.js';

const DISPATCH = [
  'Le préfet de la Gironde a ordonné mardi soir l’évacuation de trois quartiers de Langon, menacés par la crue de la Garonne qui devrait atteindre son pic dans la nuit.',
  'Quelque 1 200 habitants sont concernés, selon la préfecture, qui a ouvert deux gymnases pour les accueillir et appelle les riverains à ne pas s’approcher des berges.',
  'Météo-France a placé le département en vigilance rouge crues jusqu’à jeudi, une première depuis 2021 pour ce tronçon du fleuve.',
];

function pageOf(outlet: string): string {
  return `<!doctype html><html lang="fr"><head><title>Crue de la Garonne - ${outlet}</title></head><body>
  <article><h1>Crue de la Garonne : trois quartiers évacués</h1>${DISPATCH.map((p) => `<p>${p}</p>`).join('')}</article>
  </body></html>`;
}

/** The dedup step fails in the article job: the index refuses every placement, as after a run of conflicts. */
function failingDedup(ctx: AppContext): AppContext {
  const clusterIndex = Object.create(ctx.clusterIndex) as AppContext['clusterIndex'];
  clusterIndex.assign = async () => {
    throw new Error('dedup: cluster assignment still conflicted after 16 retries');
  };
  return { ...ctx, clusterIndex };
}

describe('the dedup step in the article job, and the dedup queue behind it (real Redis, HTTP, BullMQ)', () => {
  const fetches = new Map<string, number>();
  const p = withPipeline('dedup-step', {
    serve: (req, res) => {
      fetches.set(req.url ?? '', (fetches.get(req.url ?? '') ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pageOf(req.url ?? ''));
    },
  });

  const job = (path: string) => articleJobAt(p.url, path, { outlet: path.slice(1) });
  const clusterOf = (path: string) => p.redis.hget(p.ctx.keys.article(job(path).articleId), 'cluster');
  const dedupJobs = () => p.ctx.queues.dedup.getJobCountByTypes('waiting', 'active', 'delayed', 'completed');

  it('stores and clusters an article in one job: no dedup job', async () => {
    const first = await ingestArticle(p.ctx, job('/sud-ouest'), { isLastAttempt: true });
    const second = await ingestArticle(p.ctx, job('/le-monde'), { isLastAttempt: true });
    expect(first.clustered).toMatchObject({ created: true });
    expect(second.clustered).toMatchObject({ joined: true, clusterId: first.clustered?.clusterId });
    expect(await clusterOf('/le-monde')).toBe(first.clustered?.clusterId);
    expect(await dedupJobs()).toBe(0);
  });

  it('when the step fails after the article is stored, a dedup job places it later', async () => {
    const r = await ingestArticle(failingDedup(p.ctx), job('/liberation'), { isLastAttempt: true });
    expect(r).toMatchObject({ status: 'ok', dedupQueued: true });
    expect(r.clustered).toBeUndefined();
    expect(await clusterOf('/liberation')).toBeNull();
    expect(await p.ctx.queues.dedup.getJobState(articleJobId(job('/liberation').articleId))).toBe('waiting');

    const worker = startDedupWorker(p.ctx);
    try {
      const deadline = Date.now() + 15_000;
      while (!(await clusterOf('/liberation')) && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 50));
    } finally {
      await worker.close();
    }
    expect(await clusterOf('/liberation')).toBe(await clusterOf('/sud-ouest'));
  });

  it('when queueing fails too, the article job fails, and its retry queues the step', async () => {
    const refusing = failingDedup(p.ctx);
    const queues = {
      ...p.ctx.queues,
      dedup: {
        add: async () => {
          throw new Error('OOM command not allowed when used memory > maxmemory.');
        },
      },
    } as unknown as Queues;
    await expect(
      ingestArticle({ ...refusing, queues }, job('/l-humanite'), { isLastAttempt: false }),
    ).rejects.toThrow(/OOM/);
    expect(await clusterOf('/l-humanite')).toBeNull();
    // The retry finds the article stored: it is not fetched again, its dedup step is queued.
    const retry = await ingestArticle(p.ctx, job('/l-humanite'), { isLastAttempt: true });
    expect(retry).toMatchObject({ status: 'ok', skipped: true });
    expect(await p.ctx.queues.dedup.getJobState(articleJobId(job('/l-humanite').articleId))).toBe('waiting');
  });

  it("a job's first run for an article stored ok meanwhile rewrites nothing; a later run does not fetch", async () => {
    const j = job('/la-croix');
    const first = await ingestArticle(p.ctx, j, { isLastAttempt: true, firstRun: true });
    expect(first.clustered).toMatchObject({ joined: true });
    await p.redis.hset(p.ctx.keys.article(j.articleId), 'title', 'as an editor left it');
    // another feed's job for the same page (the feed step raced): the page is read, nothing is written over
    const raced = await ingestArticle(p.ctx, j, { isLastAttempt: true, firstRun: true });
    expect(raced).toMatchObject({ status: 'ok', skipped: true });
    expect(fetches.get('/la-croix')).toBe(2);
    expect(await p.redis.hget(p.ctx.keys.article(j.articleId), 'title')).toBe('as an editor left it');
    expect(await clusterOf('/la-croix')).toBe(first.clustered?.clusterId);
    expect(await p.ctx.queues.dedup.getJobState(articleJobId(j.articleId))).toBe('waiting');
    // a run after one that may have saved looks first, and does not fetch
    await p.ctx.queues.dedup.remove(articleJobId(j.articleId));
    expect(await ingestArticle(p.ctx, j, { isLastAttempt: true })).toMatchObject({ skipped: true });
    expect(fetches.get('/la-croix')).toBe(2);
  });
});
