import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { connectTestRedis, dropPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

const built = existsSync(join(repoRoot, 'dist', 'src', 'cli.js'));
const redis = connectTestRedis();
const prefix = uniquePrefix('npmstart');
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** Every process whose parent chain leads to `root`, read from /proc. */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name sits in parentheses and may hold spaces: read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(name), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  for (const pid of parentOf.keys()) {
    let p: number | undefined = pid;
    while (p && p !== root && p > 1) p = parentOf.get(p);
    if (p === root && pid !== root) out.push(pid);
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!built || process.platform !== 'linux')('npm start', () => {
  if (!built) console.warn('[wiresift tests] dist/ not built (npm run build): skipping the npm start test');

  it('SIGTERM to npm (as systemd or a script sends it) stops node too', { timeout: 40_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-npmstart-'));
    const list = join(dir, 'feeds.txt');
    await writeFile(list, 'http://127.0.0.1:9/feed.xml\n');
    const npm = spawn('npm', ['start', '--', '--feeds', list], {
      cwd: repoRoot,
      env: {
        ...process.env,
        REDIS_URL: testRedisUrl(),
        WIRESIFT_PREFIX: prefix,
        LOG_LEVEL: 'info',
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout?.on('data', (d) => {
      output += d;
    });
    npm.stderr?.on('data', (d) => {
      output += d;
    });
    const deadline = Date.now() + 25_000;
    while (!output.includes('wiresift running') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('wiresift running');
    const tree = descendants(npm.pid!);
    expect(tree.length).toBeGreaterThan(0);
    npm.kill('SIGTERM');
    await new Promise((res) => npm.on('exit', res));
    const stopBy = Date.now() + 10_000;
    while (tree.some(alive) && Date.now() < stopBy) await new Promise((r) => setTimeout(r, 100));
    const left = tree.filter(alive);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    expect(left, 'processes still running 10 s after SIGTERM to npm').toEqual([]);
  });
});
