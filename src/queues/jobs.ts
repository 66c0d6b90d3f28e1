/** Job payloads. They are JSON in Redis: keep them small and versionless-safe (additive changes only). */

export type FeedJob = {
  feedId: string;
  url: string;
  name?: string;
  /** Poll even if the feed is backing off (`run --once`: a human is asking now). */
  force?: boolean;
};

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
};

export type DedupJob = { articleId: string };

export type FeedJobResult = {
  items: number;
  enqueued: number;
  notModified: boolean;
  /** Items the per-poll cap (feedLimits.maxItemsPerPoll) dropped, oldest first. */
  cut?: number;
  /** Set when the poll was skipped (the feed is backing off or asked us to wait). */
  skipped?: string;
};
export type ArticleJobResult = {
  status: 'ok' | 'empty' | 'failed';
  source: 'page' | 'feed' | 'none';
  skipped?: boolean;
};
export type DedupJobResult = { clusterId: string; created: boolean; joined: boolean; mergedFrom: string[] };
