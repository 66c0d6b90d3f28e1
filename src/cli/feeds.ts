import type { Config } from '../config.js';
import { readFeedList, toOpml } from '../feeds/feed-list.js';
import type { FeedItem } from '../feeds/feed-types.js';
import { fetchAndParseFeed } from '../feeds/load-feed.js';
import { type CappedFeed, FeedParsePool, parseLimitsFrom } from '../feeds/parse-pool.js';
import { safeFetch } from '../net/fetch.js';
import { connectRedis, fetchOptionsFrom } from '../pipeline/context.js';
import { activeFeeds, addFeed, removeFeed } from '../pipeline/feed-registry.js';
import { feedHealth, readFeedState } from '../store/feed-state.js';
import { keysFor } from '../store/keys.js';
import { readFileCapped } from './read-file-capped.js';
import { UsageError } from './usage-error.js';

export type CheckedItem = Pick<FeedItem, 'title' | 'link' | 'guid' | 'published' | 'ingest' | 'reason'>;

export type FeedCheck = {
  ok: boolean;
  title: string | null;
  /** What the document is ("rss 2.0", "atom 0.3", "json feed 1.1", "news sitemap"), null when it failed. */
  format: string | null;
  /** WebSub hubs the feed names. */
  hubs: string[];
  /** Every item in document order, with how the worker ingests it. */
  items: CheckedItem[];
  /** Items beyond feedLimits.maxItemsPerPoll, dropped as a poll would. */
  cut: number;
  error: string | null;
};

function fileUrl(path: string): string {
  return new URL(`file://${path.startsWith('/') ? '' : `${process.cwd()}/`}${path}`).href;
}

/**
 * Fetch (or read) and parse one feed exactly as the worker does, within the
 * same caps. A file is parsed as if it lived at `opts.url` (relative links
 * resolve against it), else at its file: URL, where they are not http(s).
 */
export async function checkFeed(
  target: string,
  config: Config,
  opts: { url?: string } = {},
): Promise<FeedCheck> {
  const pool = new FeedParsePool({ ...parseLimitsFrom(config), threads: 1 });
  const maxItems = config.feedLimits.maxItemsPerPoll;
  try {
    let feed: CappedFeed | null;
    if (/^https?:\/\//i.test(target)) {
      feed = (await fetchAndParseFeed(target, fetchOptionsFrom(config), safeFetch, { pool, maxItems })).feed;
    } else {
      const bytes = await readFileCapped(target, config.net.maxBodyBytes, 'feeds');
      feed = await pool.parse(bytes, undefined, opts.url ?? fileUrl(target), { maxItems });
    }
    if (!feed)
      return {
        ok: false,
        title: null,
        format: null,
        hubs: [],
        items: [],
        cut: 0,
        error: 'feeds: not modified (304) with no cached copy',
      };
    return {
      ok: true,
      title: feed.title,
      format: feed.version,
      hubs: feed.hubs,
      items: feed.items.map((i) => ({
        title: i.title,
        link: i.link,
        guid: i.guid,
        published: i.published,
        ingest: i.ingest,
        ...(i.reason ? { reason: i.reason } : {}),
      })),
      cut: feed.cut,
      error: null,
    };
  } catch (err) {
    return {
      ok: false,
      title: null,
      format: null,
      hubs: [],
      items: [],
      cut: 0,
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    await pool.close();
  }
}

export async function feedsCommand(
  sub: string | undefined,
  args: string[],
  flags: { json: boolean; name?: string; url?: string },
  config: Config,
  out: (s: string) => void,
): Promise<number> {
  if (sub === 'check') {
    const target = args[0];
    if (!target) throw new UsageError('feeds check needs a URL or a FILE');
    if (flags.url && !/^https?:\/\//i.test(flags.url))
      throw new UsageError('feeds check --url needs an http(s) URL');
    const r = await checkFeed(target, config, flags.url ? { url: flags.url } : {});
    if (flags.json) out(JSON.stringify(r));
    else if (r.ok) {
      out(
        `${r.title} (${r.format}) — ${r.items.length} items` +
          (r.cut ? ` (${r.cut} more cut: feedLimits.maxItemsPerPoll keeps the newest)` : ''),
      );
      for (const i of r.items)
        out(
          `  ${i.ingest.padEnd(4)}  ${i.published ?? '(no date)'}  ${i.title}\n    ${i.link ?? i.guid ?? ''}` +
            (i.reason ? `\n    (${i.reason})` : ''),
        );
    } else out(`feed fails: ${r.error}`);
    return r.ok ? 0 : 1;
  }
  const redis = connectRedis(config, 'cli');
  const keys = keysFor(config.redis.prefix);
  try {
    switch (sub) {
      case 'list': {
        const feeds = await activeFeeds(redis, keys, config);
        const now = Date.now();
        const rows = await Promise.all(
          feeds.map(async (f) => {
            const state = await readFeedState(redis, keys, f.feedId);
            return { ...f, health: feedHealth(state, now), state };
          }),
        );
        if (flags.json) out(JSON.stringify({ feeds: rows }));
        else
          for (const r of rows) {
            const s = r.state;
            out(
              `${r.feedId}  ${r.origin.padEnd(6)}  ${r.health.padEnd(7)}  ${r.url}  status=${s.lastStatus || 'never'}` +
                (s.lastFetchedAt ? ` last=${s.lastFetchedAt}` : '') +
                (s.nextFetchAt > now ? ` next=${new Date(s.nextFetchAt).toISOString()}` : '') +
                (s.consecutiveErrors ? ` errors=${s.consecutiveErrors} (${s.lastError})` : ''),
            );
          }
        return 0;
      }
      case 'add': {
        const url = args[0];
        if (!url || !/^https?:\/\//i.test(url)) throw new UsageError('feeds add needs an http(s) URL');
        out(await addFeed(redis, keys, url, flags.name));
        return 0;
      }
      case 'remove': {
        const id = args[0];
        if (!id) throw new UsageError('feeds remove needs a feed ID (see `wiresift feeds list`)');
        if (!(await removeFeed(redis, keys, id))) {
          out(`no added feed with id ${id} (feeds from the config file are removed there)`);
          return 1;
        }
        return 0;
      }
      case 'import': {
        const file = args[0];
        if (!file) throw new UsageError('feeds import needs an OPML or text FILE');
        const refs = await readFeedList(file);
        for (const r of refs) await addFeed(redis, keys, r.url, r.title);
        out(`imported ${refs.length} feeds`);
        return 0;
      }
      case 'export': {
        const feeds = await activeFeeds(redis, keys, config);
        out(
          toOpml(
            feeds.map((f) => ({ url: f.url, ...(f.name ? { title: f.name } : {}) })),
            'wiresift feeds',
          ),
        );
        return 0;
      }
      default:
        throw new UsageError(
          `unknown feeds command ${JSON.stringify(sub ?? '')}: use list, add, remove, import, export, check`,
        );
    }
  } finally {
    redis.disconnect();
  }
}
