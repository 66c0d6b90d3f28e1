import { relateStories, type StoryRelation } from './story-links.js';
import type { StoryProfile } from './story-profile.js';

/**
 * Which clusters tell one developing story. A function of a set of clusters,
 * like the clustering policy (src/dedup/cluster-policy.ts): the same clusters
 * give the same threads whatever order they came in, so the store can run it
 * over each changed cluster's neighbourhood and apply the difference.
 *
 * 1. Two clusters are linked when they share facts (names, identifying
 *    figures: what survives rewriting and translation) — the fewer they
 *    share, the larger the part of the smaller story they must be — and are
 *    close in time (a weak link only within `shortGapHours`).
 * 2. A templated series (market closes, alerts, match reports) fills one
 *    template with other facts: two clusters sharing much of their template
 *    whose aligned frames hold different facts, and sharing a minority of their
 *    facts, are a series, never one thread, however many names they share; no
 *    chain through other clusters joins them.
 * 3. A roundup (a digest the dedup stage did not see as one) links stories
 *    that are not linked to each other, each by facts of its own: it links
 *    nothing.
 * 4. Links join clusters transitively, strongest first, never across a
 *    series pair or an editor's "not this story" pair; editors' joins link.
 * 5. A container (digest, live page, blend: `kind` container) merely quotes:
 *    it links nothing itself, and sits in a thread only when every story it
 *    quotes and every story its facts link it to are in that one thread (a
 *    live page or a blend of one event; not a digest).
 */
export type ThreadPolicy = {
  /** A link needs evidence × share ≥ this (evidence 2 needs share 0.75, 5 needs 0.3). */
  minEvidenceShare: number;
  /** ...and at least this many shared facts. */
  minEvidence: number;
  /**
   * Strong evidence: enough on its own when it is at least `strongShare` of
   * the smaller story, and reaching over the whole window; weaker links only
   * within shortGapHours.
   */
  strongEvidence: number;
  strongShare: number;
  shortGapHours: number;
  /** Clusters further apart than this are never linked (the thread window). */
  windowHours: number;
  /**
   * Series: a template filled in with other facts — at least this many
   * frames holding another fact in each, and this share of the smaller
   * text's template (its runs of words without a fact) in the other...
   */
  seriesMinSubstituted: number;
  seriesMinTemplate: number;
  /** ...while sharing less than this share of the smaller story's facts (an update of one dispatch keeps most). */
  seriesMaxShare: number;
  /** A roundup: the facts it shares with two unlinked stories overlap at most this share (rounded down: small sets, none). */
  roundupOverlap: number;
};

export const DEFAULT_THREAD_POLICY: ThreadPolicy = {
  minEvidenceShare: 1.0,
  minEvidence: 2,
  strongEvidence: 5,
  strongShare: 0.2,
  shortGapHours: 96,
  windowHours: 21 * 24,
  seriesMinSubstituted: 2,
  seriesMinTemplate: 0.25,
  seriesMaxShare: 0.7,
  roundupOverlap: 0.15,
};

export type StoryNode = {
  /** Cluster id. */
  id: string;
  profile: StoryProfile;
  /** First publication among its members (ms). */
  at: number;
  container: boolean;
  /** Containers: the clusters of the stories it quotes. */
  quotes: string[];
  /**
   * Found to be a roundup before (with stories not all in this set): a roundup
   * stays one, as it would be over every cluster at once, until its story changes.
   */
  roundup?: boolean;
};

export type ThreadConstraints = {
  /** An editor moved one of these clusters out of the other's thread. */
  blocked: (a: string, b: string) => boolean;
  /** Pairs an editor joined. */
  joined: [string, string][];
};

export type ThreadPlacement = {
  /** Groups of two clusters or more, each sorted; clusters in no group are in no thread. */
  groups: string[][];
  /** Cluster pairs found to be a templated series (sorted ids, "a|b"). */
  series: Set<string>;
  /** Clusters found to be roundups. */
  roundups: Set<string>;
};

export type StoryLink = { a: string; b: string; relation: StoryRelation };

/**
 * A templated series: the same template (two stories of one event share little
 * of it, unless two agencies wrote them alike, and then their facts agree),
 * other facts in its frames (a developing story's later figures sit in new
 * sentences), and most facts not shared (an update of one dispatch keeps them).
 */
export function isSeries(r: StoryRelation, policy: ThreadPolicy): boolean {
  return (
    r.substituted >= policy.seriesMinSubstituted &&
    r.templateShare >= policy.seriesMinTemplate &&
    r.share < policy.seriesMaxShare
  );
}

export function isStoryLink(r: StoryRelation, gapHours: number, policy: ThreadPolicy): boolean {
  if (gapHours > policy.windowHours) return false;
  if (r.evidence >= policy.strongEvidence && r.share >= policy.strongShare) return true;
  return (
    gapHours <= policy.shortGapHours &&
    r.evidence >= policy.minEvidence &&
    r.evidence * r.share >= policy.minEvidenceShare
  );
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Sorted-array intersection (term hashes). */
function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return Uint32Array.from(out);
}

