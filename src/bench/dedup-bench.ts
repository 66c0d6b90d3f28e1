import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { dedupPolicyFrom } from '../app/context.js';
import type { Config } from '../config.js';
import { placementFor } from '../dedup/cluster-policy.js';
import { DEFAULT_SEED } from '../dedup/defaults.js';
import { optimalLshParams } from '../dedup/lsh-params.js';
import { MinHasher } from '../dedup/minhash.js';
import { INDEX_SKETCH, sketchText } from '../dedup/sketch.js';
import { ClusterIndex } from '../store/cluster-index.js';
import { dropKeys } from '../store/key-scan.js';
import { keysFor } from '../store/keys.js';
import { prng } from './prng.js';
import { sharedDir } from './shared-data.js';
import {
  measureSignatureRatesApart,
  type SetRates,
  SIGNATURE_CONTENDERS,
  type SignatureContender,
} from './signature-rates.js';
import { ratiosOf, type Spread, spreadOf } from './spread.js';

export type DedupBenchResult = {
  /** The first fields are the 600-word set's (medians over rounds), as before the sets were added. */
  docs: number;
  oursPerSec: number;
  minhashPkgPerSec: number;
  tokenizeOnlyPerSec: number;
  ratioVsMinhash: number;
  shareOfTokenizeLimit: number;
  /** The MinHash step alone, on the same shingle hashes: ours vs the typed-array baseline. */
  minhashStepPerSec: number;
  typedArrayMinhashStepPerSec: number;
  minhashStepRatioVsTypedArray: number;
  lshRedisInsertQueryPerSec: number;
  redisBytesPerArticle: number;
  rounds: number;
  roundMs: number;
  sets: { longTexts: SignatureSetResult; devBodies: SignatureSetResult | { skipped: string } };
};

export type SignatureSetResult = {
  docs: number;
  meanWords: number;
  meanShingles: number;
  /** Signatures per second: median and range over the interleaved rounds. */
  perSec: Record<SignatureContender, Spread>;
  /** Round by round, each ratio of two contenders measured in the same round. */
  ratios: { oursVsMinhashPkg: Spread; minhashStepVsTypedArray: Spread; shareOfTokenizeLimit: Spread };
};

export type DedupBenchOptions = {
  articles?: number;
  rounds?: number;
  roundMs?: number;
  /** Where the shared corpora are; null measures without them. Default: sharedDir(). */
  shared?: string | null;
};

const WORDS = 600;
const FALLBACK: Record<'fr' | 'en', string> = {
  fr: "La préfecture a indiqué mardi qu'une cellule de crise serait réunie dès le lendemain avec les élus, la direction de l'usine et les représentants du personnel, afin d'étudier les pistes de reprise du site.",
  en: 'The company said on Tuesday it would cut its full-year forecast after freight rates fell faster than expected, and that it would suspend its dividend to protect the balance sheet while it reviews its fleet.',
};

/** The dev corpus's article bodies (short texts, 37 to 550 words), or null when it is absent. */
function devBodies(shared: string | null): { lang: string; body: string }[] | null {
  const truthPath = shared ? join(shared, 'corpus', 'dev', 'truth.json') : '';
  if (!truthPath || !existsSync(truthPath)) return null;
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as {
    pages: Record<string, { lang: string; body: string }>;
  };
  return Object.values(truth.pages);
}

/** ~600-word French and English texts: corpus bodies end to end when given, else our own paragraphs. */
function longTexts(pages: { lang: string; body: string }[] | null): string[] {
  const bodies: Record<string, string[]> = { fr: [], en: [] };
  for (const p of pages ?? []) bodies[p.lang]?.push(p.body);
  return (['fr', 'en'] as const).map((lang) => {
    let words: string[] = [];
    const pool = bodies[lang] ?? [];
    for (let i = 0; words.length < WORDS; i++) {
      words = words.concat((pool[i] ?? `${FALLBACK[lang]} (${i})`).split(/\s+/));
    }
    return words.slice(0, WORDS).join(' ');
  });
}

