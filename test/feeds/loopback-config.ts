import type { Config } from '../../src/config.js';
import { testConfig } from '../support/redis.js';

/** The test config for feeds and pages served by a local server: loopback allowed, no delay between requests. */
export function loopbackConfig(prefix: string, maxConcurrentPerHost?: number): Config {
  const c = testConfig(prefix, { WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true' });
  c.net.politeness = {
    ...c.net.politeness,
    minDelayMs: 0,
    ...(maxConcurrentPerHost ? { maxConcurrentPerHost } : {}),
  };
  return c;
}
