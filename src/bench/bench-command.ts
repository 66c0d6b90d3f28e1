import { UsageError } from '../cli/usage-error.js';
import type { Config } from '../config.js';
import { benchBodies } from './body-bench.js';
import { benchDedup } from './dedup-bench.js';
import { benchExtract } from './extract-bench.js';

const progress = (msg: string) => process.stderr.write(`${msg}\n`);

/** `wiresift bench [extract|dedup|bodies] [--json] [--articles N]`: ratios against baselines measured in the same run. */
export async function benchCommand(
  config: Config,
  which: string | undefined,
  flags: { json: boolean; articles?: string },
  out: (s: string) => void,
) {
  const articles = flags.articles === undefined ? undefined : Number(flags.articles);
  if (articles !== undefined && !(Number.isInteger(articles) && articles > 0)) {
    throw new UsageError(`--articles must be a positive integer, got ${JSON.stringify(flags.articles)}`);
  }
  const targets = which ? [which] : ['extract', 'dedup'];
  const results: Record<string, unknown> = {};
  for (const t of targets) {
    if (t === 'extract') results.extract = await benchExtract(config, progress);
    else if (t === 'dedup') results.dedup = await benchDedup(config, progress, articles);
    else if (t === 'bodies') results.bodies = benchBodies();
    else throw new UsageError(`unknown bench ${JSON.stringify(t)}: use extract, dedup, bodies, load or lsh`);
  }
  if (flags.json) out(JSON.stringify(which ? results[which] : results));
  else for (const [k, v] of Object.entries(results)) out(`${k}: ${JSON.stringify(v)}`);
  return 0;
}
