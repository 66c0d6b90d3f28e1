import { afterAll, describe, expect, it } from 'vitest';
import { FeedParsePool } from '../../src/feeds/parse-pool.js';

/** A real-looking RSS document of at least `bytes` bytes. */
function bigFeed(bytes: number): { xml: Buffer; items: number } {
  const parts: string[] = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    const item =
      `<item><title>Dépêche ${n} &amp; suite</title><link>https://news.example/a/${n}</link><guid>g${n}</guid>` +
      `<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>${'Le conseil a voté le budget. '.repeat(20)}</description></item>\n`;
    parts.push(item);
    size += Buffer.byteLength(item);
    n++;
  }
  const xml = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Gros flux</title><link>https://news.example/</link>${parts.join('')}</channel></rss>`,
  );
  return { xml, items: n };
}

describe('a 50 MB feed does not stall the process', () => {
  // Five times the network cap: budgets wide enough that only the stall is measured here.
  const pool = new FeedParsePool({ timeoutMs: 170_000, maxHeapMb: 2048, threads: 1 });
  afterAll(() => pool.close());

  it('parses off the event loop: the longest timer gap stays well under a second', {
    timeout: 180_000,
  }, async () => {
    const { xml, items } = bigFeed(50 * 1024 * 1024);
    const bytes = xml.length; // the body is moved to the parsing thread, so read its size first
    // Other "jobs" of the process: a 10 ms timer whose lateness is the stall they would see.
    let maxGap = 0;
    let ticks = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    const feed = await pool.parse(xml, 'application/rss+xml', 'https://news.example/rss');
    const elapsed = performance.now() - started;
    clearInterval(ticker);
    console.log(
      `50 MB feed (${(bytes / 1e6).toFixed(1)} MB, ${items} items): parsed in ${Math.round(elapsed)} ms, ` +
        `max event-loop gap ${Math.round(maxGap)} ms over ${ticks} ticks`,
    );
    expect(feed.title).toBe('Gros flux');
    expect(feed.items).toHaveLength(items);
    expect(feed.items[items - 1]?.link).toBe(`https://news.example/a/${items - 1}`);
    expect(feed.items[0]?.title).toBe('Dépêche 0 & suite');
    // The loop kept turning the whole time, and never stopped for a second.
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
    expect(maxGap).toBeLessThan(1000);
  });

  it('a parse error on the thread comes back as a feeds error', async () => {
    const junk = Buffer.alloc(1024 * 1024, 'x');
    junk.write('<rss><channel><title>t</title>', 0);
    await expect(pool.parse(junk, 'application/xml', 'https://news.example/rss')).rejects.toThrow(/^feeds: /);
  });
});
