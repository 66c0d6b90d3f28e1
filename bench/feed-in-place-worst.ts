/**
 * How long the feed attacks of test/feeds/attack-inputs.ts take in place when
 * grown or cut to a size, for feedLimits.parseInPlaceMaxKb: feeds up to that
 * size skip the parsing threads, so the worst of them is how long one feed can
 * hold the event loop. Prints the five slowest per size (best of five runs
 * each, after a warm-up sweep), and an ordinary feed of that size.
 *
 *   npx tsx bench/feed-in-place-worst.ts [KiB,KiB...]   (default 16,32,64,128)
 */
import { parseFeedRequest } from '../src/feeds/parse-request.js';
import { ATTACKS, itemFlood } from '../test/feeds/attack-inputs.js';

const base = 'https://news.example';
const sizes = (process.argv[2] ?? '16,32,64,128').split(',').map((s) => Number(s) * 1024);
const enc = new TextEncoder();

function inputs(bytes: number): Array<{ id: string; body: Uint8Array; contentType: string }> {
  const out = ATTACKS.map((a) => ({
    id: a.id,
    body: enc.encode(a.body(base, bytes)).subarray(0, bytes),
    contentType: a.contentType,
  }));
  // An ordinary feed and an item flood, cut to the size.
  const flood = enc.encode(itemFlood(base, Math.ceil(bytes / 40)));
  out.push({ id: 'item-flood', body: flood.subarray(0, bytes), contentType: 'application/rss+xml' });
  // The slowest inputs per byte known (feedLimits): empty and nested elements.
  const head = `<rss version="2.0"><channel><title>T</title><item><title>A</title><link>${base}/a</link>`;
  for (const [id, unit] of [
    ['empty-elements', '<x/>'],
    ['nested-elements', '<x>'],
    ['nested-descriptions', '<description>'],
  ] as const)
    out.push({
      id,
      body: enc.encode(head + unit.repeat(Math.ceil(bytes / unit.length))).subarray(0, bytes),
      contentType: 'application/rss+xml',
    });
  return out;
}

async function worst(bytes: number, runs: number): Promise<Array<[string, number]>> {
  const rows: Array<[string, number]> = [];
  for (const { id, body, contentType } of inputs(bytes)) {
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      await parseFeedRequest(body, contentType, `${base}/feed.xml`, { maxItems: 500 }).catch(() => null);
      best = Math.min(best, performance.now() - t0);
    }
    rows.push([id, best]);
  }
  return rows.sort((a, b) => b[1] - a[1]);
}

await worst(Math.max(...sizes), 1);
for (const bytes of sizes) {
  const rows = await worst(bytes, 5);
  console.log(
    `${bytes / 1024} KiB: ${rows
      .slice(0, 5)
      .map(([id, ms]) => `${id} ${ms.toFixed(1)} ms`)
      .join(', ')}`,
  );
}
