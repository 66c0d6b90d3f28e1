import { createHash } from 'node:crypto';
import type { FeedItem } from './feed-types.js';

/**
 * Stable id for an article, derived from its canonical URL: the BullMQ job id
 * that makes a re-enqueued article a no-op. 64 bits keeps collisions negligible
 * at newsroom scale while staying short in Redis keys.
 */
export function articleIdFor(canonicalUrl: string): string {
  return createHash('sha256').update(canonicalUrl, 'utf8').digest('hex').slice(0, 16);
}

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S/;

/**
 * What identifies an item that has no link: its guid when that is a URI
 * (`tag:`, `urn:`: unique by construction, so two feeds listing it give one
 * article), a bare guid within its feed (a "4411" is only unique there),
 * else the feed URL with the title and date.
 */
export function feedItemKey(feedUrl: string, item: Pick<FeedItem, 'guid' | 'title' | 'published'>): string {
  if (item.guid && URI.test(item.guid)) return `guid ${item.guid}`;
  if (item.guid) return `guid ${feedUrl} ${item.guid}`;
  return `item ${feedUrl} ${item.title} ${item.published ?? ''}`;
}

/**
 * The id and URL of a link-less item's article. The URL is where its text
 * lives, the feed, with the id as fragment, so it stays unique per article
 * in every place that keys by URL.
 */
export function feedItemArticle(
  feedUrl: string,
  item: Pick<FeedItem, 'guid' | 'title' | 'published'>,
): { articleId: string; url: string } {
  const articleId = articleIdFor(feedItemKey(feedUrl, item));
  const url = new URL(feedUrl);
  url.hash = `item-${articleId}`;
  return { articleId, url: url.href };
}
