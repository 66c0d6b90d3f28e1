import type { Redis } from 'ioredis';
import { type FetchOptions, type FetchResponse, safeFetch } from './fetch.js';
import { HostPoliteness, type PolitenessKeys, type PolitenessOptions } from './host-politeness.js';
import {
  RobotsCache,
  type RobotsKeys,
  type RobotsMemo,
  type RobotsOptions,
  robotsFetcher,
} from './robots.js';

/** What every outgoing request of the pipeline goes through: per-host politeness, and robots.txt for pages. */
export type NetGate = { politeness: HostPoliteness; robots: RobotsCache };

export function createNetGate(
  redis: Redis,
  keys: PolitenessKeys & RobotsKeys,
  fetchOptions: FetchOptions,
  opts: { politeness: PolitenessOptions; robots: RobotsOptions; outbound?: { maxConcurrent: number } },
  robotsMemo: RobotsMemo,
): NetGate {
  const politeness = new HostPoliteness(redis, keys, {
    ...opts.politeness,
    maxConcurrentOutbound: opts.outbound?.maxConcurrent ?? 0,
  });
  const fetchRobots = robotsFetcher(fetchOptions);
  // robots.txt is a request to the host like any other, so it waits for a slot too.
  const robots = new RobotsCache(
    redis,
    keys,
    opts.robots,
    fetchOptions.userAgent,
    (url) => politeness.withSlot(url, () => fetchRobots(url)),
    robotsMemo,
  );
  return { politeness, robots };
}

/**
 * safeFetch behind the gate. `robots: true` for article pages: a page the
 * site's robots.txt disallows is never requested (RobotsDisallowedError).
 * Throws HostBusyError when no slot frees up within the politeness wait.
 */
export async function politeFetch(
  gate: NetGate,
  url: string,
  opts: FetchOptions,
  check: { robots: boolean },
): Promise<FetchResponse> {
  if (check.robots) await gate.robots.assertAllowed(url);
  return gate.politeness.withSlot(url, () => safeFetch(url, opts));
}
