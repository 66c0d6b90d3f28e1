import { UsageError } from '../command-line/usage-error.js';
import type { Config } from '../config.js';
import { benchLsh, LSH_BENCH_WINDOWS } from './lsh-bench.js';

export type LshBenchFlags = {
  json: boolean;
  windows?: string;
  rounds?: string;
  port?: string;
  redisUrl?: string;
};

export function positiveInt(name: string, v: string): number {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

/** `wiresift bench lsh [--json] [--windows N,N…] [--rounds N] [--port P | --redis-url URL]`. */
export async function lshBenchCommand(config: Config, flags: LshBenchFlags, out: (s: string) => void) {
  const windows = flags.windows
    ? flags.windows.split(',').map((w) => positiveInt('windows', w.trim()))
    : LSH_BENCH_WINDOWS;
  const rounds = flags.rounds ? positiveInt('rounds', flags.rounds) : 3;
  if (flags.port && flags.redisUrl)
    throw new UsageError('bench lsh takes --port (its own Redis) or --redis-url, not both');
  if (flags.redisUrl && !/^rediss?:\/\//.test(flags.redisUrl))
    throw new UsageError(
      `--redis-url must start with redis:// or rediss://, got ${JSON.stringify(flags.redisUrl)}`,
    );
  const result = await benchLsh(config, (msg) => process.stderr.write(`${msg}\n`), {
    windows,
    rounds,
    ...(flags.port ? { port: positiveInt('port', flags.port) } : {}),
    ...(flags.redisUrl ? { redisUrl: flags.redisUrl } : {}),
  });
  if (flags.json) out(JSON.stringify(result));
  else {
    out('articles in window   Redis CPU ms/article (whole dedup step)   bytes/article (index + signature)');
    for (const w of result.windows)
      out(
        `${String(w.articles).padStart(18)}   ${String(w.redisCpuMsPerArticle).padStart(39)}   ${String(w.bytesPerArticle).padStart(33)}`,
      );
    out(`baselines: ${JSON.stringify(result.baselines.indexStep)}`);
  }
  return 0;
}
