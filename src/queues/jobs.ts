/** Job payloads. They are JSON in Redis: keep them small and versionless-safe (additive changes only). */

import type { FeedSettings } from '../feeds/feed-settings.js';

export type FeedJob = {
  feedId: string;
  url: string;
  name?: string;
  /** Poll even if the feed is backing off (`run --once`: a human is asking now). */
  force?: boolean;
  /** The settings this feed overrides (only those given). */
  settings?: FeedSettings;
};

/** What a feed's settings ask of the fetch and extraction of its pages. */
export type PageSettings = Pick<FeedSettings, 'timeoutMs' | 'userAgent' | 'bodySelector'>;

export type FeedItemSnapshot = {
  title: string;
  published: string | null;
  contentHtml: string | null;
  summary: string | null;
  author: string | null;
};

export type ArticleJob = {
  articleId: string;
  /** The link as the feed gave it, made absolute. */
  url: string;
  canonicalUrl: string;
  feedId: string;
  feedUrl: string;
  outlet: string;
  item: FeedItemSnapshot;
  /** 'feed': the item's own text is the article, no page is fetched (a link-less item, or a trusted feed). */
  ingest?: 'feed';
  /** From the feed's settings, when it has some for its pages. */
  page?: PageSettings;
};

export type DedupJob = { articleId: string };

/** One change event to POST to one webhook endpoint (src/webhooks/). */
export type WebhookJob = {
  endpoint: string;
  /** The event's id in the events stream: orders and identifies it. */
  streamId: string;
  /** The stream entry's fields. */
  event: Record<string, string>;
};

export type FeedJobResult = {
  items: number;
  enqueued: number;
  notModified: boolean;
  /** Items the per-poll cap (feedLimits.maxItemsPerPoll) dropped, oldest first. */
  cut?: number;
  /** Items listed but not ingested (no link and no text, a repeated guid). */
  itemsSkipped?: number;
  /** Items ingested from the feed's own text rather than their page. */
  fromFeed?: number;
  /** Set when the poll was skipped (the feed is backing off or asked us to wait). */
  skipped?: string;
};
export type DedupJobResult = { clusterId: string; created: boolean; joined: boolean; mergedFrom: string[] };
export type ArticleJobResult = {
  status: 'ok' | 'empty' | 'failed';
  source: 'page' | 'feed' | 'none';
  skipped?: boolean;
  /** The article job ran the dedup step itself: what a dedup job would have returned. */
  clustered?: DedupJobResult;
  /** The dedup step failed in the article job and was queued on `dedup` instead. */
  dedupQueued?: boolean;
};
