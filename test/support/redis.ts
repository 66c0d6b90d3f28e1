import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { dropKeys } from '../../src/store/key-scan.js';

export function testRedisUrl(): string {
  return inject('redisUrl');
}

/**
 * The defaults with the test Redis, this prefix and a silent log; `env` adds
 * the overrides a test needs, as the environment would.
 */
export function testConfig(prefix: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    env: { REDIS_URL: testRedisUrl(), WIRESIFT_PREFIX: prefix, LOG_LEVEL: 'silent', ...env },
  });
}

/** A unique key prefix per test, so tests never see each other's keys. */
export function uniquePrefix(name = 't'): string {
  return `wiresift-test:${name}:${randomBytes(4).toString('hex')}:`;
}

export function connectTestRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
}

/** Deletes only the keys under the prefix a test created. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  await dropKeys(redis, `${prefix}*`);
}
