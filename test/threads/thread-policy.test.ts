import { describe, expect, it } from 'vitest';
import { relateStories } from '../../src/threads/story-links.js';
import { storyProfile } from '../../src/threads/story-profile.js';
import {
  DEFAULT_THREAD_POLICY,
  isSeries,
  placeThreads,
  type StoryNode,
  type ThreadConstraints,
} from '../../src/threads/thread-policy.js';
import { closes, digest, factoryFire, HOUR, landslide, T0 } from './fixtures.js';

const free: ThreadConstraints = { blocked: () => false, joined: [] };

function node(id: string, text: string, at: number, extra: Partial<StoryNode> = {}): StoryNode {
  return { id, profile: storyProfile(text), at, container: false, quotes: [], ...extra };
}

const day1 = node('c1', landslide.day1, T0);
const day2 = node('c2', landslide.day2, T0 + 26 * HOUR);
const english = node('c3', landslide.english, T0 + 2 * HOUR);
const fire = node('c4', factoryFire, T0 + 14 * HOUR);
const monday = node('c5', closes.monday, T0 - 16 * HOUR);
const tuesday = node('c6', closes.tuesday, T0 + 8 * HOUR);
const wednesday = node('c7', closes.wednesday, T0 + 32 * HOUR);

describe('story profiles', () => {
  it('keeps names and figures as normalize.ts writes them, so a translation shares them', () => {
    const r = relateStories(day1.profile, english.profile);
    // Vernasque, Peyrolles, Aude, Puech Agut, Hervé Castagnol, BRGM, Sylvie Monteil; 340 and 12 000 / 12,000.
    expect(r.names).toBeGreaterThanOrEqual(8);
    expect(r.figures).toBe(2);
  });

  it('skips calendar words, wire credits and the dateline', () => {
    const p = storyProfile(
      'PARIS, 3 mars 2026 (AFP) - Les élus ont voté lundi, a indiqué Reuters. The vote came on Monday in March, AFP said.',
    );
    const q = storyProfile(
      'PARIS (Reuters) - Le vote a eu lieu lundi. On Monday in March, AP and AFP said so.',
    );
    expect(relateStories(p, q).names).toBe(0);
  });
});

