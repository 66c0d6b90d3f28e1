import type { FetchOptions } from '../net/fetch.js';
import type { ParseOptions } from './parse-request.js';

/**
 * What one feed may set for itself, beside its name and interval: in the
 * config file (`feeds:` entries) or with `wiresift feeds add` flags. Each
 * overrides the global setting for this feed only.
 */
export type FeedSettings = {
  /** Total time for one request of this feed (its pages too), instead of net.timeoutMs. */
  timeoutMs?: number;
  /** Read the feed in this charset, whatever it declares (its pages still detect their own). */
  charset?: string;
  /** Sent to this feed's host and its pages' hosts, instead of net.userAgent. */
  userAgent?: string;
  /** false: trust the feed's text (items with text are not fetched as pages). Default true. */
  fetchPages?: boolean;
  /** CSS selector of the article body on this feed's pages: a site rule for their hosts. */
  bodySelector?: string;
};

export const FEED_SETTING_KEYS = ['timeoutMs', 'charset', 'userAgent', 'fetchPages', 'bodySelector'] as const;

/** Only the settings given, so job payloads and stored entries stay small. */
export function pickSettings(from: Partial<Record<string, unknown>>): FeedSettings {
  const out: Record<string, unknown> = {};
  for (const k of FEED_SETTING_KEYS) if (from[k] !== undefined) out[k] = from[k];
  return out as FeedSettings;
}

export function hasSettings(s: FeedSettings | undefined): s is FeedSettings {
  return s !== undefined && FEED_SETTING_KEYS.some((k) => s[k] !== undefined);
}

/** The fetch options of a request made for this feed (the feed itself or one of its pages). */
export function fetchOptionsFor(base: FetchOptions, s: FeedSettings | undefined): FetchOptions {
  return {
    ...base,
    ...(s?.timeoutMs ? { timeoutMs: s.timeoutMs } : {}),
    ...(s?.userAgent ? { userAgent: s.userAgent } : {}),
  };
}

export function parseOptionsFor(s: FeedSettings | undefined, maxItems: number): ParseOptions {
  return {
    maxItems,
    ...(s?.charset ? { charset: s.charset } : {}),
    ...(s?.fetchPages === false ? { trustFeedText: true } : {}),
  };
}

/** One line for `feeds list`: the settings this feed overrides. */
export function describeSettings(s: FeedSettings | undefined): string {
  if (!s) return '';
  const parts: string[] = [];
  if (s.timeoutMs) parts.push(`timeout=${s.timeoutMs}ms`);
  if (s.charset) parts.push(`charset=${s.charset}`);
  if (s.userAgent) parts.push(`userAgent=${JSON.stringify(s.userAgent)}`);
  if (s.fetchPages === false) parts.push('fetchPages=false');
  if (s.bodySelector) parts.push(`body=${JSON.stringify(s.bodySelector)}`);
  return parts.join(' ');
}
