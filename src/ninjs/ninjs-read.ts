import type { Redis } from 'ioredis';
import { getArticle, getArticleBody, getArticles } from '../store/articles.js';
import type { Keys } from '../store/keys.js';
import { listThreads, readThread } from '../store/thread-read.js';
import { threadVersions } from '../threads/thread-versions.js';
import { articleNinjs, clusterNinjs, type Ninjs, threadNinjs } from './ninjs.js';

/** ninjs of what Redis holds, or null when there is no such article, cluster or thread. */
export async function articleNinjsOf(redis: Redis, keys: Keys, id: string): Promise<Ninjs | null> {
  const [a, body] = await Promise.all([getArticle(redis, keys, id), getArticleBody(redis, keys, id)]);
  return a ? articleNinjs(a, body) : null;
}

export async function clusterNinjsOf(redis: Redis, keys: Keys, id: string): Promise<Ninjs | null> {
  const [hash, memberIds] = await Promise.all([
    redis.hgetall(keys.cluster(id)),
    redis.zrange(keys.clusterMembers(id), '0', '-1'),
  ]);
  if (!hash.id || !memberIds.length) return null;
  const articles = await getArticles(redis, keys, memberIds);
  // An editor's pick (docs/redis.md: editorRepresentative) wins over the automatic one.
  const repId = [hash.editorRepresentative, hash.representative, memberIds[0]].find(
    (r) => r && articles.has(r),
  )!;
  const representative = articles.get(repId);
  if (!representative) return null;
  return clusterNinjs({
    id,
    thread: hash.thread || null,
    ver: hash.ver ?? '',
    updatedAt: hash.updatedAt ?? '',
    representative,
    body: await getArticleBody(redis, keys, repId),
    others: memberIds.filter((m) => m !== repId).flatMap((m) => articles.get(m) ?? []),
  });
}

export async function threadNinjsOf(redis: Redis, keys: Keys, id: string): Promise<Ninjs | null> {
  const t = await readThread(redis, keys, id, threadVersions);
  return t ? threadNinjs(t) : null;
}

/** Every cluster's ninjs, newest activity first, one at a time (for `wiresift ninjs clusters`). */
export async function* allClusterNinjs(redis: Redis, keys: Keys): AsyncGenerator<Ninjs> {
  for (let start = 0; ; start += 200) {
    const ids = await redis.zrevrange(keys.clustersByUpdate, start, start + 199);
    if (!ids.length) return;
    for (const id of ids) {
      const n = await clusterNinjsOf(redis, keys, id);
      if (n) yield n;
    }
  }
}

export async function* allThreadNinjs(redis: Redis, keys: Keys): AsyncGenerator<Ninjs> {
  for (const t of await listThreads(redis, keys, threadVersions)) yield threadNinjs(t);
}
