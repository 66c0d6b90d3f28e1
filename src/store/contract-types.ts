/**
 * The downstream contract's shapes (docs/redis.md), exported by the package
 * (`import type { ArticleHash, ClusterHash, ClusterEvent } from 'wiresift'`).
 * Redis stores every hash field as a string; these types say which strings
 * hold numbers (ms since the epoch) and which fields may be absent.
 */

/** HASH `<prefix>article:<id>`. */
export type ArticleHash = {
  id: string;
  url: string;
  canonicalUrl: string;
  feedId: string;
  feedUrl: string;
  outlet: string;
  title: string;
  byline: string;
  /** ISO 8601 UTC, or '' when the source gave none. */
  publishedAt: string;
  /** ISO 639-1 code, or ''. */
  lang: string;
  /** Wire agency credited (AFP, Reuters, AP…), or ''. */
  agency: string;
  status: 'ok' | 'empty' | 'failed';
  reason: string;
  source: 'page' | 'feed';
  charset: string;
  /** Decimal integer. */
  words: string;
  /** ISO 8601 UTC. */
  fetchedAt: string;
  /** '1' when the body was cut at articles.maxBodyChars, else '' (absent on articles stored before it existed). */
  truncated?: string;
  /** Cluster id; absent until the dedup stage placed the article. */
  cluster?: string;
  /** Set by dedup: `container` for a digest, live page, gallery or roundup quoting several stories; absent for an article. */
  kind?: 'container';
  /** Set by dedup: why the article is in its cluster, "<jaccard|containment>:<value>:<articleId>" (the member it matched); absent when it started the cluster. */
  via?: string;
  /** Set by dedup on containers: comma-separated ids of the articles it quotes (their clusters are what it contains). */
  contains?: string;
  /** Set by dedup on quoted articles: comma-separated ids of containers that quote it (check each container's `contains`). */
  quotedIn?: string;
  /** Set by dedup: decimal token count (the representative's "most complete"). */
  tokens?: string;
  /** Set by dedup: the article's numeric LSH ref. */
  ref?: string;
};

/** HASH `<prefix>cluster:<id>`. */
export type ClusterHash = {
  /** "c" followed by seq. */
  id: string;
  /** Decimal integer, increasing with creation. */
  seq: string;
  /** Decimal integer: members in `cluster:<id>:members`. */
  size: string;
  /** ms since the epoch (decimal). */
  createdAt: string;
  /** ms since the epoch (decimal); also the score in `clusters`. */
  updatedAt: string;
  /** Article id of the earliest member (automatic). */
  representative: string;
  /** Article id an editor chose; when present it wins over `representative`. */
  editorRepresentative?: string;
  /** Decimal integer bumped by dedup on every membership change (optimistic concurrency). */
  ver?: string;
  /** ms since the epoch when an editor marked the cluster reviewed. */
  reviewedAt?: string;
  reviewedBy?: string;
};

export type ClusterEventType =
  | 'cluster.created'
  | 'cluster.updated'
  | 'cluster.merged'
  | 'article.clustered'
  | 'article.moved'
  | 'cluster.split'
  | 'cluster.representative'
  | 'cluster.reviewed'
  | 'review.undone'
  | 'thread.created'
  | 'thread.updated'
  | 'thread.merged';

/**
 * The fields every dedup event carries, in order: the commit script
 * (src/store/lua/lsh-commit.lua) is given this list, so emitters cannot drift.
 */
export const EVENT_FIELDS = ['type', 'clusterId', 'articleId', 'mergedFrom', 'representative', 'at'] as const;

