import type { Redis } from 'ioredis';
import type { JoinReason } from '../../dedup/cluster-policy.js';
import { similarity } from '../../dedup/exact-similarity.js';
import { type ArticleRecord, getArticleBodies, getArticles } from '../../store/articles.js';
import { parseVia } from '../../store/cluster-index.js';
import { clusterWithMemberIds } from '../../store/cluster-read.js';
import type { Keys } from '../../store/keys.js';
import { type CopyKind, copyKind } from './diff.js';

export type MemberDetail = {
  article: ArticleRecord;
  body: string | null;
  jaccard: number | null;
  containment: number | null;
  kind: CopyKind | 'unknown';
  /** Why dedup put it here: the measure and the member it matched (null: it started the cluster). */
  joinedVia: JoinReason | null;
};

/** A page that quotes this cluster's story among others (a digest, live page, roundup). */
export type QuotingPage = { article: ArticleRecord; clusterId: string };

export type ClusterDetail = {
  id: string;
  hash: Record<string, string>;
  representativeId: string;
  members: MemberDetail[];
  /** Containers elsewhere that quote members of this cluster. */
  quotedIn: QuotingPage[];
  /** When this cluster is a container: the clusters of the stories it quotes. */
  contains: string[];
  /** Words per shingle of the similarity figures. */
  shingleSize: number;
};

/** The containers quoting any of these articles, checked against each container's own `contains`. */
async function quotingPages(redis: Redis, keys: Keys, members: ArticleRecord[]): Promise<QuotingPage[]> {
  const byContainer = new Map<string, Set<string>>();
  for (const a of members)
    for (const c of (a.quotedIn ?? '').split(',').filter(Boolean)) {
      if (!byContainer.has(c)) byContainer.set(c, new Set());
      byContainer.get(c)!.add(a.id);
    }
  if (!byContainer.size) return [];
  const containers = await getArticles(redis, keys, [...byContainer.keys()]);
  const out: QuotingPage[] = [];
  for (const [id, quoted] of byContainer) {
    const c = containers.get(id);
    if (c?.kind !== 'container' || !c.cluster) continue;
    const listed = new Set((c.contains ?? '').split(','));
    if ([...quoted].some((q) => listed.has(q))) out.push({ article: c, clusterId: c.cluster });
  }
  return out.sort((x, y) => (x.article.publishedAt < y.article.publishedAt ? -1 : 1));
}

/** Current clusters of the articles a container quotes. */
async function containedClusters(redis: Redis, keys: Keys, members: ArticleRecord[]): Promise<string[]> {
  const quoted = members.flatMap((a) => (a.kind === 'container' ? (a.contains ?? '').split(',') : []));
  const ids = [...new Set(quoted.filter(Boolean))];
  if (!ids.length) return [];
  const arts = await getArticles(redis, keys, ids);
  return [...new Set([...arts.values()].map((a) => a.cluster).filter(Boolean))].sort();
}

/** A cluster with every member's body and its similarity to the representative (exact shingle sets). */
export async function readClusterDetail(
  redis: Redis,
  keys: Keys,
  id: string,
  shingleSize: number,
): Promise<ClusterDetail | null> {
  const { hash, ids } = await clusterWithMemberIds(redis, keys, id);
  if (!hash.id || !ids.length) return null;
  const [articles, bodies] = await Promise.all([
    getArticles(redis, keys, ids),
    getArticleBodies(redis, keys, ids),
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
        joinedVia: parseVia(article.via),
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
      joinedVia: parseVia(article.via),
    });
  });
  const all = members.map((m) => m.article);
  const [quotedIn, contains] = await Promise.all([
    quotingPages(redis, keys, all),
    containedClusters(redis, keys, all),
  ]);
  return {
    id,
    hash,
    representativeId: repId,
    members,
    quotedIn: quotedIn.filter((q) => q.clusterId !== id),
    contains,
    shingleSize,
  };
}
