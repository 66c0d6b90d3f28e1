import type { Redis } from 'ioredis';
import { type ArticleRecord, getArticles } from './articles.js';
import { parseVia } from './cluster-index.js';
import type { ApiCluster, ApiClusterMember } from './contract-types.js';
import type { Keys } from './keys.js';

/** The API's shapes are the read model's: one definition (contract-types.ts). */
export type ClusterMember = ApiClusterMember;
export type ClusterView = ApiCluster;

function toMember(a: ArticleRecord, clusterOf: Map<string, string>): ClusterMember {
  const via = parseVia(a.via);
  const member: ClusterMember = {
    id: a.id,
    url: a.url,
    title: a.title,
    outlet: a.outlet,
    publishedAt: a.publishedAt,
    lang: a.lang,
    agency: a.agency,
    kind: a.kind === 'container' ? 'container' : 'article',
    joinedVia: via ? { measure: via.measure, value: via.value, articleId: via.match } : null,
  };
  if (member.kind === 'container') {
    // Stored as the quoted articles: their clusters now, whatever merged since.
    const ids = (a.contains ?? '').split(',').filter(Boolean);
    member.contains = [...new Set(ids.map((id) => clusterOf.get(id)).filter((c): c is string => !!c))].sort();
  }
  return member;
}

/** Current cluster of each article quoted by a container among these members. */
async function quotedClusters(
  redis: Redis,
  keys: Keys,
  articles: ArticleRecord[],
): Promise<Map<string, string>> {
  const quoted = [
    ...new Set(articles.flatMap((a) => (a.kind === 'container' ? (a.contains ?? '').split(',') : []))),
  ].filter(Boolean);
  const out = new Map<string, string>();
  if (!quoted.length) return out;
  const pipe = redis.pipeline();
  for (const id of quoted) pipe.hget(keys.article(id), 'cluster');
  const res = (await pipe.exec()) ?? [];
  quoted.forEach((id, i) => {
    const c = res[i]?.[1];
    if (typeof c === 'string' && c) out.set(id, c);
  });
  return out;
}

function isoFromMs(v: string | undefined): string {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? new Date(n).toISOString() : (v ?? '');
}

export async function readCluster(redis: Redis, keys: Keys, id: string): Promise<ClusterView | null> {
  const [hash, memberIds] = await Promise.all([
    redis.hgetall(keys.cluster(id)),
    redis.zrange(keys.clusterMembers(id), '0', '-1'),
  ]);
  if (!hash.id && memberIds.length === 0) return null;
  const articles = await getArticles(redis, keys, memberIds);
  const clusterOf = await quotedClusters(redis, keys, [...articles.values()]);
  const members = memberIds.flatMap((m) => {
    const a = articles.get(m);
    return a ? [toMember(a, clusterOf)] : [];
  });
  // An editor's pick (docs/redis.md: editorRepresentative) wins over the automatic one.
  const picked = [hash.editorRepresentative, hash.representative].find((r) => r && articles.has(r));
  const repId = picked ?? memberIds[0];
  const rep = repId ? articles.get(repId) : undefined;
  return {
    id,
    size: memberIds.length,
    thread: hash.thread || null,
    createdAt: isoFromMs(hash.createdAt),
    updatedAt: isoFromMs(hash.updatedAt),
    representative: rep ? { id: rep.id, url: rep.url, title: rep.title } : null,
    reviewedAt: hash.reviewedAt ? isoFromMs(hash.reviewedAt) : null,
    reviewedBy: hash.reviewedAt ? (hash.reviewedBy ?? '') : null,
    members,
  };
}

/** Clusters by most recent activity first. */
export async function listClusters(
  redis: Redis,
  keys: Keys,
  opts: { minSize?: number; offset?: number; limit?: number } = {},
): Promise<ClusterView[]> {
  const minSize = opts.minSize ?? 1;
  const offset = opts.offset ?? 0;
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  const out: ClusterView[] = [];
  const pageSize = 200;
  let skipped = 0;
  for (let start = 0; out.length < limit; start += pageSize) {
    const ids = await redis.zrevrange(keys.clustersByUpdate, start, start + pageSize - 1);
    if (!ids.length) break;
    const views = await Promise.all(ids.map((id) => readCluster(redis, keys, id)));
    for (const v of views) {
      if (!v || v.size < minSize) continue;
      if (skipped < offset) {
        skipped++;
        continue;
      }
      out.push(v);
      if (out.length >= limit) break;
    }
  }
  return out;
}

export async function countClusters(redis: Redis, keys: Keys): Promise<number> {
  return redis.zcard(keys.clustersByUpdate);
}

export async function clusterExists(redis: Redis, keys: Keys, id: string): Promise<boolean> {
  return (await redis.exists(keys.cluster(id))) === 1;
}

/** Cluster ids changed at or after `sinceMs`, oldest change first, with their change times: a page of `count` from `skip`. */
export async function clustersChangedSince(
  redis: Redis,
  keys: Keys,
  sinceMs: number,
  skip: number,
  count: number,
): Promise<{ id: string; updatedAt: number }[]> {
  const flat = await redis.zrangebyscore(
    keys.clustersByUpdate,
    sinceMs,
    '+inf',
    'WITHSCORES',
    'LIMIT',
    skip,
    count,
  );
  const out: { id: string; updatedAt: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ id: flat[i]!, updatedAt: Number(flat[i + 1]) });
  return out;
}

/** Each cluster's representative (an editor's choice first) and size, in order; '' and 0 for a cluster gone. */
export async function clusterHeads(
  redis: Redis,
  keys: Keys,
  ids: string[],
): Promise<{ representative: string; size: number }[]> {
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hmget(keys.cluster(id), 'representative', 'editorRepresentative', 'size');
  return ((await pipe.exec()) ?? []).map(([, v]) => {
    const [rep, editorRep, size] = (v ?? []) as (string | null)[];
    return { representative: editorRep || rep || '', size: Number(size ?? 0) };
  });
}

/** A cluster's hash and its member ids (published order), read together. */
export async function clusterWithMemberIds(
  redis: Redis,
  keys: Keys,
  id: string,
): Promise<{ hash: Record<string, string>; ids: string[] }> {
  const [hash, ids] = await Promise.all([
    redis.hgetall(keys.cluster(id)),
    redis.zrange(keys.clusterMembers(id), '0', '-1'),
  ]);
  return { hash, ids };
}
