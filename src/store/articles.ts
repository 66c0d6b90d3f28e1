import type { Redis } from 'ioredis';
import { decodeBody, encodeBody } from './body-codec.js';
import type { ArticleHash } from './contract-types.js';
import type { Keys } from './keys.js';
import { loadLua } from './lua/load-lua.js';

export type ArticleSource = ArticleHash['source'];

/**
 * An article hash as this code reads it: the contract's shape (docs/redis.md),
 * with `words` as a number and `cluster` '' until dedup placed the article.
 */
export type ArticleRecord = Omit<ArticleHash, 'words' | 'cluster'> & { words: number; cluster: string };

const NUMERIC: ReadonlySet<keyof ArticleRecord> = new Set(['words']);

function toHash(record: Omit<ArticleRecord, 'cluster'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}

function fromHash(hash: Record<string, string>): ArticleRecord | null {
  if (!hash.id) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(hash)) out[k] = NUMERIC.has(k as keyof ArticleRecord) ? Number(v) : v;
  return { cluster: '', ...out } as ArticleRecord;
}

/**
 * Some fields of an article hash, or null when the article is not stored:
 * the hot paths need two or three of its ~20 fields.
 */
export async function getArticleFields<K extends keyof ArticleRecord>(
  redis: Redis,
  keys: Keys,
  id: string,
  fields: K[],
): Promise<Pick<ArticleRecord, K> | null> {
  const values = await redis.hmget(keys.article(id), ...fields);
  if (values.every((v) => v === null)) return null;
  const out: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    const v = values[i] ?? '';
    out[f] = NUMERIC.has(f) ? Number(v) : v;
  });
  return out as Pick<ArticleRecord, K>;
}

/** For each article id, whether its URL was already taken in by some feed (exact dedup across feeds); one round trip. */
export async function knownUrls(redis: Redis, keys: Keys, articleIds: string[]): Promise<boolean[]> {
  if (!articleIds.length) return [];
  const pipe = redis.pipeline();
  for (const id of articleIds) pipe.exists(keys.urlIndex(id), keys.article(id));
  return ((await pipe.exec()) ?? []).map(([err, n]) => {
    if (err) throw err;
    return Number(n) > 0;
  });
}

/** Remembers these URLs as taken in, [article id, canonical URL] each; one round trip. */
export async function rememberUrls(
  redis: Redis,
  keys: Keys,
  entries: [articleId: string, canonicalUrl: string][],
  ttlSeconds: number,
): Promise<void> {
  if (!entries.length) return;
  const pipe = redis.pipeline();
  for (const [id, url] of entries) pipe.set(keys.urlIndex(id), url, 'EX', ttlSeconds, 'NX');
  for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
}

const SAVE_CMD = 'wiresiftSaveArticle';
type ScriptedRedis = Redis & {
  [SAVE_CMD](numberOfKeys: number, ...args: (string | number | Buffer)[]): Promise<[1] | [0, ArticleSource]>;
};

/** What a save did: wrote the article, or kept the one stored ok before it (whose source it says). */
export type SaveOutcome = { written: true } | { written: false; source: ArticleSource };

/**
 * Writes the article and its body in one atomic step (article-save.lua). Rewriting the same
 * article (a retried job) leaves the same state: first-seen time is kept and
 * an assigned cluster is not touched. An article already stored ok is not
 * rewritten: the outcome says so. On Redis Cluster the body's slot is its own: it is
 * written first, then the rest in one step.
 */
export async function saveArticle(
  redis: Redis,
  keys: Keys,
  record: Omit<ArticleRecord, 'cluster'>,
  body: string,
  bodyTtlSeconds: number,
  retainSeconds: number,
  opts: { compressBody?: boolean } = {},
): Promise<SaveOutcome> {
  const scripted = redis as ScriptedRedis;
  const stored = encodeBody(body, opts.compressBody === true);
  if (typeof scripted[SAVE_CMD] !== 'function')
    redis.defineCommand(SAVE_CMD, { lua: loadLua('article-save') });
  const bodyKey = keys.articleBody(record.id);
  if (keys.onCluster) {
    // The script's own check comes after this write: the body of an ok article stays as it is.
    const [status, source] = await redis.hmget(keys.article(record.id), 'status', 'source');
    if (status === 'ok') return { written: false, source: (source ?? '') as ArticleSource };
    await redis.set(bodyKey, stored, 'EX', bodyTtlSeconds);
  }
  const keyArgs = keys.onCluster
    ? [keys.article(record.id), keys.articlesByTime]
    : [keys.article(record.id), keys.articlesByTime, bodyKey];
  const reply = await scripted[SAVE_CMD](
    keyArgs.length,
    ...keyArgs,
    bodyTtlSeconds,
    Date.parse(record.fetchedAt) || Date.now(),
    record.id,
    // the body is not sent twice
    keys.onCluster ? '' : stored,
    retainSeconds,
    Date.now() - retainSeconds * 1000,
    ...Object.entries(toHash(record)).flat(),
  );
  return reply[0] === 1 ? { written: true } : { written: false, source: reply[1] };
}

export async function getArticle(redis: Redis, keys: Keys, id: string): Promise<ArticleRecord | null> {
  return fromHash(await redis.hgetall(keys.article(id)));
}

export async function getArticles(
  redis: Redis,
  keys: Keys,
  ids: string[],
): Promise<Map<string, ArticleRecord>> {
  const out = new Map<string, ArticleRecord>();
  if (!ids.length) return out;
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hgetall(keys.article(id));
  const results = (await pipe.exec()) ?? [];
  results.forEach(([err, hash], i) => {
    const rec = err ? null : fromHash(hash as Record<string, string>);
    if (rec) out.set(ids[i]!, rec);
  });
  return out;
}

/** An article's body text, stored plain or compressed (body-codec.ts); null when expired or unknown. */
export async function getArticleBody(redis: Redis, keys: Keys, id: string): Promise<string | null> {
  return decodeBody(await redis.getBuffer(keys.articleBody(id)));
}

/** Bodies of several articles, in order (null: expired or unknown); one MGET, or per slot on Redis Cluster. */
export async function getArticleBodies(redis: Redis, keys: Keys, ids: string[]): Promise<(string | null)[]> {
  if (!ids.length) return [];
  const bodyKeys = ids.map((id) => keys.articleBody(id));
  const stored = keys.onCluster
    ? await Promise.all(bodyKeys.map((k) => redis.getBuffer(k)))
    : await redis.mgetBuffer(...bodyKeys);
  return stored.map(decodeBody);
}

/** Which of these articles still have their body (it expires before the hash). */
export async function articleBodiesExist(redis: Redis, keys: Keys, ids: string[]): Promise<boolean[]> {
  const bodyKeys = ids.map((id) => keys.articleBody(id));
  // EXISTS k1 k2… counts, it does not say which: one EXISTS a key, pipelined on one Redis.
  if (keys.onCluster) return Promise.all(bodyKeys.map(async (k) => (await redis.exists(k)) === 1));
  const pipe = redis.pipeline();
  for (const k of bodyKeys) pipe.exists(k);
  return ((await pipe.exec()) ?? []).map(([err, n]) => !err && n === 1);
}

export async function countArticles(redis: Redis, keys: Keys): Promise<number> {
  return redis.zcard(keys.articlesByTime);
}
