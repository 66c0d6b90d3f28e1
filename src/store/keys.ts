/**
 * The Redis key schema, version 1. docs/redis.md documents every key here;
 * test/contract/redis-contract.test.ts reads them as a consumer would and
 * test/store/key-layout.test.ts pins both layouts.
 *
 * On Redis Cluster the prefix carries a hash tag (`{wiresift}:v1:`): the keys
 * a dedup, review or thread step touches in one script share its slot. The
 * families no such step touches spread instead (`cluster: true`): they are
 * built from the prefix without its braces and carry a tag of their own —
 * bodies by article, learned boilerplate by domain, politeness together
 * (one lease script takes a host's and the outbound cap's keys), sign-in
 * counters together. On one Redis the braces change nothing.
 */
export type Keys = ReturnType<typeof keysFor>;

export type KeyLayout = { cluster?: boolean };

/** The prefix without its hash tag's braces: where the families that spread on Redis Cluster start. */
export function untaggedPrefix(prefix: string): string {
  return prefix.replace(/[{}]/g, '');
}

export function keysFor(prefix: string, layout: KeyLayout = {}) {
  // On one Redis every family keeps today's names exactly.
  const spread = layout.cluster ? untaggedPrefix(prefix) : prefix;
  const tag = (value: string) => (layout.cluster ? `{${value}}` : value);
  const net = layout.cluster ? `${spread}{politeness}:` : prefix;
  const signIn = layout.cluster ? `${spread}{signin}:review:` : `${prefix}review:`;
  return {
    prefix,
    /** Whether the families below spread over Redis Cluster slots (their keys' tags). */
    onCluster: layout.cluster === true,
    /** HASH: one stored article (fields in docs/redis.md). */
    article: (id: string) => `${prefix}article:${id}`,
    /** STRING: the article's extracted body text; expires after articles.bodyTtlHours. */
    articleBody: (id: string) => `${spread}article:${tag(id)}:body`,
    /** ZSET: article ids scored by first-seen time (ms). */
    articlesByTime: `${prefix}articles`,
    /** STRING: article id for a canonical URL (exact dedup across feeds). */
    urlIndex: (canonicalUrlHash: string) => `${prefix}url:${canonicalUrlHash}`,
    /**
     * HASH (binary values): the LSH band buckets of one generation under one index tag; fields
     * are bucket groups, values packed 8-byte records (bucket tag, ref); docs/dedup.md.
     */
    lshBuckets: (tag: number | string, generation: number | string) =>
      `${prefix}lsh:{i${tag}}:b:${generation}`,
    /** STRING (binary): fixed-size signature records of refs [n*block, (n+1)*block); docs/dedup.md. */
    lshSigBlock: (tag: number | string, block: number | string) => `${prefix}lsh:{i${tag}}:sig:${block}`,
    /** HASH: the LSH generations: cur and old ("id:bits"; old while it moves into cur), opened (ms). */
    lshGenerations: `${prefix}lsh:gen`,
    /** STRING: counter issuing numeric refs to indexed articles. */
    lshRefSeq: `${prefix}lsh:ref-seq`,
    /** ZSET: first ref issued in each hour (member), scored by the hour number (the time window). */
    lshRefsByHour: `${prefix}lsh:hours`,
    /** STRING: counter ordering indexed articles for placement (lsh-query.lua). */
    lshPublishSeq: `${prefix}lsh:iseq`,
    /** HASH: one cluster (fields in docs/redis.md). */
    cluster: (id: string) => `${prefix}cluster:${id}`,
    /** ZSET: member article ids of a cluster, scored by published time (ms). */
    clusterMembers: (id: string) => `${prefix}cluster:${id}:members`,
    /** ZSET: cluster ids scored by last update (ms). */
    clustersByUpdate: `${prefix}clusters`,
    /** STRING: counter for new cluster ids. */
    clusterSeq: `${prefix}cluster:seq`,
    /** SET: article id pairs an editor said are not the same story ("a|b", a < b). */
    blockedPairs: `${prefix}blocked-pairs`,
    /** STREAM: change events for downstream services. */
    events: `${prefix}events`,
    /** HASH: configured/added feeds, id -> JSON. */
    feeds: `${prefix}feeds`,
    /** HASH: per-feed fetch state (etag, last status, errors, next fetch). */
    feedState: (feedId: string) => `${prefix}feed:${feedId}:state`,
    /** HASH (internal): the feed's WebSub subscription (hub, topic, secret, state, lease end); src/store/websub-state.ts. */
    websub: (feedId: string) => `${prefix}feed:${feedId}:websub`,
    /** ZSET: leases held on one host (member lease id, score expiry ms); see src/net/host-politeness.ts. */
    hostLeases: (host: string) => `${net}host:${host}:leases`,
    /** STRING: earliest time (ms) the next request to this host may start. */
    hostNextAt: (host: string) => `${net}host:${host}:next`,
    /** ZSET: leases on the deployment-wide outbound cap (net.outbound.maxConcurrent); like hostLeases. */
    outboundLeases: `${net}net:outbound:leases`,
    /** STRING: never written (the outbound cap has no minimum delay); read by the shared lease script. */
    outboundNextAt: `${net}net:outbound:next`,
    /** STRING: robots.txt of one origin as fetched (capped), or a marker; expires after net.robots.ttlSeconds. */
    robots: (origin: string) => `${spread}robots:${origin}`,
    /** STRING: a short-lived write (PX) that proves Redis takes writes again after an OOM/MISCONF episode. */
    writeProbe: `${prefix}ops:write-probe`,
    /**
     * ZSET: body lines seen on pages of one domain (member: the line's match key, score:
     * distinct stories, i.e. dedup clusters, it was seen under). At
     * extract.learnedBoilerplate.minStories a line is boilerplate for that domain. Capped at
     * maxLinesPerDomain (fewest stories evicted first); expires ttlDays after the domain's last page.
     */
    boilerplateLines: (domain: string) => `${spread}boilerplate:${tag(domain)}:lines`,
    /** HASH: line match key -> comma-separated story keys it was seen under (up to minStories); same TTL. */
    boilerplateStories: (domain: string) => `${spread}boilerplate:${tag(domain)}:stories`,
    /**
     * STRING (internal): wrong tokens from one address group (an IPv4 address or an IPv6 /64,
     * hashed) in the current window; expires review.signInWindowMinutes after the first one.
     */
    signInFailures: (groupHash: string) => `${signIn}signin-failures:${groupHash}`,
    /** STRING (internal): wrong tokens from every address in the current window; same expiry. */
    signInFailuresAll: `${signIn}signin-failures-all`,
    /** HASH: one story thread (fields in docs/redis.md). */
    thread: (id: string) => `${prefix}thread:${id}`,
    /** ZSET: the clusters of a thread, scored by each cluster's first publication (ms). */
    threadClusters: (id: string) => `${prefix}thread:${id}:clusters`,
    /** ZSET: thread ids scored by last update (ms). */
    threadsByUpdate: `${prefix}threads`,
    /** STRING: counter for new thread ids. */
    threadSeq: `${prefix}thread:seq`,
    /** STRING (internal): bumped on every thread commit (optimistic concurrency). */
    threadEpoch: `${prefix}thread:epoch`,
    /**
     * HASH (internal): a cluster's story as threads compare it (profile, first publication,
     * the article it was read from, its thread); expires threads.windowDays after its last write.
     */
    story: (clusterId: string) => `${prefix}story:${clusterId}`,
    /** ZSET (internal): clusters whose story holds one fact (term hash, hex), scored by write time (ms). */
    storyTerm: (term: string) => `${prefix}story:term:${term}`,
    /** HASH (internal): editors' thread decisions by article id: JSON {apart: [ids], together: [ids]}. */
    threadDecisions: `${prefix}thread:decisions`,
    /** LIST (internal): JSON records of editors' thread actions, newest first, for their undo. */
    threadUndo: `${prefix}review:thread-undo`,
    /** STREAM: one entry per editor action (editor, action, clusterId, articleId, detail, at). */
    reviewAudit: `${prefix}review:audit`,
    /** LIST (internal): JSON records of applied cluster actions, newest first, for each cluster's undo. */
    reviewUndo: `${prefix}review:undo`,
    /** STRING (internal): an editor session, by SHA-256 of the cookie value. */
    reviewSession: (hash: string) => `${prefix}review:session:${hash}`,
  };
}

/** The keys of a configured deployment (its prefix, and its layout on Redis Cluster). */
export function keysForRedis(redis: { prefix: string; cluster: boolean }): Keys {
  return keysFor(redis.prefix, { cluster: redis.cluster });
}

/**
 * BullMQ keys live under the same configured prefix as ours (minus the
 * trailing colon BullMQ adds itself), so one prefix moves a whole deployment.
 * On Redis Cluster each queue's keys share a hash tag of their own (its
 * name), so the queues spread over the cluster and off the dedup slot.
 */
export function bullPrefix(redis: { prefix: string; cluster: boolean }, queue: string): string {
  if (!redis.cluster) return `${redis.prefix}bull`;
  return `${untaggedPrefix(redis.prefix)}bull:{${queue}}`;
}
