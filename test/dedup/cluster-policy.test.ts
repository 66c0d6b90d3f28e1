import { describe, expect, it } from 'vitest';
import { type PolicyPage, placePages } from '../../src/dedup/cluster-policy.js';
import { DEFAULT_DEDUP_POLICY, DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE } from '../../src/dedup/defaults.js';
import { MinHasher } from '../../src/dedup/minhash.js';
import type { DedupPolicy } from '../../src/dedup/policy.js';
import { sketchText } from '../../src/dedup/sketch.js';
import {
  canonical,
  castOf,
  dispatch,
  goldGroups,
  join,
  lightEdit,
  type NewsroomPage,
  newsroom,
} from './support/newsroom.js';

const hasher = new MinHasher({ numPerm: DEFAULT_NUM_PERM, seed: 1 });
const all = newsroom();
const sketches = new Map(all.map((p) => [p.id, sketchText(p.text, hasher, DEFAULT_SHINGLE_SIZE)]));

function pagesOf(ids: string[]): PolicyPage[] {
  return ids.map((id) => {
    const sketch = sketches.get(id);
    if (!sketch) throw new Error(`no fixture page ${id}`);
    return { id, sketch };
  });
}
const subset = (pred: (p: NewsroomPage) => boolean) => all.filter(pred).map((p) => p.id);
const groupsOf = (ids: string[], policy: DedupPolicy = DEFAULT_DEDUP_POLICY) =>
  canonical(placePages(pagesOf(ids), policy).groups);
const goldOf = (ids: string[]) => goldGroups(all.filter((p) => ids.includes(p.id)));

describe('clustering policy (placePages)', () => {
  it('places a whole day of newsroom traffic as an editor files it', () => {
    const ids = all.map((p) => p.id);
    const placement = placePages(pagesOf(ids), DEFAULT_DEDUP_POLICY);
    expect(canonical(placement.groups)).toEqual(goldGroups(all));
    const containers = [...placement.kind].filter(([, k]) => k === 'container').map(([id]) => id);
    expect(containers.sort()).toEqual(['blend', 'digest', 'live']);
  });

  it("makes an outlet's blend of two agencies' paragraphs its own item, a copy of neither", () => {
    const ids = subset((p) => ['afp', 'reuters', 'blend'].includes(p.story));
    const placement = placePages(pagesOf(ids), DEFAULT_DEDUP_POLICY);
    expect(canonical(placement.groups)).toEqual(goldOf(ids));
    expect(placement.kind.get('blend')).toBe('container');
    // the control: without parts (blendShare 1) the blend joins one agency's cluster
    const noParts = placePages(pagesOf(ids), { ...DEFAULT_DEDUP_POLICY, blendShare: 1 });
    expect(canonical(noParts.groups)).not.toEqual(goldOf(ids));
  });

  it('makes a digest its own item that records what it quotes, and never lets it bridge the stories', () => {
    const ids = subset((p) => /^s\d/.test(p.id) || p.id === 'digest');
    const placement = placePages(pagesOf(ids), DEFAULT_DEDUP_POLICY);
    expect(canonical(placement.groups)).toEqual(goldOf(ids));
    expect(placement.kind.get('digest')).toBe('container');
    const quoted = new Set((placement.contains.get('digest') ?? []).map((id) => id.split('-')[0]));
    expect([...quoted].sort()).toEqual(['s0', 's1', 's2', 's3']);
    // the short copies are wholly inside the digest, yet each joins its own dispatch
    for (let i = 0; i < 4; i++)
      expect(placement.via.get(`s${i}-short`)?.match).toMatch(new RegExp(`^s${i}-`));
  });

  it('makes a live page quoting two dispatches of one event a container, not a copy of either', () => {
    const ids = subset((p) => p.id.startsWith('ev') || p.id === 'live');
    const placement = placePages(pagesOf(ids), DEFAULT_DEDUP_POLICY);
    expect(canonical(placement.groups)).toEqual(goldOf(ids));
    expect(placement.kind.get('live')).toBe('container');
  });

  it('lets a short copy inside two dispatches join the best one and merge nothing', () => {
    const ids = subset((p) => p.story === 'afp' || p.story === 'reuters');
    const placement = placePages(pagesOf(ids), DEFAULT_DEDUP_POLICY);
    expect(canonical(placement.groups)).toEqual(goldOf(ids));
    expect(placement.via.get('afp-quote')!.match).toMatch(/^afp/);
  });

  it('keeps the days of a templated series apart: the figures and the day are the news', () => {
    const ids = subset((p) => p.id.startsWith('close'));
    expect(groupsOf(ids)).toEqual(goldOf(ids));
    // the control: without the key-term test the shared template glues the days together
    expect(groupsOf(ids, { ...DEFAULT_DEDUP_POLICY, keyContainmentThreshold: 0 }).length).toBeLessThan(3);
  });

  it('keeps briefs that share only their page template apart, and finds each one elsewhere', () => {
    const ids = subset((p) => p.id.startsWith('brief'));
    expect(groupsOf(ids)).toEqual(goldOf(ids));
    expect(groupsOf(ids, { ...DEFAULT_DEDUP_POLICY, keyContainmentThreshold: 0 }).length).toBeLessThan(4);
  });

  it('keeps the versions of one dispatch together, the flash and the next-day follow-up (and its recap) apart', () => {
    const ids = subset((p) => ['chain', 'flash', 'followup'].includes(p.story));
    expect(groupsOf(ids)).toEqual(goldOf(ids));
  });

  it('keeps a heavy local rewrite (three paragraphs of its own, half the dispatch cut) with the dispatch', () => {
    const ids = ['full', 'full-copy', 'local'];
    expect(groupsOf(ids)).toEqual([ids]);
  });

  it('never puts a pair an editor blocked together, and keeps the rest of their cluster together', () => {
    const ids = ['full', 'full-copy', 'updated', 'updated-copy'];
    const blocked = (a: string, b: string) => [a, b].sort().join('|') === 'full|updated';
    const groups = canonical(placePages(pagesOf(ids), DEFAULT_DEDUP_POLICY, blocked).groups);
    for (const g of groups) expect(g.includes('full') && g.includes('updated')).toBe(false);
  });

  it('gives the same groups whatever order the pages come in', () => {
    const ids = all.map((p) => p.id);
    const expected = groupsOf(ids);
    for (let seed = 1; seed <= 5; seed++) {
      const shuffled = [...ids].sort(
        (a, b) => ((hash(a) ^ (seed * 0x9e3779b1)) >>> 0) - ((hash(b) ^ (seed * 0x9e3779b1)) >>> 0),
      );
      expect(groupsOf(shuffled)).toEqual(expected);
    }
  });
});

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

