import { inflateRawSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getArticleBodies, getArticleBody, saveArticle } from '../../src/store/articles.js';
import { decodeBody, encodeBody } from '../../src/store/body-codec.js';
import { keysFor } from '../../src/store/keys.js';
import { articleRecord } from '../support/article-record.js';
import { connectTestRedis, dropPrefix, uniquePrefix } from '../support/redis.js';

const record = articleRecord;

const dispatch = Array.from(
  { length: 12 },
  (_, i) =>
    `Le gouvernement a présenté mercredi ${i} mesures pour l'hôpital, a-t-on appris auprès du ministère de la Santé, qui réunira les syndicats la semaine prochaine à Paris.`,
).join('\n\n');

describe('article bodies, plain or compressed', () => {
  let redis: Redis;
  const prefix = uniquePrefix('bodies');
  const keys = keysFor(prefix);
  beforeAll(() => {
    redis = connectTestRedis();
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('round-trips text through the codec; short or incompressible text stays plain', () => {
    const packed = encodeBody(dispatch, true);
    expect(Buffer.isBuffer(packed)).toBe(true);
    expect((packed as Buffer).length).toBeLessThan(Buffer.byteLength(dispatch) / 2);
    expect(decodeBody(packed as Buffer)).toBe(dispatch);
    expect(encodeBody('Trois mots seulement.', true)).toBe('Trois mots seulement.');
    expect(encodeBody(dispatch, false)).toBe(dispatch);
    expect(() => decodeBody(Buffer.from([0, 9, 1, 2]))).toThrow(/unknown stored format \(9\)/);
  });

  it('stores a compressed body as raw DEFLATE behind its marker, and every reader gets the text', async () => {
    await saveArticle(redis, keys, record('z1'), dispatch, 3600, 86_400, { compressBody: true });
    await saveArticle(redis, keys, record('p1'), dispatch, 3600, 86_400);
    const raw = (await redis.getBuffer(keys.articleBody('z1')))!;
    expect([...raw.subarray(0, 2)]).toEqual([0, 1]);
    // any zlib reads it: what a consumer outside wiresift does
    expect(inflateRawSync(raw.subarray(2)).toString('utf8')).toBe(dispatch);
    expect(await redis.get(keys.articleBody('p1'))).toBe(dispatch);
    expect(await getArticleBody(redis, keys, 'z1')).toBe(dispatch);
    expect(await getArticleBodies(redis, keys, ['z1', 'gone', 'p1'])).toEqual([dispatch, null, dispatch]);
  });

  it('leaves an article stored ok as it is: a second save of it writes nothing and says so', async () => {
    expect(await saveArticle(redis, keys, record('k1'), dispatch, 3600, 86_400)).toEqual({ written: true });
    const again = { ...record('k1'), title: 'a later copy', source: 'feed' as const };
    // the outcome names the stored article's source, not the refused one's
    expect(await saveArticle(redis, keys, again, 'other text', 3600, 86_400)).toEqual({
      written: false,
      source: 'page',
    });
    expect(await redis.hget(keys.article('k1'), 'title')).toBe('k1');
    expect(await getArticleBody(redis, keys, 'k1')).toBe(dispatch);
    // one that failed is written over when its page comes back
    const failed = { ...record('k2'), status: 'failed' as const, reason: 'fetch: HTTP 503' };
    expect(await saveArticle(redis, keys, failed, '', 3600, 86_400)).toEqual({ written: true });
    expect(await saveArticle(redis, keys, record('k2'), dispatch, 3600, 86_400)).toEqual({ written: true });
    expect(await redis.hget(keys.article('k2'), 'status')).toBe('ok');
    expect(await getArticleBody(redis, keys, 'k2')).toBe(dispatch);
  });
});
