import { Worker } from 'node:worker_threads';
import { Minhash } from 'minhash';
import { MinHasher } from '../dedup/minhash.js';
import { tokenHashesForDedup, tokensForDedup } from '../dedup/normalize.js';
import { distinctShingles } from '../dedup/shingles.js';
import { sketchText } from '../dedup/sketch.js';

export type SignatureRateInput = { texts: string[]; k: number; numPerm: number };
export type SignatureRates = { tokenizeOnly: number; ours: number; pkg: number };

/**
 * Wall-clock time. Process CPU time would also count the garbage collector's
 * helper threads on the other core, which charges the allocation-heavy
 * baseline several times its real cost and flatters the ratio.
 */
function nowMs(): number {
  return performance.now();
}

/**
 * Rates of several passes (per second of wall-clock time) measured in
 * interleaved rounds, best round each: on a shared machine a burst of load
 * then hits every pass alike instead of skewing the one that ran during it.
 */
function ratesPerSecond(
  texts: string[],
  passes: ((t: string) => unknown)[],
  rounds = 7,
  roundMs = 250,
): number[] {
  for (const fn of passes) for (let i = 0; i < 20; i++) for (const t of texts) fn(t);
  const best = passes.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    passes.forEach((fn, p) => {
      let n = 0;
      const t0 = nowMs();
      do {
        for (const t of texts) fn(t);
        n += texts.length;
      } while (nowMs() - t0 < roundMs);
      best[p] = Math.max(best[p]!, n / ((nowMs() - t0) / 1000));
    });
  }
  return best;
}

/** Tokenise+hash only, our signatures, and the npm package, in this thread. */
export function measureSignatureRates({ texts, k, numPerm }: SignatureRateInput): SignatureRates {
  const hasher = new MinHasher({ numPerm, seed: 1 });
  const [tokenizeOnly, ours] = ratesPerSecond(texts, [
    (t) => {
      const { hashes, count } = tokenHashesForDedup(t);
      return distinctShingles(hashes, count, k);
    },
    (t) => sketchText(t, hasher, k),
  ]) as [number, number];
  // The package as its README shows it: one Minhash, update() per shingle
  // string, fed our normalised tokens and the same word k-shingles, so the
  // ratio compares the hashing, not the text cleaning. Measured on its own:
  // interleaved with our passes it ran slower than alone.
  const [pkg] = ratesPerSecond(texts, [
    (t) => {
      const tokens = tokensForDedup(t);
      const m = new Minhash({ numPerm, seed: 1 });
      for (let i = 0; i + k <= tokens.length; i++) m.update(tokens.slice(i, i + k).join(' '));
      return m;
    },
  ]) as [number];
  return { tokenizeOnly, ours, pkg };
}

/**
 * The same, in a worker thread whose module graph holds only the dedup code
 * and the package: nothing else the CLI loaded can change how V8 runs them.
 * (ioredis 6 did: it subclasses String, which slowed every string method call
 * in the process 2-5x, the package's more than ours.)
 */
export function measureSignatureRatesApart(input: SignatureRateInput): Promise<SignatureRates> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./signature-rates-worker.js', import.meta.url), { workerData: input });
    worker.once('message', (r: SignatureRates) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`bench: signature-rate worker exited with code ${code}`));
    });
  });
}
