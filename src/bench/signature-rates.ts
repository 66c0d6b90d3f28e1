import type { Worker } from 'node:worker_threads';
import { Minhash } from 'minhash';
import { DEFAULT_SEED } from '../dedup/defaults.js';
import { MinHasher } from '../dedup/minhash.js';
import { tokenHashesForDedup, tokensForDedup } from '../dedup/normalize.js';
import { distinctShingles } from '../dedup/shingles.js';
import { sketchText } from '../dedup/sketch.js';
import { startModuleWorker } from '../module-worker/module-worker.js';
import { rotated } from './spread.js';
import { TypedArrayMinHash } from './typed-array-minhash.js';

export const SIGNATURE_CONTENDERS = [
  'tokenizeOnly',
  'ours',
  'minhashPkg',
  'oursMinhashStep',
  'typedArrayMinhashStep',
] as const;
export type SignatureContender = (typeof SIGNATURE_CONTENDERS)[number];

export type SignatureRateInput = {
  sets: { name: string; texts: string[] }[];
  k: number;
  numPerm: number;
  rounds: number;
  roundMs: number;
};
export type SetRates = {
  name: string;
  docs: number;
  meanWords: number;
  meanShingles: number;
  /** Signatures per second of wall-clock time, one sample per round. */
  rounds: Record<SignatureContender, number[]>;
};

function shingleHashes(text: string, k: number): Uint32Array {
  const { hashes, count } = tokenHashesForDedup(text);
  const s = distinctShingles(hashes, count, k);
  return s.values.slice(0, s.count);
}

/**
 * One pass of each contender over a whole set. The first three go from text
 * to signature; the last two from the same precomputed shingle hashes to a
 * signature, so they time the MinHash step alone on identical inputs.
 */
function passesFor(texts: string[], k: number, numPerm: number): Record<SignatureContender, () => void> {
  const hasher = new MinHasher({ numPerm, seed: DEFAULT_SEED });
  const plain = new TypedArrayMinHash({ numPerm, seed: DEFAULT_SEED });
  const shingles = texts.map((t) => shingleHashes(t, k));
  // biome-ignore lint/correctness/noUnusedVariables: written, never read: every result feeds it so no pass is dead code
  let sink = 0;
  const keep = (sig: Uint32Array) => {
    sink ^= sig[0]!;
  };
  return {
    tokenizeOnly: () => {
      for (const t of texts) {
        const { hashes, count } = tokenHashesForDedup(t);
        sink ^= distinctShingles(hashes, count, k).count;
      }
    },
    ours: () => {
      for (const t of texts) keep(sketchText(t, hasher, k).signature);
    },
    // The package as its README shows it: one Minhash, update() per shingle
    // string, fed our normalised tokens and the same word k-shingles, so the
    // ratio compares the hashing, not the text cleaning.
    minhashPkg: () => {
      for (const t of texts) {
        const tokens = tokensForDedup(t);
        const m = new Minhash({ numPerm, seed: DEFAULT_SEED });
        for (let i = 0; i + k <= tokens.length; i++) m.update(tokens.slice(i, i + k).join(' '));
        sink ^= m.hashvalues[0] ?? 0;
      }
    },
    oursMinhashStep: () => {
      for (const s of shingles) keep(hasher.signature(s));
    },
    typedArrayMinhashStep: () => {
      for (const s of shingles) keep(plain.signature(s));
    },
  };
}

/**
 * Rates of every contender, per second of wall-clock time (process CPU time
 * would also count the garbage collector's helper threads on the other core,
 * charging the allocation-heavy package several times its real cost), in
 * interleaved rounds: each round runs every contender for roundMs, in an
 * order rotated from round to round, so a burst of load on the shared machine
 * or one contender's garbage hits all of them alike.
 */
function setRates(name: string, texts: string[], input: SignatureRateInput): SetRates {
  const passes = passesFor(texts, input.k, input.numPerm);
  const rounds = Object.fromEntries(SIGNATURE_CONTENDERS.map((c) => [c, [] as number[]])) as Record<
    SignatureContender,
    number[]
  >;
  for (const c of SIGNATURE_CONTENDERS) {
    const t0 = performance.now();
    do passes[c]();
    while (performance.now() - t0 < input.roundMs);
  }
  for (let r = 0; r < input.rounds; r++) {
    for (const c of rotated(SIGNATURE_CONTENDERS, r)) {
      let n = 0;
      const t0 = performance.now();
      do {
        passes[c]();
        n += texts.length;
      } while (performance.now() - t0 < input.roundMs);
      rounds[c].push(n / ((performance.now() - t0) / 1000));
    }
  }
  const words = texts.reduce((s, t) => s + tokensForDedup(t).length, 0);
  const shingles = texts.reduce((s, t) => s + shingleHashes(t, input.k).length, 0);
  return {
    name,
    docs: texts.length,
    meanWords: Math.round(words / texts.length),
    meanShingles: Math.round(shingles / texts.length),
    rounds,
  };
}

/** Every set, one after the other, in this thread. */
export function measureSignatureRates(input: SignatureRateInput): SetRates[] {
  return input.sets.map((s) => setRates(s.name, s.texts, input));
}

/**
 * The same, in a worker thread whose module graph holds only the dedup code
 * and the package: nothing else the CLI loaded can change how V8 runs them.
 * (ioredis 6 did: it subclasses String, which slowed every string method call
 * in the process 2-5x, the package's more than ours.)
 */
export function measureSignatureRatesApart(input: SignatureRateInput): Promise<SetRates[]> {
  return new Promise((resolve, reject) => {
    const worker: Worker = startModuleWorker(import.meta.url, 'signature-rates-worker', {
      workerData: input,
    });
    worker.once('message', (r: SetRates[]) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`bench: signature-rate worker exited with code ${code}`));
    });
  });
}
