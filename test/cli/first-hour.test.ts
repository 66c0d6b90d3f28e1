import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysFor } from '../../src/store/keys.js';
import { outputOf, repoRoot, runCli, spawnCli } from '../support/cli.js';
import { connectTestRedis, dropPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

const PAGE = join(repoRoot, 'test', 'fixtures', 'e2e', 'pages', 'la-gazette', 'greve-controleurs.html');
const CLUSTERS = 3000;

describe('the CLI in the first hour', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('cli-first-hour');
  const env = { REDIS_URL: testRedisUrl(), WIRESIFT_PREFIX: prefix, LOG_LEVEL: 'warn' };

  beforeAll(async () => {
    // enough clusters that `clusters` writes far more than a pipe holds
    const k = keysFor(prefix);
    const pipe = redis.pipeline();
    for (let i = 1; i <= CLUSTERS; i++) {
      const id = `c${i}`;
      const aid = `a${i}`;
      pipe.hset(k.article(aid), {
        id: aid,
        url: `https://www.site${i % 7}.example/story/${i}`,
        title: `Story ${i}`,
        outlet: 'A very long channel title - All the news of the region, live',
        publishedAt: '2026-03-01T10:00:00.000Z',
        cluster: id,
      });
      pipe.zadd(k.clusterMembers(id), i, aid);
      pipe.hset(k.cluster(id), { id, seq: i, size: 1, createdAt: i, updatedAt: i, representative: aid });
      pipe.zadd(k.clustersByUpdate, i, id);
    }
    await pipe.exec();
  }, 60_000);
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('clusters and feeds list fail fast, saying why, while Redis is down', { timeout: 60_000 }, async () => {
    const down = { ...env, REDIS_URL: 'redis://127.0.0.1:1' };
    for (const args of [['clusters'], ['feeds', 'list'], ['reconcile']]) {
      const child = spawnCli(args, down);
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const r = await outputOf(child);
      clearTimeout(killer);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('wiresift: cannot reach Redis at redis://127.0.0.1:1 (ECONNREFUSED');
    }
  });

  it('`clusters | head` exits quietly; the outlet column is the site, cut to line up', {
    timeout: 60_000,
  }, async () => {
    const child = spawnCli(['clusters'], env);
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const first = await new Promise<string>((resolve) => {
      let got = '';
      child.stdout!.on('data', (d) => {
        got += d;
        if (got.split('\n').length > 10) resolve(got);
      });
    });
    child.stdout!.destroy(); // what head does after ten lines
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
    const member = first.split('\n')[1]!;
    expect(member).toMatch(/^ {4}site\d\.example {12}Story \d+$/);

    const all = await runCli(['clusters'], env);
    const rows = all.stdout.split('\n').filter((l) => l.startsWith('    '));
    expect(new Set(rows.map((l) => l.indexOf('Story'))).size).toBe(1);
  });

  it('each command has its own --help; the global one lists every env var', async () => {
    const run = await runCli(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wiresift run [--role R]');
    expect(run.stdout).not.toContain('wiresift extract');
    const feeds = await runCli(['help', 'feeds']);
    expect(feeds.stdout).toContain('wiresift feeds list');
    expect(feeds.stdout).not.toContain('wiresift bench');
    const all = await runCli(['--help']);
    for (const v of [
      'WIRESIFT_EDITOR_TOKENS[_FILE]',
      'WIRESIFT_API_TOKENS[_FILE]',
      'WIRESIFT_HOST_MAX_CONCURRENCY',
      'WIRESIFT_CONFIG',
      'WIRESIFT_FEEDS',
    ])
      expect(all.stdout).toContain(v);
    // a usage mistake in one command shows that command's usage
    const bad = await runCli(['extract']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('wiresift extract --list');
    expect(bad.stderr).not.toContain('wiresift bench');
  });

  it('extract: a missing file exits 1; "-" reads standard input', { timeout: 60_000 }, async () => {
    const missing = await runCli(['extract', '/nonexistent/page.html']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).status).toBe('failed');
    expect(missing.stderr).toContain('cannot read /nonexistent/page.html: ENOENT');

    const child = spawn(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [join(repoRoot, 'test', 'support', 'cli-entry.ts'), 'extract', '-'],
      {
        cwd: repoRoot,
        env: process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const done = outputOf(child);
    const { createReadStream } = await import('node:fs');
    createReadStream(PAGE).pipe(child.stdin!);
    const r = await done;
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout);
    expect(line).toMatchObject({ file: '-', status: 'ok' });
    expect(line.text).toContain('Les contrôleurs du Réseau ferré');
  });
});
