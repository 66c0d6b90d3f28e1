import type { Redis } from 'ioredis';
import { type ClusterView, readCluster } from './cluster-read.js';
import type { ApiThread, ApiThreadCluster, ApiThreadVersion } from './contract-types.js';
import type { Keys } from './keys.js';

/** What the version rule reads of each cluster of a thread (src/threads/thread-versions.ts VersionFacts). */
export type VersionFacts = {
  id: string;
  /** First publication (ms). */
  at: number;
  lang: string;
  agency: string;
  words: number;
  container: boolean;
};

/** The version rule (src/threads/thread-versions.ts threadVersions): each cluster's version by id. */
export type VersionsOf = (clusters: VersionFacts[]) => Map<string, ApiThreadVersion>;

/** The thread of each of these clusters (clusters in no thread are left out). */
export async function threadOfClusters(
  redis: Redis,
  keys: Keys,
  ids: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hget(keys.cluster(id), 'thread');
  const res = (await pipe.exec()) ?? [];
  ids.forEach((id, i) => {
    const t = res[i]?.[1];
    if (typeof t === 'string' && t) out.set(id, t);
  });
  return out;
}

function iso(ms: number | string | undefined): string {
  const n = Number(ms);
  return Number.isFinite(n) && n > 0 ? new Date(n).toISOString() : '';
}

/** The cluster as its thread's timeline shows it. */
function timelineEntry(
  c: ClusterView,
  at: number,
  words: Map<string, number>,
): Omit<ApiThreadCluster, 'version'> {
  const stories = c.members.filter((m) => m.kind !== 'container');
  const rep = c.members.find((m) => m.id === c.representative?.id) ?? c.members[0];
  return {
    id: c.id,
    at: iso(at),
    size: c.size,
    lang: rep?.lang ?? '',
    agency: stories.find((m) => m.agency)?.agency ?? '',
    words: Math.max(0, ...c.members.map((m) => words.get(m.id) ?? 0)),
    representative: c.representative,
    outlets: [...new Set(c.members.map((m) => m.outlet).filter(Boolean))],
  };
}

/**
 * One thread with its clusters in time order (first publication), each with
 * its version by `versionsOf` (src/threads/thread-versions.ts). Clusters merged away since the
 * thread was last decided are skipped (docs/redis.md, "Threads").
 */
export async function readThread(
  redis: Redis,
  keys: Keys,
  id: string,
  versionsOf: VersionsOf,
): Promise<ApiThread | null> {
  const [hash, ranked] = await Promise.all([
    redis.hgetall(keys.thread(id)),
    redis.zrange(keys.threadClusters(id), '0', '-1', 'WITHSCORES'),
  ]);
  if (!hash.id) return null;
  const entries: { view: ClusterView; at: number }[] = [];
  for (let i = 0; i + 1 < ranked.length; i += 2) {
    const view = await readCluster(redis, keys, ranked[i]!);
    if (view) entries.push({ view, at: Number(ranked[i + 1]) });
  }
  const memberIds = entries.flatMap((e) => e.view.members.map((m) => m.id));
  const pipe = redis.pipeline();
  for (const m of memberIds) pipe.hget(keys.article(m), 'words');
  const res = (await pipe.exec()) ?? [];
  const words = new Map(memberIds.map((m, i) => [m, Number(res[i]?.[1]) || 0]));
  const rows = entries.map((e) => ({
    ...timelineEntry(e.view, e.at, words),
    container: e.view.members.every((m) => m.kind === 'container'),
    ms: e.at,
  }));
  const versions = versionsOf(rows.map((r) => ({ ...r, at: r.ms })));
  const clusters: ApiThreadCluster[] = rows.map(({ container: _c, ms: _m, ...r }) => ({
    ...r,
    version: versions.get(r.id) ?? 'update',
  }));
  const latest =
    [...clusters].reverse().find((c) => c.version !== 'container' && c.version !== 'translation') ??
    clusters.at(-1);
  return {
    id,
    size: clusters.length,
    createdAt: iso(hash.createdAt),
    updatedAt: iso(hash.updatedAt),
    headline: latest?.representative ? { clusterId: latest.id, ...latest.representative } : null,
    clusters,
  };
}

/** Threads by most recent activity first. */
export async function listThreads(
  redis: Redis,
  keys: Keys,
  versionsOf: VersionsOf,
  opts: { offset?: number; limit?: number } = {},
): Promise<ApiThread[]> {
  const offset = opts.offset ?? 0;
  const limit = opts.limit ?? 1_000_000;
  const ids = await redis.zrevrange(keys.threadsByUpdate, offset, offset + limit - 1);
  const out: ApiThread[] = [];
  for (const id of ids) {
    const t = await readThread(redis, keys, id, versionsOf);
    if (t) out.push(t);
  }
  return out;
}
