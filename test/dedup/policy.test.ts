import { describe, expect, it } from 'vitest';
import { DEFAULT_DEDUP_POLICY, DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE } from '../../src/dedup/defaults.js';
import { MinHasher } from '../../src/dedup/minhash.js';
import { normalizeForDedup, tokenize } from '../../src/dedup/normalize.js';
import { type DocSketch, isSameStory } from '../../src/dedup/policy.js';
import { sketchText } from '../../src/dedup/sketch.js';
import { FORGES_CLOSURE_TEXT, FORGES_FLASH, FORGES_SHORT_COPY, FORGES_TAKEOVER_TEXT } from './fixtures.js';

const policy = DEFAULT_DEDUP_POLICY;
// Several seeds, so a verdict that holds only by luck of one hash family fails.
const hashers = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => new MinHasher({ numPerm: DEFAULT_NUM_PERM, seed }));
const sketch = (text: string, hasher: MinHasher) => sketchText(text, hasher, DEFAULT_SHINGLE_SIZE);

describe('isSameStory', () => {
  it('joins a two-paragraph copy of a ten-paragraph dispatch (containment)', () => {
    for (const h of hashers) {
      const verdict = isSameStory(sketch(FORGES_SHORT_COPY, h), sketch(FORGES_CLOSURE_TEXT, h), policy);
      expect(verdict.same, verdict.reason).toBe(true);
      expect(verdict.jaccard).toBeLessThan(policy.jaccardThreshold);
      expect(verdict.reason).toMatch(/^containment/);
    }
  });

  it('keeps a 35-word flash apart from the long dispatch that repeats it', () => {
    expect(FORGES_FLASH.split(/\s+/).length).toBe(35);
    let containment = 0;
    for (const h of hashers) {
      const verdict = isSameStory(sketch(FORGES_FLASH, h), sketch(FORGES_CLOSURE_TEXT, h), policy);
      expect(verdict.same, verdict.reason).toBe(false);
      containment += verdict.containment;
    }
    // it is contained: only the token floor keeps it out
    expect(containment / hashers.length).toBeGreaterThan(policy.containmentThreshold);
  });

  it('keeps apart two dispatches that share names and places', () => {
    for (const h of hashers) {
      const other = sketch(FORGES_TAKEOVER_TEXT, h);
      for (const text of [FORGES_CLOSURE_TEXT, FORGES_SHORT_COPY]) {
        const verdict = isSameStory(other, sketch(text, h), policy);
        expect(verdict.same, verdict.reason).toBe(false);
      }
    }
  });

  it('joins an identical copy by Jaccard, even when short', () => {
    const h = hashers[0]!;
    const verdict = isSameStory(sketch(FORGES_FLASH, h), sketch(FORGES_FLASH.replace(/'/g, '’'), h), policy);
    expect(verdict).toMatchObject({ same: true, jaccard: 1 });
  });

  it('is symmetric', () => {
    const h = hashers[0]!;
    const texts = [FORGES_CLOSURE_TEXT, FORGES_SHORT_COPY, FORGES_FLASH, FORGES_TAKEOVER_TEXT];
    for (const a of texts)
      for (const b of texts) {
        expect(isSameStory(sketch(a, h), sketch(b, h), policy)).toEqual(
          isSameStory(sketch(b, h), sketch(a, h), policy),
        );
      }
  });

  it('never matches an empty text', () => {
    const h = hashers[0]!;
    const empty = sketch(' … ', h);
    expect(empty.shingleCount).toBe(0);
    expect(isSameStory(empty, sketch(' — ', h), policy).same).toBe(false);
  });

  it('applies the token floor to the shorter copy only', () => {
    const sig = new Uint32Array(8);
    const a: DocSketch = {
      signature: sig,
      shingleCount: 100,
      tokenCount: 103,
      keys: new Uint16Array(0),
      keyCount: 0,
    };
    const b: DocSketch = {
      signature: Uint32Array.from([1, 2, 3, 4, 0, 0, 0, 0]),
      shingleCount: 10,
      tokenCount: 13,
      keys: new Uint16Array(0),
      keyCount: 0,
    };
    // J = 0.5 here, so Jaccard alone decides regardless of the floor
    expect(isSameStory(a, b, { ...policy, jaccardThreshold: 0.4 }).same).toBe(true);
    expect(isSameStory(a, b, { ...policy, jaccardThreshold: 0.9, minTokensForContainment: 14 }).same).toBe(
      false,
    );
    expect(isSameStory(a, b, { ...policy, jaccardThreshold: 0.9, minTokensForContainment: 13 }).same).toBe(
      true,
    );
  });
});

describe('sketchText', () => {
  it('reports token and shingle counts with the signature', () => {
    const h = hashers[0]!;
    const s = sketch(FORGES_CLOSURE_TEXT, h);
    const tokens = tokenize(normalizeForDedup(FORGES_CLOSURE_TEXT));
    expect(s.tokenCount).toBe(tokens.length);
    expect(s.shingleCount).toBeGreaterThan(tokens.length * 0.9);
    expect(s.shingleCount).toBeLessThanOrEqual(tokens.length - DEFAULT_SHINGLE_SIZE + 1);
    expect(s.signature).toHaveLength(DEFAULT_NUM_PERM);
  });
});
