import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { freePort } from '../src/bench/private-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const { Redis } = await import('ioredis');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    r.on('error', () => {}); // refused until it listens: the loop retries
    try {
      await r.connect();
      await r.ping();
      r.disconnect();
      return;
    } catch {
      r.disconnect();
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  throw new Error('redis-server did not answer within 10 s');
}

/**
 * Tests get their own redis-server on a free port when the binary exists, so
 * they never touch a Redis they did not start; otherwise REDIS_URL is used and
 * every test isolates itself with a unique key prefix.
 */
export default async function setup(project: TestProject) {
  if (!hasRedisServer()) {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    console.warn(`[wiresift tests] redis-server not found: using ${url} with unique key prefixes`);
    project.provide('redisUrl', url);
    return;
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  await waitForPing(port, child);
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  return async () => {
    child.kill('SIGTERM');
    await new Promise((res) => child.once('exit', res));
  };
}
