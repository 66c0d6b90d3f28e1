import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { placementFor } from '../dedup/cluster-policy.js';
import { optimalLshParams } from '../dedup/lsh-params.js';
import { MinHasher } from '../dedup/minhash.js';
import { sketchText } from '../dedup/sketch.js';
import { dedupPolicyFrom } from '../pipeline/context.js';
import { ClusterIndex } from '../store/cluster-index.js';
import { dropKeys } from '../store/key-scan.js';
import { keysFor } from '../store/keys.js';
import { prng } from './prng.js';
import { sharedDir } from './shared-data.js';
import { measureSignatureRatesApart } from './signature-rates.js';

export type DedupBenchResult = {
  docs: number;
  oursPerSec: number;
  minhashPkgPerSec: number;
  tokenizeOnlyPerSec: number;
  ratioVsMinhash: number;
  shareOfTokenizeLimit: number;
  lshRedisInsertQueryPerSec: number;
  redisBytesPerArticle: number;
};

const WORDS = 600;
const FALLBACK: Record<'fr' | 'en', string> = {
  fr: "La préfecture a indiqué mardi qu'une cellule de crise serait réunie dès le lendemain avec les élus, la direction de l'usine et les représentants du personnel, afin d'étudier les pistes de reprise du site.",
  en: 'The company said on Tuesday it would cut its full-year forecast after freight rates fell faster than expected, and that it would suspend its dividend to protect the balance sheet while it reviews its fleet.',
};

/** ~600-word French and English texts: corpus bodies when the shared corpus is here, else our own paragraphs. */
function sampleTexts(): string[] {
  const shared = sharedDir();
  const truthPath = shared ? join(shared, 'corpus', 'dev', 'truth.json') : '';
  const bodies: Record<string, string[]> = { fr: [], en: [] };
  if (truthPath && existsSync(truthPath)) {
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as {
      pages: Record<string, { lang: string; body: string }>;
    };
    for (const p of Object.values(truth.pages)) bodies[p.lang]?.push(p.body);
  }
  return (['fr', 'en'] as const).map((lang) => {
    let words: string[] = [];
    const pool = bodies[lang] ?? [];
    for (let i = 0; words.length < WORDS; i++) {
      words = words.concat((pool[i] ?? `${FALLBACK[lang]} (${i})`).split(/\s+/));
    }
    return words.slice(0, WORDS).join(' ');
  });
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
 * shingles as strings) vs tokenise+hash alone, then the Redis side: assign()
 * round trips per second and bytes per article from INFO memory.
 */
export async function benchDedup(
  config: Config,
  progress: (msg: string) => void,
  articles = 10_000,
): Promise<DedupBenchResult> {
  const k = config.dedup.shingleSize;
  const numPerm = config.dedup.numPerm;
  const hasher = new MinHasher({ numPerm, seed: 1 });
  const texts = sampleTexts();

  progress('bench dedup: tokenise+hash only, wiresift MinHasher, npm minhash (in a worker thread)');
  // In a worker thread that loads nothing but the code measured.
  const { tokenizeOnly, ours, pkg } = await measureSignatureRatesApart({ texts, k, numPerm });

  progress(`bench dedup: Redis assign over ${articles} articles`);
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  const prefix = `wiresift-bench:${randomBytes(4).toString('hex')}:`;
  const keys = keysFor(prefix);
  const { bands, rows } = optimalLshParams(config.dedup.candidateThreshold, numPerm);
  const index = new ClusterIndex(redis, keys, {
    bands,
    rows,
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
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    docs: texts.length,
    oursPerSec: Math.round(ours),
    minhashPkgPerSec: Math.round(pkg),
    tokenizeOnlyPerSec: Math.round(tokenizeOnly),
    ratioVsMinhash: r1(ours / pkg),
    shareOfTokenizeLimit: Math.round((ours / tokenizeOnly) * 1000) / 1000,
    lshRedisInsertQueryPerSec: Math.round(insertPerSec),
    redisBytesPerArticle: Math.round(bytesPerArticle),
  };
}