describe('parts of one story are not a blend', () => {
  // One dispatch; two heavy local rewrites, each an intro of the outlet's own (about the same
  // people) and half of the dispatch; a fuller copy that holds both halves; and two truncated
  // copies that join the rewrites to each other.
  const cast = castOf(800);
  const d = dispatch(800, 10, cast);
  const intro = (seed: number) => dispatch(seed, 3, cast);
  const texts: Record<string, string> = {
    fuller: join([...intro(801), ...intro(806).slice(0, 1), ...d]),
    'rewrite-a': lightEdit(join([...intro(802).slice(0, 2), ...d.slice(0, 5)]), 803, 0.02),
    'rewrite-b': lightEdit(join([...intro(804).slice(0, 2), ...d.slice(5)]), 805, 0.02),
    'trunc-1': join(d.slice(0, 6)),
    'trunc-2': join(d.slice(2, 8)),
    'trunc-3': join(d.slice(4)),
  };
  const pages = (ids: string[], stale: string[] = []): PolicyPage[] =>
    ids.map((id) => ({
      id,
      sketch: sketchText(texts[id]!, hasher, DEFAULT_SHINGLE_SIZE),
      ...(stale.includes(id) ? { container: true } : {}),
    }));
  const all = Object.keys(texts);

  it('keeps a fuller copy with the rewrites it holds when other copies join them', () => {
    const placement = placePages(pages(all), DEFAULT_DEDUP_POLICY);
    expect(canonical(placement.groups)).toEqual([all.slice().sort()]);
    expect(placement.kind.get('fuller')).toBe('article');
  });

  it('takes back an earlier "blend" verdict once the neighbourhood shows the parts are one story', () => {
    // the control: with only the two rewrites beside it, the fuller copy looks made of two texts
    const alone = placePages(pages(['fuller', 'rewrite-a', 'rewrite-b']), DEFAULT_DEDUP_POLICY);
    expect(alone.kind.get('fuller')).toBe('container');
    // the copies that join the rewrites arrive later: the stored verdict does not stick
    const later = placePages(pages(all, ['fuller']), DEFAULT_DEDUP_POLICY);
    expect(later.kind.get('fuller')).toBe('article');
    expect(canonical(later.groups)).toEqual([all.slice().sort()]);
  });
});
