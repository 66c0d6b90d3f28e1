import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { feedIdFor } from '../../src/feeds/feed-id.js';
import { createMetrics } from '../../src/http/metrics.js';
import { addFeed } from '../../src/pipeline/feed-registry.js';
import { failureDelayMs, pollFeed } from '../../src/pipeline/poll-feed.js';
import { feedHealth, readFeedState } from '../../src/store/feed-state.js';
import { withPipeline } from './with-pipeline.js';

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes: Record<string, Route> = {};
const hits: Record<string, number> = {};
const RSS = (base: string) =>
  `<rss version="2.0"><channel><title>Flux</title><item><title>Un</title><link>${base}/a/1</link></item></channel></rss>`;

const p = withPipeline('schedule', {
  serve: (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits[path] = (hits[path] ?? 0) + 1;
    const route = routes[path];
    if (route) return route(req, res);
    res.writeHead(404);
    res.end();
  },
  configure: (config) => {
    config.feeds = [];
  },
});

const job = (name: string) => ({ feedId: name, url: `${p.url}/${name}` });

describe('feed schedule health', () => {
  it('backs off exponentially per feed, within the cap', () => {
    const s = { pollIntervalSeconds: 300, backoffBaseSeconds: 60, maxBackoffSeconds: 3600 };
    expect([1, 2, 3, 4, 5, 6, 7].map((e) => failureDelayMs(s, e, undefined) / 1000)).toEqual([
      60, 120, 240, 480, 960, 1920, 3600,
    ]);
    expect(failureDelayMs(s, 1, 900_000)).toBe(900_000); // Retry-After wins when longer
    expect(failureDelayMs(s, 1, 99_000_000)).toBe(3_600_000); // but never past the cap
  });

  it('honours 429 Retry-After: the next scheduled tick is skipped without a request', async () => {
    routes['/throttled'] = (_q, res) => {
      res.writeHead(429, { 'retry-after': '1200' });
      res.end();
    };
    const t0 = Date.now();
    await expect(pollFeed(p.ctx, job('throttled'), t0)).rejects.toThrow(/HTTP 429.*next poll not before/);
    const state = await readFeedState(p.redis, p.ctx.keys, 'throttled');
    expect(state.lastStatus).toBe('429');
    expect(state.consecutiveErrors).toBe(1);
    expect(state.nextFetchAt).toBe(t0 + 1_200_000);
    expect(feedHealth(state, t0 + 1000)).toBe('backoff');
    const skipped = await pollFeed(p.ctx, job('throttled'), t0 + 300_000);
    expect(skipped.skipped).toMatch(/next poll not before/);
    expect(hits['/throttled']).toBe(1);
    // Once the wait is over the feed is asked again.
    await expect(pollFeed(p.ctx, job('throttled'), t0 + 1_200_000)).rejects.toThrow(/HTTP 429/);
    expect(hits['/throttled']).toBe(2);
  });

  it('doubles the wait on every failure in a row and resets on success', async () => {
    let fail = true;
    routes['/flaky'] = (_q, res) => {
      if (fail) {
        res.writeHead(500);
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(RSS(p.url));
      }
    };
    let now = Date.now();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await expect(pollFeed(p.ctx, job('flaky'), now)).rejects.toThrow(/HTTP 500/);
      const s = await readFeedState(p.redis, p.ctx.keys, 'flaky');
      waits.push((s.nextFetchAt - now) / 1000);
      now = s.nextFetchAt;
    }
    expect(waits).toEqual([60, 120, 240, 480]);
    fail = false;
    const r = await pollFeed(p.ctx, job('flaky'), now);
    expect(r.items).toBe(1);
    const s = await readFeedState(p.redis, p.ctx.keys, 'flaky');
    expect(s.consecutiveErrors).toBe(0);
    expect(s.nextFetchAt).toBe(0);
    expect(feedHealth(s)).toBe('ok');
  });

  it('sends the stored validators, takes 304 as success, and honours Cache-Control max-age', async () => {
    const seen: Array<string | undefined> = [];
    routes['/cached'] = (req, res) => {
      seen.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"', 'cache-control': 'max-age=900' });
        res.end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/rss+xml',
        etag: '"v1"',
        'cache-control': 'public, max-age=600',
      });
      res.end(RSS(p.url));
    };
    const t0 = Date.now();
    expect((await pollFeed(p.ctx, job('cached'), t0)).items).toBe(1);
    expect((await readFeedState(p.redis, p.ctx.keys, 'cached')).nextFetchAt).toBe(t0 + 600_000);
    expect((await pollFeed(p.ctx, job('cached'), t0 + 300_000)).skipped).toBeDefined();
    const r = await pollFeed(p.ctx, job('cached'), t0 + 600_000);
    expect(r.notModified).toBe(true);
    expect(seen).toEqual([undefined, '"v1"']);
    const s = await readFeedState(p.redis, p.ctx.keys, 'cached');
    expect(s.lastStatus).toBe('304');
    expect(s.nextFetchAt).toBe(t0 + 600_000 + 900_000);
  });

  it('/metrics sums feeds by health, one series per health', async () => {
    routes['/gone'] = (_q, res) => {
      res.writeHead(410);
      res.end();
    };
    for (const name of ['gone', 'flaky', 'never']) await addFeed(p.redis, p.ctx.keys, `${p.url}/${name}`);
    await expect(
      pollFeed(p.ctx, { feedId: feedIdFor(`${p.url}/gone`), url: `${p.url}/gone` }),
    ).rejects.toThrow(/HTTP 410/);
    await pollFeed(p.ctx, { feedId: feedIdFor(`${p.url}/flaky`), url: `${p.url}/flaky` });
    const text = await createMetrics(p.ctx).metrics();
    expect(text).toContain('wiresift_feeds{health="ok"} 1');
    expect(text).toContain('wiresift_feeds{health="backoff"} 1');
    expect(text).toContain('wiresift_feeds{health="never"} 1');
    expect(text).toContain('wiresift_feeds{health="error"} 0');
    expect(text).not.toMatch(/wiresift_feeds\{[^}]*feed/);
  });
});
