import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dedupPolicyFrom } from '../../src/app/context.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEFAULT_DEDUP_POLICY, DEFAULT_NUM_PERM, DEFAULT_SHINGLE_SIZE } from '../../src/dedup/defaults.js';

async function tmpYaml(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wiresift-config-'));
  const file = join(dir, 'c.yaml');
  await writeFile(file, text);
  return file;
}

describe('config', () => {
  it('loads config/default.yaml and validates it', () => {
    const c = loadConfig({ env: {} });
    expect(c.redis.prefix).toBe('wiresift:v1:');
    expect(c.extract.boilerplate.fr).toContain('Retour en haut');
    expect(c.dedup.candidateThreshold).toBeLessThanOrEqual(c.dedup.jaccardThreshold);
  });

  it('ships the dedup defaults of src/dedup/defaults.ts: one value per setting, whoever reads it', () => {
    const c = loadConfig({ env: {} });
    expect(c.dedup.numPerm).toBe(DEFAULT_NUM_PERM);
    expect(c.dedup.shingleSize).toBe(DEFAULT_SHINGLE_SIZE);
    expect(dedupPolicyFrom(c)).toEqual(DEFAULT_DEDUP_POLICY);
  });

  it('lets the environment override the file', () => {
    const c = loadConfig({
      env: {
        REDIS_URL: 'redis://example:6380',
        WIRESIFT_PREFIX: '{wiresift}:v1:',
        LOG_LEVEL: 'debug',
        PORT: '4001',
        WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true',
      },
    });
    expect(c.redis.url).toBe('redis://example:6380');
    expect(c.redis.prefix).toBe('{wiresift}:v1:');
    expect(c.log.level).toBe('debug');
    expect(c.http.port).toBe(4001);
    expect(c.net.allowPrivateNetworks).toBe(true);
  });

  it('layers --config over the defaults, replacing lists', async () => {
    const file = await tmpYaml('feeds:\n  - url: https://example.org/rss\ndedup:\n  jaccardThreshold: 0.6\n');
    const c = loadConfig({ file, env: {} });
    expect(c.feeds).toEqual([{ url: 'https://example.org/rss' }]);
    expect(c.dedup.jaccardThreshold).toBe(0.6);
    expect(c.dedup.numPerm).toBe(128);
  });

  it('names the bad key and why', async () => {
    const file = await tmpYaml('dedup:\n  numPerm: "lots"\nnet:\n  timeoutMs: -1\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(ConfigError);
    try {
      loadConfig({ file, env: {} });
    } catch (err) {
      expect((err as Error).message).toMatch(/dedup\.numPerm: .*number/i);
      expect((err as Error).message).toMatch(/net\.timeoutMs: /);
    }
  });

  it('rejects unknown keys, bad feed URLs, bad env values', async () => {
    expect(() => loadConfig({ file: undefined, env: { PORT: 'eighty' } })).toThrow(
      /PORT="eighty" is not a port/,
    );
    expect(() => loadConfig({ env: { WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'maybe' } })).toThrow(
      /must be true or false/,
    );
    const unknown = await tmpYaml('dedupe:\n  numPerm: 64\n');
    expect(() => loadConfig({ file: unknown, env: {} })).toThrow(/dedupe/);
    const badFeed = await tmpYaml('feeds:\n  - url: ftp://example.org/rss\n');
    expect(() => loadConfig({ file: badFeed, env: {} })).toThrow(/feeds\.0\.url: must be an http\(s\) URL/);
    const badYaml = await tmpYaml('feeds: [\n');
    expect(() => loadConfig({ file: badYaml, env: {} })).toThrow(/not valid YAML/);
    expect(() => loadConfig({ file: '/nonexistent/wiresift.yaml', env: {} })).toThrow(/cannot read/);
  });

  it('refuses a candidate threshold above the verification threshold', async () => {
    const file = await tmpYaml('dedup:\n  candidateThreshold: 0.9\n  jaccardThreshold: 0.5\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(/dedup\.candidateThreshold/);
  });
});
