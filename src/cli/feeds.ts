import { fetchOptionsFrom } from '../app/context.js';
import { UsageError } from '../command-line/usage-error.js';
import { type Config, feedSettingsSchema } from '../config.js';
import { type DiscoveredFeed, DiscoveryError, discoverFeed } from '../feeds/discover-feeds.js';
import { readFeedList, toOpml } from '../feeds/feed-list.js';
import {
  describeSettings,
  type FeedSettings,
  fetchOptionsFor,
  hasSettings,
  parseOptionsFor,
} from '../feeds/feed-settings.js';
import type { FeedItem } from '../feeds/feed-types.js';
import { type CappedFeed, FeedParsePool, parseLimitsFrom } from '../feeds/parse-pool.js';
import { safeFetch } from '../net/fetch.js';
import { FetchError } from '../net/fetch-error.js';
import { type AddedFeed, activeFeeds, addFeed, removeFeed } from '../pipeline/feed-registry.js';
import { feedHealth, readFeedState } from '../store/feed-state.js';
import { keysForRedis } from '../store/keys.js';
import { connectRedis } from '../store/redis-client.js';
import { readFileCapped } from './read-file-capped.js';

export type CheckedItem = Pick<FeedItem, 'title' | 'link' | 'guid' | 'published' | 'ingest' | 'reason'>;

export type FeedCheck = {
  ok: boolean;
  /** The feed read: the URL given, the one discovered from a page, or the FILE. */
  feed: string;
  /** How a page URL led to its feed (how: a <link rel="alternate"> or a common path), or every URL tried in vain. */
  discovered?: { from: string; how?: 'link' | 'path'; tried: DiscoveredFeed['tried'] };
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
  /** The HTTP status of a failed fetch, when the server answered. */
  status?: number;
};

function fileUrl(path: string): string {
  return new URL(`file://${path.startsWith('/') ? '' : `${process.cwd()}/`}${path}`).href;
}

function failed(feed: string, error: string, extra: Partial<FeedCheck> = {}): FeedCheck {
  return { ok: false, feed, title: null, format: null, hubs: [], items: [], cut: 0, error, ...extra };
}

function checked(feed: string, parsed: CappedFeed): FeedCheck {
  return {
    ok: true,
    feed,
    title: parsed.title,
    format: parsed.version,
    hubs: parsed.hubs,
    items: parsed.items.map((i) => ({
      title: i.title,
      link: i.link,
      guid: i.guid,
      published: i.published,
      ingest: i.ingest,
      ...(i.reason ? { reason: i.reason } : {}),
    })),
    cut: parsed.cut,
    error: null,
  };
}

/**
 * Fetch (or read) and parse one feed exactly as the worker does, within the
 * same caps. A URL that is a site or article page leads to its feed (see
 * discoverFeed). A file is parsed as if it lived at `opts.url` (relative links
 * resolve against it), else at its file: URL, where they are not http(s);
 * `opts.settings` are a feed's own settings, as `feeds add` would store them.
 */
export async function checkFeed(
  target: string,
  config: Config,
  opts: { url?: string; settings?: FeedSettings } = {},
): Promise<FeedCheck> {
  const pool = new FeedParsePool({ ...parseLimitsFrom(config), threads: 1 });
  const parsing = parseOptionsFor(opts.settings, config.feedLimits.maxItemsPerPoll);
  try {
    if (!/^https?:\/\//i.test(target)) {
      const bytes = await readFileCapped(target, config.net.maxBodyBytes, 'feeds');
      return checked(target, await pool.parse(bytes, undefined, opts.url ?? fileUrl(target), parsing));
    }
    const found = await discoverFeed(
      target,
      fetchOptionsFor(fetchOptionsFrom(config), opts.settings),
      safeFetch,
      { pool, ...parsing },
    );
    const discovered =
      found.how === 'given' ? {} : { discovered: { from: target, how: found.how, tried: found.tried } };
    if (!found.loaded.feed)
      return failed(found.url, 'feeds: not modified (304) with no cached copy', discovered);
    return { ...checked(found.url, found.loaded.feed), ...discovered };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const status = err instanceof FetchError ? err.status : undefined;
    return failed(target, message, {
      ...(status === undefined ? {} : { status }),
      ...(err instanceof DiscoveryError ? { discovered: { from: target, tried: err.tried } } : {}),
    });
  } finally {
    await pool.close();
  }
}

/** Which feed a page led to, and how, for people. */
function discoveryLine(r: FeedCheck): string | undefined {
  const d = r.discovered;
  if (!d?.how) return undefined;
  const how = d.how === 'link' ? 'its <link rel="alternate">' : 'a common feed path';
  return `${d.from} is a page; using the feed ${r.feed} (found through ${how}, ${d.tried.length} URLs tried)`;
}

