import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, type PrivateRedis, startPrivateRedis } from '../../src/bench/private-redis.js';

const run = promisify(execFile);

export type TestRedisCluster = {
  /** Seed URLs, comma-separated, as REDIS_URL takes them on Redis Cluster. */
  url: string;
  nodes: PrivateRedis[];
  stop(): Promise<void>;
};

/** Why a real Redis Cluster cannot be started here, or null when it can. */
export function clusterUnavailable(): string | null {
  for (const bin of ['redis-server', 'redis-cli']) {
    try {
      execFileSync(bin, ['--version'], { stdio: 'ignore' });
    } catch {
      return `${bin} is not installed`;
    }
  }
  return null;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function freeNodePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p + 10_000 > 65_535 || taken.has(p) || taken.has(p + 10_000)) continue;
    if (await portIsFree(p + 10_000)) return p;
  }
}

/**
 * A real Redis Cluster of `masters` redis-server processes on loopback (no
 * replicas, no persistence), its slots assigned by `redis-cli --cluster create`.
 */
export async function startRedisCluster(masters = 3): Promise<TestRedisCluster> {
  const taken = new Set<number>();
  const nodes: PrivateRedis[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freeNodePort(taken);
      taken.add(port).add(port + 10_000);
      nodes.push(
        await startPrivateRedis(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '5000',
          '--maxmemory-policy',
          'noeviction',
        ]),
      );
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    const deadline = Date.now() + 20_000;
    for (const n of nodes) {
      const r = new Redis(n.url, { maxRetriesPerRequest: 1 });
      try {
        while (!/cluster_state:ok/.test(String(await r.cluster('INFO')))) {
          if (Date.now() > deadline) throw new Error(`redis cluster: node ${n.port} not ok within 20 s`);
          await new Promise((res) => setTimeout(res, 100));
        }
      } finally {
        r.disconnect();
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: nodes.map((n) => n.url).join(','), nodes, stop };
}
