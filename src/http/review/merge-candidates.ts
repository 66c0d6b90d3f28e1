import { similarity } from '../../dedup/exact-similarity.js';
import { sketchText } from '../../dedup/sketch.js';
import { getArticleBodies, getArticles } from '../../store/articles.js';
import { clusterHeads } from '../../store/cluster-read.js';
import type { WebContext } from '../web-context.js';
import type { ClusterDetail } from './cluster-detail.js';

export type MergeCandidate = {
  id: string;
  title: string;
  outlet: string;
  size: number;
  jaccard: number;
  containment: number;
};

/** Members whose bodies are sketched to look for neighbours: enough to reach a cluster's variants. */
const PROBES = 5;
/** Candidate clusters compared exactly; the LSH index returns them unordered. */
const MAX_COMPARED = 20;

/**
 * Clusters worth merging into this one: those whose articles share LSH
 * buckets with this cluster's (the index dedup itself queries, at its lower
 * candidate threshold), ranked by the exact similarity of the two
 * representatives. Split-out copies and near misses below the join threshold
 * are what this finds.
 */
export async function mergeCandidates(
  ctx: WebContext,
  c: ClusterDetail,
  limit = 5,
): Promise<MergeCandidate[]> {
  const rep = c.members.find((m) => m.article.id === c.representativeId);
  if (!rep?.body) return [];
  const k = ctx.config.dedup.shingleSize;
  const window = ctx.config.dedup.windowHours * 3600;
  const own = new Set(c.members.map((m) => m.article.id));
  const probes = [rep, ...c.members.filter((m) => m !== rep && m.body)].slice(0, PROBES);
  const found = new Set<string>();
  for (const p of probes) {
    const ids = await ctx.clusterIndex.candidates(sketchText(p.body!, ctx.hasher, k), window);
    for (const id of ids) if (!own.has(id)) found.add(id);
  }
  if (!found.size) return [];
  const neighbours = await getArticles(ctx.redis, ctx.keys, [...found]);
  const clusterIds = [
    ...new Set([...neighbours.values()].map((a) => a.cluster).filter((x) => x && x !== c.id)),
  ].slice(0, MAX_COMPARED);
  if (!clusterIds.length) return [];
  const heads = await clusterHeads(ctx.redis, ctx.keys, clusterIds);
  const repIds = heads.map((h) => h.representative);
  const [reps, bodies] = await Promise.all([
    getArticles(ctx.redis, ctx.keys, repIds.filter(Boolean)),
    getArticleBodies(
      ctx.redis,
      ctx.keys,
      repIds.map((id) => id || '-'),
    ),
  ]);
  const out: MergeCandidate[] = [];
  clusterIds.forEach((id, i) => {
    const a = reps.get(repIds[i]!);
    const body = bodies[i];
    if (!a || !body) return;
    const sim = similarity(rep.body!, body, k);
    out.push({
      id,
      title: a.title,
      outlet: a.outlet,
      size: heads[i]!.size || 1,
      jaccard: sim.jaccard,
      containment: sim.containment,
    });
  });
  return out
    .sort((x, y) => y.containment + y.jaccard - (x.containment + x.jaccard) || (x.id < y.id ? -1 : 1))
    .slice(0, limit);
}