/** One entry of STREAM `<prefix>events` (field → value). */
export type ClusterEvent = {
  type: ClusterEventType;
  clusterId: string;
  /** '' when the event is not about one article. */
  articleId: string;
  /**
   * Comma-separated cluster ids that no longer exist (merged in), or ''.
   * article.moved: the cluster the article left.
   */
  mergedFrom: string;
  /** Dedup events: the cluster's representative after the change. */
  representative?: string;
  /** ms since the epoch (decimal). */
  at: string;
  /** Editor events only. */
  editor?: string;
  /** cluster.split: the cluster the article now forms alone. */
  newClusterId?: string;
  /** review.undone: the action reversed. */
  undoes?: 'split' | 'merge' | 'representative' | 'reviewed';
  /** thread.* events: the thread concerned (`mergedFrom` then names threads, not clusters). */
  threadId?: string;
};

/** One entry of STREAM `<prefix>review:audit`. */
export type AuditEntry = {
  editor: string;
  action: 'split' | 'merge' | 'representative' | 'reviewed' | 'undo' | 'thread-remove' | 'thread-join';
  clusterId: string;
  articleId: string;
  detail: string;
  at: string;
};

/** HTTP API: `GET /api/clusters/:id` and the items of `GET /api/clusters`. */
export type ApiCluster = {
  id: string;
  size: number;
  /** The story thread the cluster is in (`GET /api/threads/:id`), or null. */
  thread: string | null;
  /** ISO 8601 UTC. */
  createdAt: string;
  updatedAt: string;
  representative: { id: string; url: string; title: string } | null;
  /** ISO 8601 UTC when an editor last marked it reviewed, else null (compare with updatedAt: changed since?). */
  reviewedAt: string | null;
  /** The editor who marked it reviewed, else null. */
  reviewedBy: string | null;
  members: ApiClusterMember[];
};

/** One member of an ApiCluster: what editors and downstream services see of an article. */
export type ApiClusterMember = {
  id: string;
  url: string;
  title: string;
  outlet: string;
  publishedAt: string;
  lang: string;
  agency: string;
  /** `article`, or `container` for a digest / live page / roundup quoting several stories. */
  kind: 'article' | 'container';
  /** Why it is in the cluster: the measure and the member it matched; null when it started the cluster. */
  joinedVia: { measure: 'jaccard' | 'containment'; value: number; articleId: string } | null;
  /** Containers only: the clusters of the stories it quotes. */
  contains?: string[];
};

/** HTTP API: `GET /api/clusters` page. `next` is the `since` cursor for the following page (since mode). */
export type ApiClusterPage = {
  clusters: ApiCluster[];
  offset?: number;
  limit: number;
  next?: string | null;
};

/** HTTP API: `GET /api/articles/:id` — the article hash, typed, plus its body while it is kept. */
export type ApiArticle = Omit<ArticleHash, 'words' | 'cluster'> & {
  words: number;
  cluster: string;
  body: string | null;
};

/** What a cluster is to its thread's story (src/threads/thread-versions.ts decides it; docs/threads.md). */
export type ApiThreadVersion =
  | 'flash'
  | 'first'
  | 'full'
  | 'update'
  | 'follow-up'
  | 'other agency'
  | 'original'
  | 'translation'
  | 'container';

/** One cluster of an ApiThread, in time order. */
export type ApiThreadCluster = {
  id: string;
  version: ApiThreadVersion;
  /** First publication among its copies, ISO 8601 UTC. */
  at: string;
  size: number;
  lang: string;
  agency: string;
  /** Words of its most complete copy. */
  words: number;
  representative: { id: string; url: string; title: string } | null;
  /** The outlets that ran it, as the feeds name them. */
  outlets: string[];
};

/** HTTP API: `GET /api/threads/:id` and the items of `GET /api/threads`. */
export type ApiThread = {
  id: string;
  size: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  updatedAt: string;
  /** The latest version's headline (its cluster's representative), or null. */
  headline: { clusterId: string; id: string; url: string; title: string } | null;
  clusters: ApiThreadCluster[];
};

/** HTTP API: `GET /api/threads` page. */
export type ApiThreadPage = { threads: ApiThread[]; offset: number; limit: number };
