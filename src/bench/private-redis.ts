import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export type PrivateRedis = { url: string; port: number; version: string; stop(): Promise<void> };

/** A free loopback port, as the OS hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A redis-server of our own on loopback, no persistence, in a temp folder: a
 * bench's Redis figures (CPU, memory) are then this bench's alone.
 */
export async function startPrivateRedis(port?: number, extraArgs: string[] = []): Promise<PrivateRedis> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'wiresift-redis-'));
  const args = ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn('redis-server', [...args, '--dir', dir, ...extraArgs], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let failed: Error | null = null;
  child.on('error', (err) => {
    failed = new Error(`bench: cannot start redis-server (${err.message}); install it or pass --redis-url`);
  });
  const url = `redis://127.0.0.1:${p}`;
  const deadline = Date.now() + 10_000;
  let version = '';
  while (!version) {
    if (failed) throw failed;
    if (child.exitCode !== null)
      throw new Error(`bench: redis-server on port ${p} exited (${child.exitCode})`);
    if (Date.now() > deadline) throw new Error(`bench: redis-server on port ${p} did not answer in 10 s`);
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {}); // refused until it listens: the loop retries
    try {
      await r.connect();
      version = /redis_version:(\S+)/.exec(await r.info('server'))?.[1] ?? '?';
    } catch {
      await new Promise((res) => setTimeout(res, 50));
    } finally {
      r.disconnect();
    }
  }
  return {
    url,
    port: p,
    version,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((res) => child.once('exit', res));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
