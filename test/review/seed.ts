import type { Config } from '../../src/config.js';
import { sketchText } from '../../src/dedup/sketch.js';
import type { PipelineContext } from '../../src/pipeline/context.js';
import { threadClusters } from '../../src/pipeline/thread-clusters.js';
import { type ArticleRecord, saveArticle } from '../../src/store/articles.js';
import { testConfig } from '../support/redis.js';

export const EDITOR_TOKEN = 'ed-token-0123456789abcdef';
export const API_TOKEN = 'api-token-0123456789abcdef';
/** A second editor, for what one editor's actions must not do to another's. */
export const BOB_TOKEN = 'bob-token-0123456789abcdef';

export function reviewConfig(prefix: string): Config {
  return testConfig(prefix, {
    WIRESIFT_EDITOR_TOKENS: `alice:${EDITOR_TOKEN},bob:${BOB_TOKEN}`,
    WIRESIFT_API_TOKENS: API_TOKEN,
  });
}

export const STORY =
  'PARIS, 1 mars 2026 (AFP) - Le conseil municipal de Brévannes a voté mardi soir le budget 2026 ' +
  'après un débat de six heures marqué par des échanges vifs entre la majorité et l’opposition. ' +
  'Le maire a défendu une hausse des investissements dans les écoles et les transports, financée ' +
  'selon lui sans augmentation des impôts locaux. L’opposition a dénoncé un budget insincère et ' +
  'annoncé un recours devant le tribunal administratif. Les associations de quartier, présentes en ' +
  'nombre dans la salle, ont salué la création de deux nouveaux centres sociaux prévus pour 2027. ' +
  'Le vote a été acquis par 31 voix contre 12, avec quatre abstentions.';

export type SeedArticle = {
  id: string;
  outlet: string;
  title: string;
  body: string;
  publishedAt: string;
  lang?: string;
  /** Wire credit; 'AFP' unless given ('' for an outlet's own copy). */
  agency?: string;
};

/**
 * Stores articles and clusters them with the real ClusterIndex, as the dedup
 * worker does; with `threads`, runs the thread step after each, as it does too.
 */
export async function seedArticles(
  ctx: PipelineContext,
  articles: SeedArticle[],
  opts: { threads?: boolean } = {},
): Promise<void> {
  for (const a of articles) {
    const record: Omit<ArticleRecord, 'cluster'> = {
      id: a.id,
      url: `http://${a.outlet.toLowerCase().replace(/\W+/g, '')}.example/${a.id}`,
      canonicalUrl: `http://${a.outlet.toLowerCase().replace(/\W+/g, '')}.example/${a.id}`,
      feedId: 'f1',
      feedUrl: 'http://feeds.example/rss',
      outlet: a.outlet,
      title: a.title,
      byline: '',
      publishedAt: a.publishedAt,
      lang: a.lang ?? 'fr',
      agency: a.agency ?? 'AFP',
      status: 'ok',
      reason: '',
      source: 'page',
      charset: 'utf-8',
      words: a.body.split(/\s+/).length,
      fetchedAt: a.publishedAt,
    };
    // fixed fetch dates in the past: a retention long enough to keep them in the time index
    await saveArticle(ctx.redis, ctx.keys, record, a.body, 3600, 3650 * 86_400);
    const result = await assignAgain(ctx, a.id, a.body, a.publishedAt);
    if (opts.threads && ctx.threadIndex) await threadClusters(ctx.threadIndex, result);
  }
}

export async function assignAgain(ctx: PipelineContext, id: string, body: string, publishedAt: string) {
  return ctx.clusterIndex.assign({
    articleId: id,
    sketch: sketchText(body, ctx.hasher, ctx.config.dedup.shingleSize),
    publishedAt: Date.parse(publishedAt),
    ttlSeconds: 3600,
  });
}

/**
 * "Re-run dedup" on an article: forget its cluster (dropping the cluster if it
 * was alone in it) and assign it again, as a fresh dedup job would.
 */
export async function rerunDedup(ctx: PipelineContext, id: string, body: string, publishedAt: string) {
  const { keys, redis } = ctx;
  const cid = await redis.hget(keys.article(id), 'cluster');
  if (cid) {
    await redis.zrem(keys.clusterMembers(cid), id);
    if ((await redis.zcard(keys.clusterMembers(cid))) === 0) {
      await redis.del(keys.cluster(cid));
      await redis.zrem(keys.clustersByUpdate, cid);
    }
    await redis.hdel(keys.article(id), 'cluster');
  }
  return assignAgain(ctx, id, body, publishedAt);
}

/** Three outlets running the same dispatch: a full copy, an updated copy and a short copy. */
export function budgetStory(): SeedArticle[] {
  return [
    {
      id: 'a1',
      outlet: 'La Gazette',
      title: 'Budget voté à Brévannes',
      body: STORY,
      publishedAt: '2026-03-01T10:00:00.000Z',
    },
    {
      id: 'a2',
      outlet: 'Le Courrier',
      title: 'Brévannes : le budget adopté',
      body: `${STORY} Le préfet dispose de deux mois pour contrôler la délibération.`,
      publishedAt: '2026-03-01T11:00:00.000Z',
    },
    {
      id: 'a3',
      outlet: 'Info Express',
      title: 'Le budget de Brévannes voté après six heures',
      body: STORY.replace('après un débat de six heures', 'après six heures de débat'),
      publishedAt: '2026-03-01T12:00:00.000Z',
    },
  ];
}
