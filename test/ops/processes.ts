import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { repoRoot } from '../support/cli.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A private redis-server this test owns: its own port, its own data folder. */
export class PrivateRedis {
  child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    readonly dir: string,
    readonly aof: boolean,
    readonly password = '',
  ) {}

  get url(): string {
    return `redis://${this.password ? `:${this.password}@` : ''}127.0.0.1:${this.port}`;
  }

  static async create(opts: { aof?: boolean; port?: number; password?: string } = {}): Promise<PrivateRedis> {
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-redis-'));
    return new PrivateRedis(opts.port ?? (await freePort()), dir, opts.aof ?? false, opts.password);
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        this.aof ? 'yes' : 'no',
        '--maxmemory-policy',
        'noeviction',
        ...(this.password ? ['--requirepass', this.password] : []),
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      'redis-server to answer',
      async () => {
        const r = new Redis(this.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        r.on('error', () => undefined);
        try {
          await r.connect();
          return (await r.ping()) === 'PONG' || undefined;
        } catch {
          return undefined;
        } finally {
          r.disconnect();
        }
      },
      10_000,
    );
  }

  /** SIGTERM: Redis's own shutdown, which writes the AOF out. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((res) => c.once('exit', res));
    c.kill('SIGTERM');
    await exited;
    this.child = null;
  }
}

export type Proc = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
};

/** The CLI from source in ONE node process (no tsx wrapper), so kill -9 hits the worker itself. */
export function spawnWiresift(args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'test', 'support', 'cli-entry.ts'), ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, output: () => out, exited };
}

/** A YAML file layered over the defaults (short locks so a killed worker's jobs come back fast). */
export async function opsConfigFile(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wiresift-ops-'));
  const file = join(dir, 'ops.yaml');
  await writeFile(file, yaml);
  return file;
}

export async function writeFeedList(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wiresift-feeds-'));
  const file = join(dir, 'feeds.txt');
  await writeFile(file, text);
  return file;
}

/**
 * The environment a test's wiresift processes run with: its Redis and key prefix, the
 * loopback corpus let through, and per-host politeness relaxed (every test outlet is the
 * one loopback host, which politeness would otherwise serialise).
 */
export function opsEnv(redisUrl: string, prefix: string): NodeJS.ProcessEnv {
  return {
    REDIS_URL: redisUrl,
    WIRESIFT_PREFIX: prefix,
    WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true',
    WIRESIFT_HOST_MAX_CONCURRENCY: '16',
    WIRESIFT_HOST_MIN_DELAY_MS: '0',
    LOG_LEVEL: 'info',
    PORT: '0',
    HOST: '127.0.0.1',
  };
}

/** The processes and redis-servers a test file starts, all ended by one `stop()` in its afterAll. */
export class TestFleet {
  private readonly procs: Proc[] = [];
  private readonly redises: PrivateRedis[] = [];

  start(args: string[], env: NodeJS.ProcessEnv): Proc {
    const p = spawnWiresift(args, env);
    this.procs.push(p);
    return p;
  }

  /** A private redis-server, created but not started (a test may start it late, or never). */
  async redis(opts: { aof?: boolean; port?: number; password?: string } = {}): Promise<PrivateRedis> {
    const r = await PrivateRedis.create(opts);
    this.redises.push(r);
    return r;
  }

  async stop(): Promise<void> {
    for (const p of this.procs)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    for (const r of this.redises) await r.stop();
  }
}
