import { type DedupPolicy, type DocSketch, type Link, linkOf, relate } from './policy.js';

/**
 * A page as the clustering policy sees it. `container` marks a page already
 * found to be a container (with what it was found to quote): the evidence for
 * that only grows as pages arrive, so a neighbourhood that lacks it does not
 * revoke it.
 */
export type PolicyPage = {
  id: string;
  sketch: DocSketch;
  container?: boolean;
  quotes?: string[];
  /** Pages of other groups seen inside it earlier (the evidence a container needs, kept across arrivals). */
  inside?: string[];
  /**
   * Seen without the rest of its cluster: it counts as evidence (a quote of a
   * container) but is not placed, since its cluster is not all here.
   */
  frozen?: boolean;
};

/** Pages kept as evidence per page (the most recent). */
const MAX_INSIDE = 8;

export type MemberKind = 'article' | 'container';

/** Why a page is where it is: the member it matched and the measure. */
export type JoinReason = { match: string; measure: 'jaccard' | 'containment'; value: number };

export type Placement = {
  /** Groups of page ids (each a cluster), every page in exactly one, in a canonical order. */
  groups: string[][];
  kind: Map<string, MemberKind>;
  /** For each container, the ids of the pages of other groups it quotes. */
  contains: Map<string, string[]>;
  /** For each non-container: the quote-like pages of other groups inside it (its `inside` evidence). */
  inside: Map<string, string[]>;
  /** For each page that joined a group through another page. */
  via: Map<string, JoinReason>;
};

type Pair = { link: Link };

/**
 * The clustering policy over a set of pages, as one function of the set: the
 * same pages give the same groups whatever order they came in, so the online
 * index can re-run it over the neighbourhood of each newcomer.
 *
 * 1. Containers. A page that holds two (or more) other pages, each mostly
 *    inside it, which are not copies of each other and cover disjoint parts of
 *    it (their shared signature positions with it hardly overlap), quotes
 *    several stories: a digest, live page, gallery or roundup. It is its own
 *    item; it joins nothing and links nothing, and records what it quotes.
 * 2. Cores. Among the other pages, strong links (near-duplicates, or one text
 *    inside the other and a large part of it) join groups transitively:
 *    versions and full copies of one dispatch.
 * 3. Short copies. A page with no strong link, only inside other pages (one
 *    or two paragraphs of a dispatch), joins the single best group that
 *    contains it (the nearest: highest Jaccard) and merges nothing: being quoted by two
 *    stories is no evidence that they are one.
 * Editors' "not the same story" pairs (`blocked`) are never put together.
 */