function factsOf(p: StoryProfile): Uint32Array {
  const all = new Uint32Array(p.names.length + p.figures.length);
  all.set(p.names);
  all.set(p.figures, p.names.length);
  return all.sort();
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller id is the root: the same sets give the same roots whatever the order of unions.
    const [low, high] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent.set(high, low);
  }
}

export function placeThreads(
  nodes: StoryNode[],
  constraints: ThreadConstraints,
  policy: ThreadPolicy = DEFAULT_THREAD_POLICY,
): ThreadPlacement {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const stories = nodes.filter((n) => !n.container).sort((a, b) => (a.id < b.id ? -1 : 1));
  const facts = new Map(stories.map((n) => [n.id, factsOf(n.profile)]));
  const series = new Set<string>();
  const links: StoryLink[] = [];
  const linked = new Map<string, Set<string>>();
  for (let i = 0; i < stories.length; i++)
    for (let j = i + 1; j < stories.length; j++) {
      const a = stories[i]!;
      const b = stories[j]!;
      const relation = relateStories(a.profile, b.profile);
      if (isSeries(relation, policy)) {
        series.add(pairKey(a.id, b.id));
        continue;
      }
      if (!isStoryLink(relation, Math.abs(a.at - b.at) / 3_600_000, policy)) continue;
      links.push({ a: a.id, b: b.id, relation });
      for (const [x, y] of [
        [a.id, b.id],
        [b.id, a.id],
      ] as const) {
        if (!linked.has(x)) linked.set(x, new Set());
        linked.get(x)!.add(y);
      }
    }

  const roundups = new Set<string>(stories.filter((n) => n.roundup).map((n) => n.id));
  for (const [x, around] of linked) {
    if (roundups.has(x)) continue;
    if (around.size < 2) continue;
    const near = [...around].sort();
    const fx = facts.get(x)!;
    search: for (let i = 0; i < near.length; i++)
      for (let j = i + 1; j < near.length; j++) {
        const a = near[i]!;
        const b = near[j]!;
        if (linked.get(a)?.has(b)) continue;
        const withA = intersect(fx, facts.get(a)!);
        const withB = intersect(fx, facts.get(b)!);
        const both = intersect(withA, withB).length;
        if (both <= Math.floor(policy.roundupOverlap * Math.min(withA.length, withB.length))) {
          roundups.add(x);
          break search;
        }
      }
  }

  const kept = links
    .filter((l) => !roundups.has(l.a) && !roundups.has(l.b))
    .sort(
      (p, q) => q.relation.evidence - p.relation.evidence || (pairKey(p.a, p.b) < pairKey(q.a, q.b) ? -1 : 1),
    );
  const joined = constraints.joined.filter(([a, b]) => byId.has(a) && byId.has(b));
  const uf = new UnionFind();
  const groupOf = new Map<string, Set<string>>();
  const membersOf = (root: string) => groupOf.get(root) ?? new Set([root]);
  // An editor's join overrides the series verdict, never an editor's "not this story".
  const mayJoin = (a: string, b: string, byEditor: boolean) => {
    const ga = membersOf(uf.find(a));
    const gb = membersOf(uf.find(b));
    for (const x of ga)
      for (const y of gb)
        if ((!byEditor && series.has(pairKey(x, y))) || constraints.blocked(x, y)) return false;
    return true;
  };
  const join = (a: string, b: string, byEditor = false) => {
    const ra = uf.find(a);
    const rb = uf.find(b);
    if (ra === rb || !mayJoin(a, b, byEditor)) return;
    const all = new Set([...membersOf(ra), ...membersOf(rb)]);
    uf.union(a, b);
    groupOf.delete(ra);
    groupOf.delete(rb);
    groupOf.set(uf.find(a), all);
  };
  // Editors' joins come first: the automatic links fill in around them.
  for (const [a, b] of joined) join(a, b, true);
  for (const l of kept) if (!constraints.blocked(l.a, l.b)) join(l.a, l.b);

  for (const n of nodes) {
    if (!n.container) continue;
    // What it quotes (the dedup stage's `contains`) and what its facts link it to must
    // all be at hand and tell one story: a digest's other items tell others. Its links
    // only place it; they never join the stories it merely quotes.
    const quoted = [...new Set(n.quotes)];
    if (!quoted.length || quoted.some((q) => !byId.has(q) || byId.get(q)!.container)) continue;
    const told = new Set(quoted);
    for (const s of stories) {
      // A roundup tells no story of its own.
      if (roundups.has(s.id)) continue;
      const r = relateStories(n.profile, s.profile);
      if (isStoryLink(r, Math.abs(n.at - s.at) / 3_600_000, policy)) told.add(s.id);
    }
    const roots = new Set([...told].map((q) => uf.find(q)));
    if (told.size >= 2 && roots.size === 1) join(n.id, quoted[0]!);
  }

  const groups = new Map<string, string[]>();
  for (const n of nodes) {
    const r = uf.find(n.id);
    groups.set(r, [...(groups.get(r) ?? []), n.id]);
  }
  return {
    groups: [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort()),
    series,
    roundups,
  };
}
