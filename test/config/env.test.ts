import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const TOKEN_A = 'alice:Zq8w1XvT0pLm3NbR7cYk';
const TOKEN_B = 'Hj5sK2dF9gQ4wE6rT1yU';

async function tmpFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wiresift-env-'));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig({ env });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('config from the environment', () => {
  it("an env var's error names the variable, not default.yaml", () => {
    const prefix = errorOf({ WIRESIFT_PREFIX: 'myapp' });
    expect(prefix).toContain('WIRESIFT_PREFIX (redis.prefix): must end with ":"');
    expect(prefix).not.toContain('default.yaml');
    const grace = errorOf({ WIRESIFT_SHUTDOWN_GRACE_MS: 'abc' });
    expect(grace).toBe('config: env WIRESIFT_SHUTDOWN_GRACE_MS="abc" must be a whole number');
    expect(errorOf({ WIRESIFT_HOST_MAX_CONCURRENCY: '2x' })).toContain('WIRESIFT_HOST_MAX_CONCURRENCY="2x"');
    // a weak token in the env is reported against the variable that carried it
    expect(errorOf({ WIRESIFT_EDITOR_TOKENS: 'bob:hunter2' })).toMatch(
      /WIRESIFT_EDITOR_TOKENS \(review\.editorTokens\.0\): token too weak/,
    );
  });

  it('*_FILE variants read secrets from files (one entry a line, # comments skipped)', async () => {
    const editors = await tmpFile('editors', `# newsroom editors\n${TOKEN_A}\n\n${TOKEN_B}\n`);
    const api = await tmpFile('api', `${TOKEN_B}\n`);
    const metrics = await tmpFile('metrics', `${TOKEN_B}\n`);
    const c = loadConfig({
      env: {
        WIRESIFT_EDITOR_TOKENS_FILE: editors,
        WIRESIFT_API_TOKENS_FILE: api,
        WIRESIFT_METRICS_TOKEN_FILE: metrics,
      },
    });
    expect(c.review.editorTokens).toEqual([TOKEN_A, TOKEN_B]);
    expect(c.review.apiTokens).toEqual([TOKEN_B]);
    expect(c.ops.metricsToken).toBe(TOKEN_B);
    expect(errorOf({ WIRESIFT_API_TOKENS: TOKEN_B, WIRESIFT_API_TOKENS_FILE: api })).toBe(
      'config: set WIRESIFT_API_TOKENS or WIRESIFT_API_TOKENS_FILE, not both',
    );
    expect(errorOf({ WIRESIFT_METRICS_TOKEN_FILE: '/nonexistent/secret' })).toMatch(
      /^config: env WIRESIFT_METRICS_TOKEN_FILE="\/nonexistent\/secret": cannot read the file/,
    );
    const weak = await tmpFile('weak', 'bob:hunter2\n');
    expect(errorOf({ WIRESIFT_EDITOR_TOKENS_FILE: weak })).toContain(
      'WIRESIFT_EDITOR_TOKENS_FILE (review.editorTokens.0)',
    );
  });

  it('no feeds by default; WIRESIFT_FEEDS takes URLs; WIRESIFT_CONFIG names the config file (--config wins)', async () => {
    expect(loadConfig({ env: {} }).feeds).toEqual([]);
    const feeds = loadConfig({
      env: { WIRESIFT_FEEDS: 'https://a.example/rss, https://b.example/atom' },
    }).feeds;
    expect(feeds).toEqual([{ url: 'https://a.example/rss' }, { url: 'https://b.example/atom' }]);
    // a path is a list file that `run` reads; the configured feeds stay
    expect(loadConfig({ env: { WIRESIFT_FEEDS: '/etc/wiresift/feeds.opml' } }).feeds).toEqual([]);

    const site = await tmpFile('site.yaml', 'log:\n  level: warn\n');
    const other = await tmpFile('other.yaml', 'log:\n  level: error\n');
    expect(loadConfig({ env: { WIRESIFT_CONFIG: site } }).log.level).toBe('warn');
    expect(loadConfig({ file: other, env: { WIRESIFT_CONFIG: site } }).log.level).toBe('error');
    expect(errorOf({ WIRESIFT_CONFIG: '/nonexistent/site.yaml' })).toMatch(
      /cannot read .*\(from env WIRESIFT_CONFIG\)/,
    );
  });
});