export function placePages(
  pages: PolicyPage[],
  policy: DedupPolicy,
  blocked: (a: string, b: string) => boolean = () => false,
): Placement {
  const sorted = [...pages].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const n = sorted.length;
  const pairs: Pair[][] = Array.from({ length: n }, () => new Array<Pair>(n));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = sorted[i]!.sketch;
      const b = sorted[j]!.sketch;
      const r = relate(a, b);
      const link = linkOf(a, b, r, policy);
      pairs[i]![j] = { link };
      // Seen from j, a and b swap.
      pairs[j]![i] = { link: flip(link) };
    }
  }
  const linkAt = (i: number, j: number): Link => pairs[i]![j]!.link;

  const isStrong = (l: Link): l is Exclude<Link, { kind: 'none' }> =>
    l.kind === 'near-duplicate' || (l.kind === 'contained' && l.strong);
  /** Whether strong links join a to b through pages other than `avoid`. */
  const strongPath = (a: number, b: number, avoid: number): boolean => {
    const seen = new Set<number>([a, avoid]);
    const todo = [a];
    while (todo.length) {
      const x = todo.pop()!;
      for (let y = 0; y < n; y++) {
        if (seen.has(y) || !isStrong(linkAt(x, y))) continue;
        if (y === b) return true;
        seen.add(y);
        todo.push(y);
      }
    }
    return false;
  };

  // 1. Containers: pages made of disjoint parts of several unrelated texts.
  const isContainer = new Array<boolean>(n).fill(false);
  const quotes: number[][] = Array.from({ length: n }, () => []);
  const sourcesOf: number[][] = Array.from({ length: n }, () => []);
  for (let p = 0; p < n; p++) {
    const P = sorted[p]!.sketch;
    if (P.tokenCount < policy.minTokensForContainment && !sorted[p]!.container) continue;
    const sources: number[] = [];
    const parts = new Set<number>();
    let mostlyOne = false;
    for (let q = 0; q < n && !mostlyOne; q++) {
      if (q === p) continue;
      const r = relate(P, sorted[q]!.sketch);
      if (r.jaccard >= policy.jaccardThreshold || r.aInB >= policy.containerMaxShare) mostlyOne = true;
      else if (
        r.aInB < policy.containerMinShare ||
        sorted[q]!.sketch.tokenCount < policy.minTokensForContainment
      )
        continue;
      // Quoted text is verbatim: it keeps its figures and names. A shared page template does not.
      const fewKeys = sorted[q]!.sketch.keyCount < policy.minKeyTerms;
      // A quote: mostly inside the page, with its key terms.
      const quote =
        r.aInB <= policy.sourceMaxShare &&
        r.bInA >= policy.quoteContainment &&
        (fewKeys || r.keysBInA >= policy.quoteKeyContainment);
      // A part: each holds a good share of the other, and the key terms are shared at least as much as the text.
      const part =
        r.aInB >= policy.blendShare && r.bInA >= policy.blendShare && (fewKeys || r.keysBInA >= r.bInA);
      if (quote || part) sources.push(q);
      if (part && !quote) parts.add(q);
    }
    sourcesOf[p] = sources;
    let disjoint = false;
    let sourcesOfOne = false; // the sources it seemed made of are copies of one story
    for (let x = 0; x < sources.length && !disjoint && !mostlyOne; x++) {
      for (let y = x + 1; y < sources.length && !disjoint; y++) {
        const qa = sources[x]!;
        const qb = sources[y]!;
        if (linkAt(qa, qb).kind !== 'none') continue;
        // Parts of agencies' dispatches on one event share their quotes and figures with the
        // page: distinct beyond that is enough. Two quotes must be disjoint.
        const part = parts.has(qa) || parts.has(qb);
        const most = part ? policy.blendOverlap : policy.containerOverlap;
        if (sharedPositionsOverlap(P, sorted[qa]!.sketch, sorted[qb]!.sketch) > most) continue;
        // Two texts are two stories only if nothing else makes them copies of one: two heavy
        // rewrites of one dispatch, or two truncations of it, each holding part of a fuller
        // copy, are joined by a third copy.
        if (strongPath(qa, qb, p)) {
          sourcesOfOne = true;
          continue;
        }
        disjoint = true;
      }
    }
    // Once found, a container stays one (the pages that showed it may be out of
    // this neighbourhood), unless this neighbourhood shows it is mostly one text,
    // or that the texts it seemed made of are copies of one story.
    if ((disjoint || (sorted[p]!.container && !sourcesOfOne)) && !mostlyOne) {
      isContainer[p] = true;
      // What it quotes, for the record: every text mostly inside it.
      for (let q = 0; q < n; q++) {
        if (q !== p && relate(P, sorted[q]!.sketch).bInA >= policy.quoteContainment) quotes[p]!.push(q);
      }
    }
  }

  // 2. Cores: union-find over strong links between non-containers.
  const parent = Array.from({ length: n }, (_, i) => i);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const canJoin = (ra: number, rb: number): boolean => {
    for (const x of members[ra]!)
      for (const y of members[rb]!) if (blocked(sorted[x]!.id, sorted[y]!.id)) return false;
    return true;
  };
  const union = (a: number, b: number): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return true;
    if (!canJoin(ra, rb)) return false;
    const [keep, gone] = ra < rb ? [ra, rb] : [rb, ra];
    parent[gone] = keep;
    members[keep]!.push(...members[gone]!);
    members[gone] = [];
    return true;
  };
  const via = new Map<string, JoinReason>();
  const strongEdges: { i: number; j: number; score: number }[] = [];
  const placed = (i: number) => !isContainer[i] && !sorted[i]!.frozen;
  for (let i = 0; i < n; i++) {
    if (!placed(i)) continue;
    for (let j = i + 1; j < n; j++) {
      if (!placed(j)) continue;
      const l = linkAt(i, j);
      if (isStrong(l)) strongEdges.push({ i, j, score: l.jaccard });
    }
  }
  // Pages an editor split out (blocked with the most others) link last, so a
  // newcomer joins what is left of their old cluster rather than the odd one
  // out; then strongest links first.
  const blockedWith = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (blocked(sorted[i]!.id, sorted[j]!.id)) {
        blockedWith[i]!++;
        blockedWith[j]!++;
      }
  const late = (e: { i: number; j: number }) => Math.max(blockedWith[e.i]!, blockedWith[e.j]!);
  strongEdges.sort((x, y) => late(x) - late(y) || y.score - x.score || x.i - y.i || x.j - y.j);
  const hasStrong = new Array<boolean>(n).fill(false);
  for (const e of strongEdges) {
    if (!union(e.i, e.j)) continue;
    hasStrong[e.i] = true;
    hasStrong[e.j] = true;
  }

  // 3. Short copies: a group (a short copy and its own duplicates) every member
  // of which is only weakly inside another group joins the single best such
  // group, largest groups first so a copy inside a copy follows its host.
  const roots = [...Array(n).keys()].filter((i) => placed(i) && find(i) === i);
  const largest = (root: number) => Math.max(...members[root]!.map((m) => sorted[m]!.sketch.shingleCount));
  roots.sort((x, y) => largest(y) - largest(x) || x - y);
  for (const root of roots) {
    const group = [...members[root]!];
    // Best weak host of each member, per host group.
    const scores = new Map<
      number,
      { min: number; hosts: Map<number, { h: number; c: number; j: number }> }
    >();
    for (const m of group) {
      const perGroup = new Map<number, { h: number; c: number; j: number }>();
      for (let h = 0; h < n; h++) {
        if (!placed(h) || find(h) === find(m)) continue;
        const l = linkAt(m, h);
        if (l.kind !== 'contained' || l.inner !== 'a' || l.strong) continue;
        const g = find(h);
        const prev = perGroup.get(g);
        // Inside both a dispatch and a digest quoting it, a copy is closer (higher
        // Jaccard) to the dispatch: the best host is the nearest one that contains it.
        if (!prev || l.jaccard > prev.j || (l.jaccard === prev.j && l.containment > prev.c))
          perGroup.set(g, { h, c: l.containment, j: l.jaccard });
      }
      for (const [g, best] of perGroup) {
        const s = scores.get(g) ?? { min: Number.POSITIVE_INFINITY, hosts: new Map() };
        s.min = Math.min(s.min, best.j);
        s.hosts.set(m, best);
        scores.set(g, s);
      }
    }
    let target = -1;
    let targetScore = -1;
    for (const [g, s] of scores) {
      if (s.hosts.size !== group.length) continue;
      // Only short copies attach: a full-length text weakly inside another (two
      // agencies on one event share names, figures and a quote) is its own story.
      if (largest(root) > policy.shortCopyShare * largest(g)) continue;
      if (s.min > targetScore || (s.min === targetScore && g < target)) {
        if (!canJoin(find(root), g)) continue;
        target = g;
        targetScore = s.min;
      }
    }
    if (target < 0) continue;
    const hosts = scores.get(target)!.hosts;
    if (!union(root, target)) continue;
    for (const m of group) {
      const best = hosts.get(m)!;
      via.set(sorted[m]!.id, { match: sorted[best.h]!.id, measure: 'containment', value: best.c });
    }
  }

  // Why each core member is there: its strongest link inside its group.
  for (let i = 0; i < n; i++) {
    if (isContainer[i] || via.has(sorted[i]!.id)) continue;
    let best = -1;
    let bestJ = -1;
    for (let j = 0; j < n; j++) {
      if (j === i || isContainer[j] || find(j) !== find(i)) continue;
      const l = linkAt(i, j);
      if (isStrong(l) && l.jaccard > bestJ) {
        best = j;
        bestJ = l.jaccard;
      }
    }
    if (best >= 0) via.set(sorted[i]!.id, { match: sorted[best]!.id, measure: 'jaccard', value: bestJ });
  }

  const groups: string[][] = [];
  for (let i = 0; i < n; i++) {
    if (find(i) !== i) continue;
    groups.push(members[i]!.map((m) => sorted[m]!.id).sort());
  }
  groups.sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
  const kind = new Map<string, MemberKind>();
  const contains = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    kind.set(sorted[i]!.id, isContainer[i] ? 'container' : 'article');
    if (isContainer[i]) {
      const ids = new Set([
        ...(sorted[i]!.quotes ?? []),
        ...(sorted[i]!.inside ?? []),
        ...quotes[i]!.map((q) => sorted[q]!.id),
      ]);
      contains.set(sorted[i]!.id, [...ids].sort());
    }
  }
  // Evidence for later arrivals: quote-like pages of other groups inside each page.
  const inside = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    if (isContainer[i]) continue;
    const found = sourcesOf[i]!.filter((q) => find(q) !== find(i)).map((q) => sorted[q]!.id);
    const ids = [...new Set([...(sorted[i]!.inside ?? []), ...found])].sort().slice(-MAX_INSIDE);
    if (ids.length) inside.set(sorted[i]!.id, ids);
  }
  return { groups, kind, contains, via, inside };
}

