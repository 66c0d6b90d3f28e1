import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { capItems } from '../../src/feeds/item-cap.js';
import type { FeedItem } from '../../src/feeds/parse-feed.js';
import { loggerOptions } from '../../src/log.js';
import { pollFeed } from '../../src/pipeline/poll-feed.js';
import { startHttpServer } from '../support/http-server.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';
import { itemFlood } from './attack-inputs.js';

const item = (n: number, published: string | null): FeedItem => ({
  title: `t${n}`,
  link: `https://x.example/${n}`,
  guid: `g${n}`,
  ingest: 'page',
  published,
  contentHtml: null,
  summary: null,
  author: null,
});

describe('capItems', () => {
  it('leaves a feed under the cap untouched', () => {
    const items = [item(0, null), item(1, '2026-03-01T00:00:00.000Z')];
    expect(capItems(items, 2)).toEqual({ items, cut: 0 });
  });

  it('keeps the newest dated items first, then undated ones in feed order, all in feed order', () => {
    const items = [
      item(0, null),
      item(1, '2026-03-01T08:00:00.000Z'),
      item(2, null),
      item(3, '2026-03-02T08:00:00.000Z'),
      item(4, '2025-12-31T08:00:00.000Z'),
      item(5, null),
    ];
    expect(capItems(items, 4)).toEqual({ items: [items[0], items[1], items[3], items[4]], cut: 2 });
    expect(capItems(items, 2)).toEqual({ items: [items[1], items[3]], cut: 4 });
  });

  it('with no dates at all, keeps the top of the feed', () => {
    const items = Array.from({ length: 10 }, (_, n) => item(n, null));
    expect(capItems(items, 3)).toEqual({ items: items.slice(0, 3), cut: 7 });
  });
});

describe('a poll of a flood feed (issue 18, item 6)', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('itemcap');
  const lines: Array<Record<string, unknown>> = [];
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  let ctx: AppContext;
  const ITEMS = 80_000; // about 9 MB, under net.maxBodyBytes

  beforeAll(async () => {
    let flood = '';
    server = await startHttpServer((_req, res) => {
      flood ||= itemFlood(server.url, ITEMS);
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(flood);
    });
    const config = testConfig(prefix, { WIRESIFT_ALLOW_HOSTS: '127.0.0.1' });
    config.net.politeness.minDelayMs = 0;
    config.feedLimits.maxItemsPerPoll = 500;
    config.feedLimits.parseTimeoutMs = 60_000;
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    ctx = createContext(config, pino(loggerOptions('info'), sink));
  });

  afterAll(async () => {
    await ctx?.close();
    await server?.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('enqueues the newest maxItemsPerPoll items and logs and returns how many were cut', {
    timeout: 120_000,
  }, async () => {
    const result = await pollFeed(ctx, { feedId: 'flood', url: `${server.url}/flood` });
    expect(result).toEqual({
      items: 500,
      enqueued: 500,
      itemsSkipped: 0,
      fromFeed: 0,
      notModified: false,
      cut: ITEMS - 500,
    });
    const jobs = await ctx.queues.articles.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1);
    expect(jobs).toHaveLength(500);
    const links = jobs.map((j) => Number(j.data.url.split('/').pop())).sort((a, b) => a - b);
    expect(links[0]).toBe(ITEMS - 500);
    expect(links.at(-1)).toBe(ITEMS - 1);
    const cutLine = lines.find((l) => l.cut !== undefined);
    expect(cutLine).toMatchObject({ level: 40, kept: 500, cut: ITEMS - 500, maxItemsPerPoll: 500 });
    expect(String(cutLine?.msg)).toMatch(
      new RegExp(`^feeds: ${ITEMS} items in one poll, kept the 500 newest and cut ${ITEMS - 500} `),
    );
  });
});
