import { feedFromBytes } from './feed-bytes.js';
import { trustFeedText } from './feed-item.js';
import { capItems } from './item-cap.js';
import type { FeedItem, ParsedFeed } from './parse-feed.js';

/** What a poll asks of one parse, beside the bytes. */
export type ParseOptions = {
  /** Applied where the parse runs, so items beyond the cap never cross back to the main thread. */
  maxItems?: number;
  /** Read the bytes in this charset, whatever they declare (feed setting). */
  charset?: string;
  /** Items with text are ingested from it, not from their page (feed setting fetchPages: false). */
  trustFeedText?: boolean;
};

/** One parse as a poll wants it, on a parsing thread or in place (parse-pool.ts). */
export async function parseFeedRequest(
  body: Uint8Array,
  contentType: string | undefined,
  url: string,
  options: ParseOptions,
): Promise<{ feed: Omit<ParsedFeed, 'items'>; items: FeedItem[]; cut: number }> {
  const { maxItems, charset, trustFeedText: trusted } = options;
  const { items: parsed, ...feed } = await feedFromBytes(body, contentType, url, charset ? { charset } : {});
  const all = trusted ? trustFeedText(parsed) : parsed;
  const { items, cut } = maxItems === undefined ? { items: all, cut: 0 } : capItems(all, maxItems);
  return { feed, items, cut };
}