/** What `feeds add` says when its one check fails: the feed is added all the same, since a site can be down for an hour. */
function addWarning(r: FeedCheck): string {
  const error = r.error ?? 'unknown error';
  if (r.status !== undefined && r.status >= 400)
    return `the feed answered HTTP ${r.status} (${error}); added anyway, it is polled as usual and backs off while it fails`;
  if (/not a feed|no feed was found|is not RSS|not a JSON Feed|malformed/.test(error))
    return `this is not a feed (${error}); added anyway, but its polls will fail until it serves one`;
  return `the feed could not be read (${error}); added anyway`;
}

/** `feeds add` flags, as typed. */
export type SettingFlags = {
  interval?: string | undefined;
  timeout?: string | undefined;
  charset?: string | undefined;
  userAgent?: string | undefined;
  trustFeedText?: boolean;
  bodySelector?: string | undefined;
};

function intFlag(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`feeds add --${name} needs a whole number ≥ ${min}`);
  return n;
}

/** The flags as a feed entry, checked like a config file entry (charset known, timeout under the lease). */
export function addedFeedFrom(flags: SettingFlags, name: string | undefined, config: Config): AddedFeed {
  const intervalSeconds = intFlag('interval', flags.interval, 10);
  const raw = {
    ...(flags.timeout !== undefined ? { timeoutMs: intFlag('timeout', flags.timeout, 100) } : {}),
    ...(flags.charset ? { charset: flags.charset } : {}),
    ...(flags.userAgent ? { userAgent: flags.userAgent } : {}),
    ...(flags.trustFeedText ? { fetchPages: false } : {}),
    ...(flags.bodySelector ? { bodySelector: flags.bodySelector } : {}),
  };
  const parsed = feedSettingsSchema.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(
      `feeds add: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  const lease = config.net.politeness.leaseMs;
  if ((parsed.data.timeoutMs ?? 0) >= lease)
    throw new UsageError(`feeds add --timeout must be below net.politeness.leaseMs (${lease})`);
  return {
    ...(name ? { name } : {}),
    ...(intervalSeconds ? { intervalSeconds } : {}),
    ...(hasSettings(parsed.data) ? { settings: parsed.data } : {}),
  };
}

export async function feedsCommand(
  sub: string | undefined,
  args: string[],
  flags: { json: boolean; name?: string; url?: string; settingFlags?: SettingFlags },
  config: Config,
  out: (s: string) => void,
): Promise<number> {
  if (sub === 'check') {
    const target = args[0];
    if (!target) throw new UsageError('feeds check needs a URL or a FILE');
    if (flags.url && !/^https?:\/\//i.test(flags.url))
      throw new UsageError('feeds check --url needs an http(s) URL');
    const { settings } = addedFeedFrom(flags.settingFlags ?? {}, undefined, config);
    const r = await checkFeed(target, config, {
      ...(flags.url ? { url: flags.url } : {}),
      ...(settings ? { settings } : {}),
    });
    if (flags.json) out(JSON.stringify(r));
    else if (r.ok) {
      const found = discoveryLine(r);
      if (found) out(found);
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
  const redis = connectRedis(config.redis, 'cli');
  const keys = keysForRedis(config.redis);
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
            const settings = describeSettings(r.settings);
            out(
              `${r.feedId}  ${r.origin.padEnd(6)}  ${r.health.padEnd(7)}  ${r.url}` +
                (r.name ? `  name=${JSON.stringify(r.name)}` : '') +
                `  every=${r.intervalSeconds}s${settings ? ` ${settings}` : ''}  status=${s.lastStatus || 'never'}` +
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
        const entry = addedFeedFrom(flags.settingFlags ?? {}, flags.name, config);
        // Checked once as the worker would read it; a page URL is replaced by the feed it leads to.
        const r = await checkFeed(url, config, entry.settings ? { settings: entry.settings } : {});
        const feedUrl = r.ok ? r.feed : url;
        const warning = r.ok ? undefined : addWarning(r);
        const feedId = await addFeed(redis, keys, feedUrl, entry);
        if (flags.json)
          out(
            JSON.stringify({
              feedId,
              url: feedUrl,
              ...(r.discovered ? { discovered: r.discovered } : {}),
              ...(warning ? { warning } : {}),
            }),
          );
        else {
          const found = discoveryLine(r);
          if (found) out(found);
          if (warning) out(`warning: ${warning}`);
          else out(`${r.title} (${r.format}): ${r.items.length} items`);
          out(feedId);
        }
        return 0;
      }
      case 'remove': {
        const id = args[0];
        if (!id) throw new UsageError('feeds remove needs a feed ID (see `wiresift feeds list`)');
        const removed = await removeFeed(redis, keys, id);
        if (!removed) {
          out(`no added feed with id ${id} (feeds from the config file are removed there)`);
          return 1;
        }
        out(
          `removed ${id}${removed.name ? ` ${JSON.stringify(removed.name)}` : ''}${removed.url ? ` ${removed.url}` : ''}`,
        );
        return 0;
      }
      case 'import': {
        const file = args[0];
        if (!file) throw new UsageError('feeds import needs an OPML or text FILE');
        const refs = await readFeedList(file);
        for (const r of refs) await addFeed(redis, keys, r.url, r.title ? { name: r.title } : {});
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
