import type { Redis } from 'ioredis';
import { type ArticleRecord, getArticles } from '../../store/articles.js';
import type { Keys } from '../../store/keys.js';
import { type CopyKind, copyKind, similarity } from './diff.js';

export type MemberDetail = {
  article: ArticleRecord;
  body: string | null;
  jaccard: number | null;
  containment: number | null;
  kind: CopyKind | 'unknown';
};

export type ClusterDetail = {
  id: string;
  hash: Record<string, string>;
  representativeId: string;
  members: MemberDetail[];
};

/** A cluster with every member's body and its similarity to the representative (exact shingle sets). */
export async function readClusterDetail(
  redis: Redis,
  keys: Keys,
  id: string,
  shingleSize: number,
): Promise<ClusterDetail | null> {
  const [hash, ids] = await Promise.all([
    redis.hgetall(keys.cluster(id)),
    redis.zrange(keys.clusterMembers(id), '0', '-1'),
  ]);
  if (!hash.id || !ids.length) return null;
  const [articles, bodies] = await Promise.all([
    getArticles(redis, keys, ids),
    redis.mget(...ids.map((m) => keys.articleBody(m))),
  ]);
  const repId =
    hash.editorRepresentative && ids.includes(hash.editorRepresentative)
      ? hash.editorRepresentative
      : hash.representative && ids.includes(hash.representative)
        ? hash.representative
        : ids[0]!;
  const repBody = bodies[ids.indexOf(repId)] ?? null;
  const repArticle = articles.get(repId);
  const repTime = Date.parse(repArticle?.publishedAt ?? '') || 0;
  const repSim = repBody ? similarity(repBody, repBody, shingleSize) : null;
  const members: MemberDetail[] = [];
  ids.forEach((m, i) => {
    const article = articles.get(m);
    if (!article) return;
    const body = bodies[i] ?? null;
    if (!repBody || !body || !repSim) {
      members.push({
        article,
        body,
        jaccard: null,
        containment: null,
        kind: m === repId ? 'representative' : 'unknown',
      });
      return;
    }
    const sim = similarity(repBody, body, shingleSize);
    const later = (Date.parse(article.publishedAt) || 0) > repTime;
    members.push({
      article,
      body,
      jaccard: sim.jaccard,
      containment: sim.containment,
      kind: copyKind(sim, repSim.tokens, later, m === repId),
    });
  });
  return { id, hash, representativeId: repId, members };
}
