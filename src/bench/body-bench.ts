import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBody, encodeBody } from '../store/body-codec.js';
import { sharedDir } from './shared-data.js';
import { type Spread, spreadOf } from './spread.js';

export type BodySetFigures = {
  set: string;
  bodies: number;
  avgBytes: number;
  /** Plain bytes over stored bytes, all bodies of the set together. */
  ratio: number;
  storedAvgBytes: number;
  /** Bodies left plain (too short, or DEFLATE did not shrink them). */
  leftPlain: number;
  encodeUsPerBody: Spread;
  decodeUsPerBody: Spread;
};

export type BodyBenchResult = { rounds: number; sets: BodySetFigures[]; note?: string };

/**
 * Bodies like those a deployment stores: the dev corpus's wire copies
 * (short) and the expected texts of the real pages (longer: features, blogs, docs).
 */
function bodySets(): { sets: [string, string[]][]; note?: string } {
  const shared = sharedDir();
  // Generated pseudo-words would compress unlike any language: no stand-in.
  if (!shared)
    return {
      sets: [],
      note: 'no ../shared (or WIRESIFT_SHARED): nothing measured, the bodies come from there',
    };
  const truth = JSON.parse(readFileSync(join(shared, 'corpus', 'dev', 'truth.json'), 'utf8')) as {
    pages: Record<string, { body: string }>;
  };
  const cases = JSON.parse(
    readFileSync(join(shared, 'bench', 'extraction', 'readability-pages', 'cases.json'), 'utf8'),
  ) as { expectText: string; kind: string }[];
  return {
    sets: [
      ['dev corpus (wire copies)', Object.values(truth.pages).map((p) => p.body)],
      [
        'real pages (readability-pages, news + other)',
        cases.filter((c) => c.kind !== 'synthetic').map((c) => c.expectText),
      ],
    ],
  };
}

function timeUs(n: number, fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

/** `wiresift bench bodies`: what articles.compressBodies saves and costs, per body, in rounds. */
export function benchBodies(rounds = 15): BodyBenchResult {
  const { sets, note } = bodySets();
  const out: BodySetFigures[] = [];
  for (const [set, raw] of sets) {
    const bodies = raw.filter((b) => b.length > 0);
    const stored = bodies.map((b) => encodeBody(b, true));
    for (let i = 0; i < bodies.length; i++)
      if (decodeBody(Buffer.from(stored[i]!)) !== bodies[i])
        throw new Error(`bench: body ${i} of ${set} did not round-trip`);
    const enc: number[] = [];
    const dec: number[] = [];
    const asRead = stored.map((s) => Buffer.from(s));
    // warm-up, then encode and decode rounds interleaved so drift hits both alike
    for (let r = -2; r < rounds; r++) {
      const e = timeUs(bodies.length, () => {
        for (const b of bodies) encodeBody(b, true);
      });
      const d = timeUs(bodies.length, () => {
        for (const s of asRead) decodeBody(s);
      });
      if (r >= 0) {
        enc.push(e);
        dec.push(d);
      }
    }
    const plainBytes = bodies.reduce((a, b) => a + Buffer.byteLength(b), 0);
    const storedBytes = stored.reduce(
      (a, s) => a + (typeof s === 'string' ? Buffer.byteLength(s) : s.length),
      0,
    );
    out.push({
      set,
      bodies: bodies.length,
      avgBytes: Math.round(plainBytes / bodies.length),
      ratio: Math.round((plainBytes / storedBytes) * 100) / 100,
      storedAvgBytes: Math.round(storedBytes / bodies.length),
      leftPlain: stored.filter((s) => typeof s === 'string').length,
      encodeUsPerBody: spreadOf(enc),
      decodeUsPerBody: spreadOf(dec),
    });
  }
  return { rounds, sets: out, ...(note ? { note } : {}) };
}
