import type { FeedItem } from './parse-feed.js';

export type CappedItems = { items: FeedItem[]; cut: number };

function publishedMs(item: FeedItem): number {
  const ms = item.published ? Date.parse(item.published) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/**
 * Keeps at most `max` items of one poll: the most recently published first,
 * then items without a date in the order the feed lists them (a feed that
 * dates nothing is taken from its top, where newsrooms put the latest). The
 * kept items stay in document order, so a feed under the cap is untouched
 * and a cut one reads as the same feed minus its oldest items. A feed of
 * 170,000 items would otherwise become 170,000 article jobs, each to any host.
 */
export function capItems(items: FeedItem[], max: number): CappedItems {
  if (items.length <= max) return { items, cut: 0 };
  const ranked = items.map((item, index) => ({ index, ms: publishedMs(item) }));
  // Array.prototype.sort is stable: equal dates (and all undated items) keep document order.
  ranked.sort((a, b) => (a.ms === b.ms ? 0 : b.ms > a.ms ? 1 : -1));
  const keep = ranked
    .slice(0, max)
    .map((r) => r.index)
    .sort((a, b) => a - b);
  return { items: keep.map((i) => items[i] as FeedItem), cut: items.length - keep.length };
}
