/** `wiresift bench bodies`: what articles.compressBodies saves, on bodies like those stored. */
import { describe, expect, it } from 'vitest';
import { benchBodies } from '../../src/bench/body-bench.js';
import { sharedDir } from '../../src/bench/shared-data.js';

describe('bench bodies', () => {
  it.skipIf(!sharedDir())(
    'compresses the wire copies and the longer real-page texts, each round-tripped',
    () => {
      const r = benchBodies(1);
      expect(r.sets.map((s) => s.set)).toEqual([
        'dev corpus (wire copies)',
        'real pages (readability-pages, news + other)',
      ]);
      const [wire, pages] = r.sets;
      // DEFLATE needs text to find repeats in: the longer texts shrink more
      expect(wire!.ratio).toBeGreaterThan(1.3);
      expect(pages!.ratio).toBeGreaterThan(wire!.ratio);
      expect(wire!.storedAvgBytes).toBeLessThan(wire!.avgBytes);
      for (const s of r.sets) expect(s.encodeUsPerBody.median).toBeGreaterThan(0);
    },
  );

  it.skipIf(sharedDir() !== null)('says it measured nothing without the shared corpora', () => {
    expect(benchBodies(1)).toMatchObject({ sets: [], note: expect.stringMatching(/no \.\.\/shared/) });
  });
});
