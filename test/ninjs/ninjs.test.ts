import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { articleNinjsOf, clusterNinjsOf, threadNinjsOf } from '../../src/ninjs/ninjs-read.js';
import { API_TOKEN, reviewConfig, seedArticles } from '../review/seed.js';
import { THREAD_ARTICLES } from '../review/thread-seed.js';
import { runCli } from '../support/cli.js';
import { ninjsValidator } from '../support/ninjs-schema.js';
import { connectTestRedis, dropPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

const validate = ninjsValidator();

describe('ninjs 2.4 out: articles, clusters, threads', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('ninjs');
  let ctx: AppContext;
  let app: FastifyInstance;
  const clusterOf = async (a: string) => (await redis.hget(ctx.keys.article(a), 'cluster'))!;

  beforeAll(async () => {
    ctx = createContext(reviewConfig(prefix), createLogger('silent'));
    // One copy more of the dispatch, so a cluster has an association.
    await seedArticles(
      ctx,
      [
        ...THREAD_ARTICLES,
        {
          ...THREAD_ARTICLES[1]!,
          id: 'a1b',
          outlet: 'Le Courant',
          body: `${THREAD_ARTICLES[1]!.body}\n\nAvec AFP.`,
        },
      ],
      { threads: true },
    );
    app = await buildServer(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('the validator refuses what the schema refuses', () => {
    expect(validate({ uri: 'urn:wiresift:article:x' })).toEqual([]);
    expect(validate({ uri: 'urn:wiresift:article:x', cluster: 'c1' })).not.toEqual([]);
    expect(validate({ uri: 'urn:wiresift:article:x', firstcreated: 'yesterday' })).not.toEqual([]);
    expect(validate({ uri: 'urn:x:y', associations: [{ uri: 'urn:x:z' }] })).not.toEqual([]); // a name is required
  });

  it('an article: headline, body, credits, link', async () => {
    const doc = (await articleNinjsOf(redis, ctx.keys, 'a1'))!;
    expect(validate(doc)).toEqual([]);
    expect(doc).toMatchObject({
      uri: 'urn:wiresift:article:a1',
      type: 'text',
      representationtype: 'full',
      language: 'fr',
      headlines: [{ value: THREAD_ARTICLES[1]!.title }],
      infosources: [
        { name: 'La Gazette', role: 'publisher' },
        { name: 'AFP', role: 'originator' },
      ],
      standard: { name: 'ninjs', version: '2.4' },
    });
    expect(doc.bodies![0]!.value).toBe(THREAD_ARTICLES[1]!.body);
    // A body past its TTL: a partial representation, still valid.
    await redis.del(ctx.keys.articleBody('a4'));
    const partial = (await articleNinjsOf(redis, ctx.keys, 'a4'))!;
    expect(partial.representationtype).toBe('partial');
    expect(partial.bodies).toBeUndefined();
    expect(validate(partial)).toEqual([]);
  });

  it('a cluster: its representative, the other copies as associations', async () => {
    const id = await clusterOf('a1');
    const doc = (await clusterNinjsOf(redis, ctx.keys, id))!;
    expect(validate(doc)).toEqual([]);
    expect(doc.uri).toBe(`urn:wiresift:cluster:${id}`);
    expect(doc.associations).toHaveLength(1);
    const rep = doc.altids!.find((a) => a.role === 'wiresift-representative')!.value;
    const other = rep === 'a1' ? 'a1b' : 'a1';
    expect(doc.associations![0]).toMatchObject({ name: 'copy', uri: `urn:wiresift:article:${other}` });
    expect(doc.altids).toContainEqual({
      role: 'wiresift-thread',
      value: await redis.hget(ctx.keys.cluster(id), 'thread'),
    });
    for (const c of await redis.zrange(ctx.keys.clustersByUpdate, '0', '-1'))
      expect(validate(await clusterNinjsOf(redis, ctx.keys, c)), c).toEqual([]);
  });

  it('a thread: its clusters in time order, named by their versions', async () => {
    const thread = (await redis.hget(ctx.keys.cluster(await clusterOf('a1')), 'thread'))!;
    const doc = (await threadNinjsOf(redis, ctx.keys, thread))!;
    expect(validate(doc)).toEqual([]);
    expect(doc.type).toBe('composite');
    expect(doc.associations!.map((a) => [a.name, a.uri])).toEqual([
      ['flash', `urn:wiresift:cluster:${await clusterOf('a0')}`],
      ['first', `urn:wiresift:cluster:${await clusterOf('a1')}`],
      ['translation', `urn:wiresift:cluster:${await clusterOf('a2')}`],
      ['follow-up', `urn:wiresift:cluster:${await clusterOf('a3')}`],
    ]);
  });

  it('the API answers ninjs for ?format=ninjs or the Accept header', async () => {
    const auth = { authorization: `Bearer ${API_TOKEN}` };
    const id = await clusterOf('a1');
    const byQuery = await app.inject({ url: `/api/clusters/${id}?format=ninjs`, headers: auth });
    expect(byQuery.headers['content-type']).toMatch(/^application\/ninjs\+json/);
    expect(validate(byQuery.json())).toEqual([]);
    const byAccept = await app.inject({
      url: '/api/articles/a2',
      headers: { ...auth, accept: 'application/ninjs+json' },
    });
    expect(byAccept.json()).toMatchObject({ uri: 'urn:wiresift:article:a2', language: 'en' });
    const thread = (await redis.hget(ctx.keys.cluster(id), 'thread'))!;
    const t = await app.inject({ url: `/api/threads/${thread}?format=ninjs`, headers: auth });
    expect(validate(t.json())).toEqual([]);
    expect((await app.inject({ url: '/api/threads/t999?format=ninjs', headers: auth })).statusCode).toBe(404);
    // Without asking, the API's own shape.
    expect((await app.inject({ url: `/api/clusters/${id}`, headers: auth })).json()).toHaveProperty(
      'members',
    );
  });

  it('the CLI prints the same documents', async () => {
    const env = { REDIS_URL: testRedisUrl(), WIRESIFT_PREFIX: prefix, LOG_LEVEL: 'silent' };
    const one = await runCli(['ninjs', 'cluster', await clusterOf('a3')], env);
    expect(one.code).toBe(0);
    expect(validate(JSON.parse(one.stdout))).toEqual([]);
    const all = await runCli(['ninjs', 'clusters'], env);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(await redis.zcard(ctx.keys.clustersByUpdate));
    for (const l of lines) expect(validate(l)).toEqual([]);
    const missing = await runCli(['ninjs', 'thread', 't999'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no thread t999');
  });
});
