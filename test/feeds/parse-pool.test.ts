import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedParsePool } from '../../src/feeds/parse-pool.js';
import { itemFlood, rss } from './attack-inputs.js';

const BASE = 'https://flux.example';
const small = () => Buffer.from(rss(BASE, ''));
/** A legitimate feed far too big for a 400 ms budget: stands in for any input over budget. */
const heavy = () => Buffer.from(itemFlood(BASE, 150_000));

describe('the feed parsing pool', () => {
  const pool = new FeedParsePool({ timeoutMs: 400, maxHeapMb: 512, threads: 2 });
  afterAll(() => pool.close());
  // Two warm threads: start-up time (seconds from source) is not what is measured here.
  beforeAll(
    () => Promise.all([pool.parse(small(), undefined, BASE), pool.parse(small(), undefined, BASE)]),
    60_000,
  );

  it('reuses its threads across parses', async () => {
    const before = pool.threadsStarted;
    for (let i = 0; i < 20; i++) {
      const feed = await pool.parse(small(), 'application/rss+xml', `${BASE}/rss`);
      expect(feed.items).toHaveLength(2);
    }
    expect(pool.threadsStarted).toBe(before);
    expect(pool.size).toBe(2);
  });

  it('a feed over its time budget fails with the reason while a good feed submitted with it finishes', {
    timeout: 30_000,
  }, async () => {
    const order: string[] = [];
    const bad = pool.parse(heavy(), 'application/rss+xml', `${BASE}/heavy`).then(
      () => order.push('bad read'),
      (err: Error) => order.push(`bad failed: ${err.message}`),
    );
    const good = pool.parse(small(), 'application/rss+xml', `${BASE}/rss`).then((f) => {
      order.push(`good read ${f.items.length}`);
    });
    await Promise.all([bad, good]);
    expect(order).toEqual([
      'good read 2',
      'bad failed: feeds: parsing took longer than 400 ms; the feed is too complex',
    ]);
    // The killed thread is replaced: the pool still parses, on two threads.
    const again = await Promise.all([
      pool.parse(small(), undefined, BASE),
      pool.parse(small(), undefined, BASE),
    ]);
    expect(again.map((f) => f.items.length)).toEqual([2, 2]);
    expect(pool.size).toBe(2);
  });
});

describe('the per-poll item cap', () => {
  it('keeps at most maxItems items, counting the rest, before they leave the thread', {
    timeout: 60_000,
  }, async () => {
    const pool = new FeedParsePool({ timeoutMs: 60_000, maxHeapMb: 512, threads: 1 });
    try {
      const feed = await pool.parse(Buffer.from(itemFlood(BASE, 1200)), undefined, BASE, { maxItems: 500 });
      expect(feed.items).toHaveLength(500);
      expect(feed.cut).toBe(700);
      // The flood is oldest first: the newest 500 are its last 500.
      expect(feed.items[0]?.link).toBe(`${BASE}/n/700`);
      expect(feed.items.at(-1)?.link).toBe(`${BASE}/n/1199`);
    } finally {
      await pool.close();
    }
  });
});

describe('a parse over its heap budget', () => {
  it('fails with the reason, and the thread is replaced', { timeout: 60_000 }, async () => {
    const pool = new FeedParsePool({ timeoutMs: 60_000, maxHeapMb: 24, threads: 1 });
    try {
      await expect(pool.parse(heavy(), undefined, BASE)).rejects.toThrow(
        /^feeds: parsing needed more than 24 MB of memory; the feed is too big or too complex$/,
      );
      const feed = await pool.parse(small(), undefined, BASE);
      expect(feed.items).toHaveLength(2);
      expect(pool.threadsStarted).toBe(2);
    } finally {
      await pool.close();
    }
  });
});

describe('closing the pool', () => {
  it('fails the parse in flight and refuses new ones', { timeout: 60_000 }, async () => {
    const pool = new FeedParsePool({ timeoutMs: 60_000, maxHeapMb: 512, threads: 1 });
    const inFlight = pool.parse(heavy(), undefined, BASE).catch((err: Error) => err);
    await pool.close();
    expect(((await inFlight) as Error).message).toBe('feeds: the parser pool is shut down');
    await expect(pool.parse(small(), undefined, BASE)).rejects.toThrow(/shut down/);
    expect(pool.size).toBe(0);
  });
});

describe('feeds parsed in place (inPlaceMaxBytes)', () => {
  const pool = new FeedParsePool({ timeoutMs: 5000, maxHeapMb: 512, threads: 2, inPlaceMaxBytes: 4096 });
  afterAll(() => pool.close());

  it('reads a small feed without a thread, as a thread reads it', async () => {
    const onThread = new FeedParsePool({ timeoutMs: 5000, maxHeapMb: 512, threads: 1 });
    try {
      const here = await pool.parse(small(), 'application/rss+xml', `${BASE}/rss`, { maxItems: 1 });
      expect(pool.threadsStarted).toBe(0);
      const there = await onThread.parse(small(), 'application/rss+xml', `${BASE}/rss`, { maxItems: 1 });
      expect(here).toEqual(there);
      expect(here.cut).toBe(1);
    } finally {
      await onThread.close();
    }
  }, 60_000);

  it('fails a broken small feed with the reason a thread gives', async () => {
    const onThread = new FeedParsePool({ timeoutMs: 5000, maxHeapMb: 512, threads: 1 });
    const broken = () => Buffer.from('<html><body>not a feed</body></html>');
    try {
      const here = await pool.parse(broken(), 'text/html', BASE).catch((e: Error) => e);
      const there = await onThread.parse(broken(), 'text/html', BASE).catch((e: Error) => e);
      expect(here).toBeInstanceOf(Error);
      expect((here as Error).message).toBe((there as Error).message);
      expect(pool.threadsStarted).toBe(0);
    } finally {
      await onThread.close();
    }
  }, 60_000);

  it('sends a bigger feed to a thread', async () => {
    const feed = await pool.parse(Buffer.from(itemFlood(BASE, 200)), 'application/rss+xml', BASE);
    expect(feed.items).toHaveLength(200);
    expect(pool.threadsStarted).toBe(1);
  }, 60_000);
});
