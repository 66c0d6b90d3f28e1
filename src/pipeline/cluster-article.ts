import { UnrecoverableError } from 'bullmq';
import { sketchText } from '../dedup/sketch.js';
import { boilerplateDomain, candidateLines } from '../extract/learned-lines.js';
import type { DedupJob, DedupJobResult } from '../queues/jobs.js';
import { type ArticleRecord, getArticleBody, getArticleFields } from '../store/articles.js';
import { recordStoryLines, type StoryLines, storyLinesOf } from '../store/boilerplate-stats.js';
import type { PipelineContext } from './context.js';
import { threadClusters } from './thread-clusters.js';

/** The fields of a stored article the dedup step reads. */
export type ClusteringFields = Pick<ArticleRecord, 'publishedAt' | 'fetchedAt' | 'url' | 'source'>;

/**
 * Learned boilerplate counts a page's lines under its story, the cluster it goes
 * to: a line is site template only when it recurs under different stories. Null
 * when there is nothing to count.
 */
function linesToCount(ctx: PipelineContext, article: ClusteringFields, body: string): StoryLines | null {
  const learning = ctx.config.extract.learnedBoilerplate;
  const domain = boilerplateDomain(article.url);
  if (!learning.enabled || !domain || article.source !== 'page') return null;
  return storyLinesOf(ctx.keys, domain, candidateLines(body, learning.maxLineChars), learning);
}

/**
 * Sketch a stored article's body and place it in its cluster (one atomic step in
 * Redis, which on one Redis also counts its lines), then run the thread step.
 * `body` is the stored one: the article job passes the text it just saved, a
 * dedup job reads it back.
 */
export async function placeArticle(
  ctx: PipelineContext,
  articleId: string,
  article: ClusteringFields,
  body: string,
): Promise<DedupJobResult> {
  const sketch = sketchText(body, ctx.hasher, ctx.config.dedup.shingleSize);
  const publishedAt = Date.parse(article.publishedAt) || Date.parse(article.fetchedAt) || Date.now();
  const lines = linesToCount(ctx, article, body);
  const result = await ctx.clusterIndex.assign({
    articleId,
    sketch,
    publishedAt,
    ttlSeconds: ctx.config.dedup.windowHours * 3600,
    // On Redis Cluster a domain's counts have a slot of their own: a step of their own.
    ...(lines && !ctx.keys.onCluster ? { countLines: lines } : {}),
  });
  if (lines && !result.linesCounted) await recordStoryLines(ctx.redis, result.clusterId, lines);
  // The body is the stored one: a story told by this article is read from it, not from Redis again.
  if (ctx.threadIndex) await threadClusters(ctx.threadIndex, result, { articleId, body });
  return {
    clusterId: result.clusterId,
    created: result.created,
    joined: result.joined,
    mergedFrom: result.mergedFrom,
  };
}

/** A dedup job: the article and its body read back from Redis, then placed. */
export async function clusterArticle(ctx: PipelineContext, job: DedupJob): Promise<DedupJobResult> {
  const [article, body] = await Promise.all([
    getArticleFields(ctx.redis, ctx.keys, job.articleId, ['publishedAt', 'fetchedAt', 'url', 'source']),
    getArticleBody(ctx.redis, ctx.keys, job.articleId),
  ]);
  if (!article) throw new UnrecoverableError(`dedup: article ${job.articleId} is not stored`);
  if (!body) throw new UnrecoverableError(`dedup: article ${job.articleId} has no body (expired or empty)`);
  return placeArticle(ctx, job.articleId, article, body);
}
