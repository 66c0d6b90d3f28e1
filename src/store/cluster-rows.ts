import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';

export type ListFilters = {
  q: string;
  lang: string;
  outlet: string;
  /** Single-article clusters are hidden unless asked for: most are stories nobody else ran. */
  singles: boolean;
  reviewed: '' | 'yes' | 'no';
};

export type ListRow = {
  id: string;
  title: string;
  size: number;
  outlets: number;
  agency: string;
  lang: string;
  createdAt: number;
  updatedAt: number;
  reviewedAt: number;
};

export type ListPage = {
  rows: ListRow[];
  next: number | null;
  scanned: number;
  /** Single-article clusters passed over between `from` and `next` (when singles are hidden). */
  hiddenSingles: number;
};

/** Case- and accent-insensitive, for matching what an editor types against titles and outlets. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const BATCH = 250;
const MEMBER_FIELDS = ['title', 'outlet', 'lang', 'agency'] as const;

/**
 * Clusters newest activity first, filtered, `limit` at a time. The cursor is a
 * rank in the clusters-by-update ZSET where the next scan starts, so a page
 * costs the clusters it looks at, not the whole index: two pipelined round
 * trips per batch (cluster hashes + member lists, then member titles).
 */
export async function listClusterRows(
  redis: Redis,
  keys: Keys,
  filters: ListFilters,
  from: number,
  limit: number,
): Promise<ListPage> {
  const rows: ListRow[] = [];
  const q = fold(filters.q.trim());
  const outlet = fold(filters.outlet.trim());
  const lang = filters.lang.trim().toLowerCase();
  let rank = from;
  let scanned = 0;
  const singleRanks: number[] = [];
  const hiddenBefore = (next: number) => singleRanks.filter((r) => r < next).length;
  for (;;) {
    const ids = await redis.zrevrange(keys.clustersByUpdate, rank, rank + BATCH - 1);
    if (!ids.length) return { rows, next: null, scanned, hiddenSingles: singleRanks.length };
    const pipe = redis.pipeline();
    for (const id of ids) {
      pipe.hgetall(keys.cluster(id));
      pipe.zrange(keys.clusterMembers(id), '0', '-1');
    }
    const res = (await pipe.exec()) ?? [];
    const candidates: { id: string; hash: Record<string, string>; members: string[]; rank: number }[] = [];
    ids.forEach((id, i) => {
      const hash = (res[2 * i]?.[1] ?? {}) as Record<string, string>;
      const members = (res[2 * i + 1]?.[1] ?? []) as string[];
      if (!hash.id || !members.length) return;
      if (!filters.singles && members.length < 2) {
        singleRanks.push(rank + i);
        return;
      }
      const reviewed = Number(hash.reviewedAt ?? 0) > 0;
      if (filters.reviewed === 'yes' && !reviewed) return;
      if (filters.reviewed === 'no' && reviewed) return;
      candidates.push({ id, hash, members, rank: rank + i });
    });
    const mp = redis.pipeline();
    for (const c of candidates) for (const m of c.members) mp.hmget(keys.article(m), ...MEMBER_FIELDS);
    const mres = (await mp.exec()) ?? [];
    let k = 0;
    for (const c of candidates) {
      const arts = c.members.map(() => {
        const v = (mres[k++]?.[1] ?? []) as (string | null)[];
        return { title: v[0] ?? '', outlet: v[1] ?? '', lang: v[2] ?? '', agency: v[3] ?? '' };
      });
      const repIndex = Math.max(0, c.members.indexOf(c.hash.representative ?? ''));
      const rep = arts[repIndex]!;
      if (lang && rep.lang.toLowerCase() !== lang) continue;
      if (outlet && !arts.some((a) => fold(a.outlet).includes(outlet))) continue;
      if (q && !arts.some((a) => fold(a.title).includes(q))) continue;
      rows.push({
        id: c.id,
        title: rep.title,
        size: c.members.length,
        outlets: new Set(arts.map((a) => a.outlet)).size,
        agency: rep.agency || (arts.find((a) => a.agency)?.agency ?? ''),
        lang: rep.lang,
        createdAt: Number(c.hash.createdAt ?? 0),
        updatedAt: Number(c.hash.updatedAt ?? 0),
        reviewedAt: Number(c.hash.reviewedAt ?? 0),
      });
      if (rows.length === limit) {
        // the next page starts right after this cluster
        return {
          rows,
          next: c.rank + 1,
          scanned: scanned + (c.rank - rank) + 1,
          hiddenSingles: hiddenBefore(c.rank + 1),
        };
      }
    }
    scanned += ids.length;
    rank += ids.length;
  }
}
