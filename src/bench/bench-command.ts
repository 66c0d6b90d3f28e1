import { UsageError } from '../command-line/usage-error.js';
import type { Config } from '../config.js';
import { benchBodies } from './body-bench.js';
import { benchDedup } from './dedup-bench.js';
import { benchExtract } from './extract-bench.js';
import { positiveInt } from './lsh-command.js';

const progress = (msg: string) => process.stderr.write(`${msg}\n`);

/**
 * `wiresift bench [extract|dedup|bodies] [--json] [--articles N] [--rounds N]`: ratios
 * against baselines measured in the same run, in interleaved rounds.
 */
export async function benchCommand(
  config: Config,
  which: string | undefined,
  flags: { json: boolean; articles?: string; rounds?: string },
  out: (s: string) => void,
) {
  const articles = flags.articles === undefined ? undefined : positiveInt('articles', flags.articles);
  const rounds = flags.rounds === undefined ? undefined : positiveInt('rounds', flags.rounds);
  const targets = which ? [which] : ['extract', 'dedup'];
  for (const t of targets)
    if (t !== 'extract' && t !== 'dedup' && t !== 'bodies')
      throw new UsageError(`unknown bench ${JSON.stringify(t)}: use extract, dedup, bodies, load or lsh`);
  const results: Record<string, unknown> = {};
  for (const t of targets) {
    if (t === 'extract') results.extract = await benchExtract(config, progress, { rounds });
    else if (t === 'dedup') results.dedup = await benchDedup(config, progress, { articles, rounds });
    else results.bodies = benchBodies(rounds);
  }
  if (flags.json) out(JSON.stringify(which ? results[which] : results));
  else for (const [k, v] of Object.entries(results)) out(`${k}: ${JSON.stringify(v)}`);
  return 0;
}