function setResult(rates: SetRates): SignatureSetResult {
  const r = rates.rounds;
  const perSec = Object.fromEntries(SIGNATURE_CONTENDERS.map((c) => [c, spreadOf(r[c], 0)])) as Record<
    SignatureContender,
    Spread
  >;
  return {
    docs: rates.docs,
    meanWords: rates.meanWords,
    meanShingles: rates.meanShingles,
    perSec,
    ratios: {
      oursVsMinhashPkg: spreadOf(ratiosOf(r.ours, r.minhashPkg)),
      minhashStepVsTypedArray: spreadOf(ratiosOf(r.oursMinhashStep, r.typedArrayMinhashStep)),
      shareOfTokenizeLimit: spreadOf(ratiosOf(r.ours, r.tokenizeOnly), 3),
    },
  };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/**
 * Stored articles shaped like a newsroom's: distinct stories (word sequences
 * drawn from the sample texts' vocabulary, so no two stories overlap beyond
 * chance) published in 1 to 4 lightly edited copies, some of them truncated.
 */
function benchArticles(texts: string[], count: number): string[] {
  const vocab = [...new Set(texts.join(' ').split(/\s+/))];
  const rand = prng(42);
  const pick = () => vocab[Math.floor(rand() * vocab.length)]!;
  const out: string[] = [];
  while (out.length < count) {
    const story = Array.from({ length: 150 + Math.floor(rand() * 450) }, pick);
    const copies = 1 + Math.floor(rand() * 4);
    for (let c = 0; c < copies && out.length < count; c++) {
      const edited = story.map((w) => (rand() < 0.03 ? pick() : w));
      out.push((c === 3 ? edited.slice(0, Math.ceil(edited.length / 3)) : edited).join(' '));
    }
  }
  return out;
}

/**
 * Signatures/s of our MinHasher vs the npm `minhash` package (fed the same
 * shingles as strings) vs tokenise+hash alone, and of our MinHash step alone
 * vs a plain typed-array MinHash on the same shingle hashes, on the 600-word
 * texts and on the dev corpus's bodies; then the Redis side: assign() round
 * trips per second and bytes per article from INFO memory.
 */
export async function benchDedup(
  config: Config,
  progress: (msg: string) => void,
  opts: DedupBenchOptions = {},
): Promise<DedupBenchResult> {
  const { articles = 10_000, rounds = 7, roundMs = 200 } = opts;
  const k = config.dedup.shingleSize;
  const numPerm = config.dedup.numPerm;
  const hasher = new MinHasher({ numPerm, seed: DEFAULT_SEED });
  const pages = devBodies(opts.shared === undefined ? sharedDir() : opts.shared);
  const texts = longTexts(pages);
  const sets = [{ name: 'longTexts', texts }];
  if (pages) sets.push({ name: 'devBodies', texts: pages.map((p) => p.body) });
  else
    progress(
      'bench dedup: no shared corpus (../shared or WIRESIFT_SHARED): the dev-corpus bodies are skipped, and the 600-word texts are our own paragraphs',
    );

  progress(
    `bench dedup: ${SIGNATURE_CONTENDERS.join(', ')} on ${sets.map((s) => `${s.name} (${s.texts.length} texts)`).join(' and ')}, ${rounds} interleaved rounds of ${roundMs} ms each (in a worker thread)`,
  );
  // In a worker thread that loads nothing but the code measured.
  const measured = await measureSignatureRatesApart({ sets, k, numPerm, rounds, roundMs });
  const [long, dev] = measured.map(setResult) as [SignatureSetResult, SignatureSetResult | undefined];

  progress(`bench dedup: Redis assign over ${articles} articles`);
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  const prefix = `wiresift-bench:${randomBytes(4).toString('hex')}:`;
  const keys = keysFor(prefix);
  const { bands, rows } = optimalLshParams(config.dedup.candidateThreshold, numPerm);
  const index = new ClusterIndex(redis, keys, {
    bands,
    rows,
    format: INDEX_SKETCH,
    place: placementFor(dedupPolicyFrom(config)),
  });
  const sketches = benchArticles(texts, articles).map((t) => sketchText(t, hasher, k));
  let insertPerSec = 0;
  let bytesPerArticle = 0;
  try {
    const before = await usedMemory(redis);
    const t0 = performance.now();
    for (let i = 0; i < sketches.length; i++) {
      await index.assign({
        articleId: `a${i}`,
        sketch: sketches[i]!,
        publishedAt: Date.now(),
        ttlSeconds: 3600,
      });
    }
    insertPerSec = articles / ((performance.now() - t0) / 1000);
    // Only the index, signature and cluster metadata: no article bodies are written here.
    bytesPerArticle = ((await usedMemory(redis)) - before) / articles;
  } finally {
    await dropKeys(redis, `${prefix}*`);
    redis.disconnect();
  }
  return {
    docs: long.docs,
    oursPerSec: long.perSec.ours.median,
    minhashPkgPerSec: long.perSec.minhashPkg.median,
    tokenizeOnlyPerSec: long.perSec.tokenizeOnly.median,
    ratioVsMinhash: long.ratios.oursVsMinhashPkg.median,
    shareOfTokenizeLimit: long.ratios.shareOfTokenizeLimit.median,
    minhashStepPerSec: long.perSec.oursMinhashStep.median,
    typedArrayMinhashStepPerSec: long.perSec.typedArrayMinhashStep.median,
    minhashStepRatioVsTypedArray: long.ratios.minhashStepVsTypedArray.median,
    lshRedisInsertQueryPerSec: Math.round(insertPerSec),
    redisBytesPerArticle: Math.round(bytesPerArticle),
    rounds,
    roundMs,
    sets: {
      longTexts: long,
      devBodies: dev ?? { skipped: 'no shared corpus (../shared or WIRESIFT_SHARED)' },
    },
  };
}