describe('placeThreads', () => {
  it('threads a story, its follow-up and its translation; leaves another story of the day alone', () => {
    const { groups } = placeThreads([day1, day2, english, fire], free);
    expect(groups).toEqual([['c1', 'c2', 'c3']]);
  });

  it('never threads a templated series, however many names its days share', () => {
    const r = relateStories(monday.profile, tuesday.profile);
    expect(r.names).toBeGreaterThan(5);
    expect(isSeries(r, DEFAULT_THREAD_POLICY)).toBe(true);
    const placed = placeThreads([monday, tuesday, wednesday], free);
    expect(placed.groups).toEqual([]);
    expect(placed.series.size).toBe(3);
  });

  it('a series pair stays apart even through a cluster linked to both', () => {
    // A weekly wrap names what every close names, in frames of its own: it links both days.
    const wrap = node(
      'c11',
      [
        'In a week dominated by the Velden Central Bank, Arvelian investors kept coming back to Korvane Mining and Ostra Lines.',
        'For Ilse Brandt of Meridian Capital, the Lumen 200 has priced in a pause; Brent crude hovered near its highs all week.',
      ].join('\n\n'),
      T0 + 40 * HOUR,
    );
    for (const day of [monday, tuesday]) {
      const r = relateStories(wrap.profile, day.profile);
      expect(isSeries(r, DEFAULT_THREAD_POLICY)).toBe(false);
      expect(r.evidence).toBeGreaterThanOrEqual(DEFAULT_THREAD_POLICY.strongEvidence);
    }
    const { groups } = placeThreads([monday, tuesday, wrap], free);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toContain('c11');
    expect(groups[0]).toHaveLength(2);
  });

  it('an update of one dispatch with revised figures is one story, not a series', () => {
    // The same text, two figures revised: the template and most facts are shared.
    const revised = landslide.day1.replaceAll('340', '410').replace('12 000', '15 000');
    const r = relateStories(day1.profile, storyProfile(revised));
    expect(r.substituted).toBeGreaterThanOrEqual(2);
    expect(r.templateShare).toBeGreaterThan(0.8);
    expect(isSeries(r, DEFAULT_THREAD_POLICY)).toBe(false);
    const update = node('c12', revised, T0 + 5 * HOUR);
    expect(placeThreads([day1, update], free).groups).toEqual([['c1', 'c12']]);
  });

  it("an editor's join overrides the series verdict", () => {
    const placed = placeThreads([monday, tuesday], { blocked: () => false, joined: [['c5', 'c6']] });
    expect(placed.groups).toEqual([['c5', 'c6']]);
  });

  it('a roundup that the dedup stage took for an article links nothing', () => {
    const roundup = node('c8', digest, T0 + 24 * HOUR);
    const placed = placeThreads([day1, fire, roundup], free);
    expect(placed.roundups).toEqual(new Set(['c8']));
    expect(placed.groups).toEqual([]);
    // With the follow-up there, the story is still threaded, without the roundup.
    expect(placeThreads([day1, day2, fire, roundup], free).groups).toEqual([['c1', 'c2']]);
  });

  it('a container joins a thread only when every story it quotes is in it', () => {
    const live = node('c9', digest, T0 + 5 * HOUR, { container: true, quotes: ['c1', 'c2'] });
    expect(placeThreads([day1, day2, live], free).groups).toEqual([['c1', 'c2', 'c9']]);
    const both = node('c9', digest, T0 + 5 * HOUR, { container: true, quotes: ['c1', 'c4'] });
    expect(placeThreads([day1, day2, fire, both], free).groups).toEqual([['c1', 'c2']]);
    // One quoted story whose facts also tell another: a digest, not placed.
    const one = node('c9', digest, T0 + 5 * HOUR, { container: true, quotes: ['c1'] });
    expect(placeThreads([day1, day2, fire, one], free).groups).toEqual([['c1', 'c2']]);
    // One quoted story, and its facts tell no other: a blend or live page of that story.
    const blend = node('c9', landslide.english, T0 + 5 * HOUR, { container: true, quotes: ['c1'] });
    expect(placeThreads([day1, day2, fire, blend], free).groups).toEqual([['c1', 'c2', 'c9']]);
    // A quoted story outside the neighbourhood read: not placed.
    const partial = node('c9', digest, T0 + 5 * HOUR, { container: true, quotes: ['c1', 'c2', 'c77'] });
    expect(placeThreads([day1, day2, partial], free).groups).toEqual([['c1', 'c2']]);
  });

  it('links only within the window, and weak evidence only within the short gap', () => {
    const late = { ...day2, at: T0 + DEFAULT_THREAD_POLICY.windowHours * HOUR + HOUR };
    expect(placeThreads([day1, late], free).groups).toEqual([]);
    const flash = node(
      'c10',
      "URGENT - Un glissement de terrain à Vernasque, dans l'Aude, force 340 habitants à partir.",
      T0,
    );
    expect(placeThreads([day1, flash], free).groups).toEqual([['c1', 'c10']]);
    const lateFlash = { ...flash, at: T0 + (DEFAULT_THREAD_POLICY.shortGapHours + 1) * HOUR };
    expect(placeThreads([day1, lateFlash], free).groups).toEqual([]);
  });

  it('honours editors: a blocked pair stays apart, a joined pair is one thread', () => {
    const blocked: ThreadConstraints = {
      blocked: (a, b) => [a, b].sort().join('|') === 'c1|c3',
      joined: [['c4', 'c1']],
    };
    const { groups } = placeThreads([day1, day2, english, fire], blocked);
    // c3 links c1 and c2; c1 and c3 may not share a thread, so c3 stays out of it.
    expect(groups).toEqual([['c1', 'c2', 'c4']]);
  });

  it('gives the same threads whatever the order of the clusters', () => {
    const all = [day1, day2, english, fire, monday, tuesday, wednesday, node('c8', digest, T0 + 24 * HOUR)];
    const expected = placeThreads(all, free).groups;
    for (let k = 1; k < 6; k++) {
      const shuffled = [...all].sort(
        (a, b) => ((a.id.charCodeAt(1) * k) % 7) - ((b.id.charCodeAt(1) * k) % 7),
      );
      expect(placeThreads(shuffled, free).groups).toEqual(expected);
    }
  });
});
