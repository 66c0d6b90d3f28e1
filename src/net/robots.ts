import type { Redis } from 'ioredis';
import robotsParserModule from 'robots-parser';
import { type FetchOptions, safeFetch } from './fetch.js';
import { FetchError } from './fetch-error.js';

export type RobotsOptions = {
  enabled: boolean;
  /** How long one origin's robots.txt is trusted before it is fetched again. */
  ttlSeconds: number;
  /** After robots.txt could not be read (5xx, timeout), how long before trying again. */
  unreachableTtlSeconds: number;
  /** How long one worker reuses a parsed robots.txt before reading Redis again (0: never); the caller's memo honours it. */
  memoSeconds: number;
};

/** Where an origin's robots.txt is kept in Redis; the deployment's key schema provides it. */
export type RobotsKeys = { robots(origin: string): string };

// The package is CommonJS (module.exports = fn) but its typings declare an ES default export.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** robots.txt larger than this is cut (RFC 9309 asks crawlers to read at least 500 KiB). */
const MAX_ROBOTS_BYTES = 512 * 1024;
/** Cached for an origin whose robots.txt is missing (4xx): everything is allowed. */
const ALLOW_ALL = '';
/** Cached for an origin whose robots.txt could not be read: retried after a short while. */
const UNREACHABLE = '\u0000unreachable';

/** The site's robots.txt forbids this page to our user agent: fetching it again would not help. */
export class RobotsDisallowedError extends Error {
  override readonly name = 'RobotsDisallowedError';
  constructor(
    readonly url: string,
    readonly agent: string,
  ) {
    super(`net: robots.txt of ${new URL(url).host} disallows ${url} for user agent "${agent}"`);
  }
}

/** The product token robots.txt groups are matched on: "wiresift" of "wiresift/0.1 (…)". */
export function robotsAgentToken(userAgent: string): string {
  return userAgent.trim().split(/[/\s]/)[0] || userAgent;
}

export type RobotsFetch = (robotsUrl: string) => Promise<string>;

function unreachable(robotsUrl: string): FetchError {
  return new FetchError(
    'network',
    robotsUrl,
    'robots.txt could not be read; the page is not fetched until it can',
  );
}

/**
 * robots.txt per origin, cached in Redis so replicas share one copy and a
 * site is asked once per TTL. A missing file allows everything; one that
 * cannot be read makes the check fail retryably rather than guess.
 */
export type ParsedRobots = { text: string; robots: ReturnType<typeof robotsParser> | null };

/** An in-process memo of parsed files by origin; load() is not memoised when it throws. */
export type RobotsMemo = {
  getOrLoad(origin: string, load: () => Promise<ParsedRobots>): Promise<ParsedRobots>;
};

export class RobotsCache {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RobotsKeys,
    private readonly options: RobotsOptions,
    private readonly userAgent: string,
    private readonly fetchRobots: RobotsFetch,
    /**
     * Each origin's robots.txt, parsed, for options.memoSeconds: every page of a
     * site otherwise paid a Redis read and a parse of the whole file.
     */
    private readonly parsed: RobotsMemo,
  ) {}

  /** Throws RobotsDisallowedError when disallowed, a retryable FetchError when robots.txt is unreadable. */
  async assertAllowed(url: string): Promise<void> {
    if (!this.options.enabled) return;
    const origin = new URL(url).origin;
    const robotsUrl = `${origin}/robots.txt`;
    const { text, robots } = await this.parsed.getOrLoad(origin, async () => {
      const key = this.keys.robots(origin);
      let text = await this.redis.get(key);
      if (text === null) {
        text = await this.load(robotsUrl);
        const ttl = text === UNREACHABLE ? this.options.unreachableTtlSeconds : this.options.ttlSeconds;
        await this.redis.set(key, text, 'EX', ttl);
      }
      // An unreachable file is not memoised: its short Redis TTL decides when to try again.
      if (text === UNREACHABLE) throw unreachable(robotsUrl);
      return { text, robots: text === ALLOW_ALL ? null : robotsParser(robotsUrl, text) };
    });
    if (text === ALLOW_ALL || !robots) return;
    const agent = robotsAgentToken(this.userAgent);
    if (robots.isDisallowed(url, agent) === true) {
      throw new RobotsDisallowedError(url, agent);
    }
  }

  private async load(robotsUrl: string): Promise<string> {
    try {
      return await this.fetchRobots(robotsUrl);
    } catch (err) {
      if (err instanceof FetchError) {
        // RFC 9309: a robots.txt that is absent (4xx) places no restriction.
        if (err.code === 'http_status' && err.status !== undefined && err.status >= 400 && err.status < 500)
          return ALLOW_ALL;
        if (err.code === 'empty_body') return ALLOW_ALL;
        // Not a text file (an HTML error page served as 200, a redirect to a login page...).
        if (err.code === 'bad_content_type') return ALLOW_ALL;
        if (err.code === 'too_large') return ALLOW_ALL;
        if (err.code === 'ssrf_blocked' || err.code === 'bad_scheme') throw err;
        return UNREACHABLE;
      }
      // Not an answer from the site (no politeness slot yet, say): nothing to cache.
      throw err;
    }
  }
}

/** robots.txt through the same guarded client as everything else. */
export function robotsFetcher(fetchOptions: FetchOptions): RobotsFetch {
  return async (robotsUrl) => {
    const res = await safeFetch(robotsUrl, {
      ...fetchOptions,
      maxBytes: Math.min(fetchOptions.maxBytes, MAX_ROBOTS_BYTES),
      accept: 'text/plain, */*;q=0.5',
      allowedContentTypes: /^\s*text\/plain\b/i,
    });
    return res.body.toString('utf8');
  };
}