function flip(l: Link): Link {
  return l.kind === 'contained' ? { ...l, inner: l.inner === 'a' ? 'b' : 'a' } : l;
}

/**
 * How much the parts of P that A and B share with it overlap: positions where
 * P's MinHash equals A's are (a sample of) P ∩ A, likewise for B, so the
 * overlap of the two position sets over the smaller estimates |P∩A∩B| /
 * min(|P∩A|, |P∩B|): near 1 when A and B quote the same paragraphs of P (two
 * truncations of one dispatch), near 0 when they quote different ones.
 */
function sharedPositionsOverlap(p: DocSketch, a: DocSketch, b: DocSketch): number {
  let inA = 0;
  let inB = 0;
  let inBoth = 0;
  const ps = p.signature;
  for (let i = 0; i < ps.length; i++) {
    const x = ps[i] === a.signature[i];
    const y = ps[i] === b.signature[i];
    if (x) inA++;
    if (y) inB++;
    if (x && y) inBoth++;
  }
  const smaller = Math.min(inA, inB);
  return smaller === 0 ? 1 : inBoth / smaller;
}

/** The placement function ClusterIndex is given (store/ holds storage, not policy). */
export type PlaceFn = (pages: PolicyPage[], blocked: (a: string, b: string) => boolean) => Placement;

export function placementFor(policy: DedupPolicy): PlaceFn {
  return (pages, blocked) => placePages(pages, policy, blocked);
}
