import type { Redis } from 'ioredis';

/** Script invocations as commandstats names them (the commands a script runs are counted under their own names too). */
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

/** What a Redis has done so far, as INFO tells it: differences of two readings are a run's cost. */
export type RedisCounters = {
  /** Every command, those run inside scripts included (commandstats). */
  commands: number;
  scripts: number;
  /**
   * Client sockets read (`total_reads_processed`): one per request a client sent and
   * waited on, less when requests queued on one connection are read together.
   */
  reads: number;
  cpuSeconds: number;
  usedMemory: number;
  byCommand: Record<string, number>;
};

function field(info: string, name: string): number {
  return Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
}

export async function readCounters(redis: Redis): Promise<RedisCounters> {
  // One INFO for every section, so the reading costs the same whatever is measured.
  const info = await redis.info('everything');
  const byCommand: Record<string, number> = {};
  let commands = 0;
  let scripts = 0;
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const calls = Number(m[2]);
    byCommand[m[1]!] = calls;
    commands += calls;
    if (SCRIPT_COMMANDS.has(m[1]!)) scripts += calls;
  }
  return {
    commands,
    scripts,
    reads: field(info, 'total_reads_processed'),
    cpuSeconds: field(info, 'used_cpu_user') + field(info, 'used_cpu_sys'),
    usedMemory: field(info, 'used_memory'),
    byCommand,
  };
}

/** `after - before` per article, with the probes the measuring side sent itself taken out. */
export function perArticle(
  before: RedisCounters,
  after: RedisCounters,
  articles: number,
  probes: { commands: Record<string, number>; reads: number },
) {
  const round = (x: number) => Math.round((x / articles) * 10) / 10;
  const own = Object.values(probes.commands).reduce((a, b) => a + b, 0);
  const byCommand: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after.byCommand)) {
    const d = calls - (before.byCommand[name] ?? 0) - (probes.commands[name] ?? 0);
    if (d > 0) byCommand[name] = round(d);
  }
  return {
    commands: round(after.commands - before.commands - own),
    scriptCalls: round(after.scripts - before.scripts),
    reads: round(after.reads - before.reads - probes.reads),
    byCommand: Object.fromEntries(Object.entries(byCommand).sort((a, b) => b[1] - a[1])),
  };
}
