import type { Config } from '../../src/config.js';
import { testConfig } from './redis.js';

/** The test config for feeds and pages served by a local server: loopback allowed, no delay between requests. */
export function loopbackConfig(
  prefix: string,
  maxConcurrentPerHost?: number,
  env: Record<string, string> = {},
): Config {
  const c = testConfig(prefix, { WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true', ...env });
  c.net.politeness = {
    ...c.net.politeness,
    minDelayMs: 0,
    ...(maxConcurrentPerHost ? { maxConcurrentPerHost } : {}),
  };
  return c;
}
