import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isRole, ROLES } from '../workers/roles.js';
import { extractFiles, parseExtractList } from './cli/extract.js';
import { feedsCommand } from './cli/feeds.js';
import { healthCommand } from './cli/health.js';
import { reconcileCommand } from './cli/reconcile.js';
import { runForever, runOnce } from './cli/run.js';
import { UsageError } from './cli/usage-error.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { connectRedis } from './pipeline/context.js';
import { listClusters } from './store/cluster-read.js';
import { keysFor } from './store/keys.js';

const HELP = `wiresift — news feed aggregation and near-duplicate clustering of wire stories

Usage:
  wiresift run [--role R] [--config F] [--feeds LIST] [--once]
      Run the pipeline. R is one of ${ROLES.join(', ')} (default all).
      --feeds LIST  poll the feeds in LIST (OPML, or one URL per line) instead of the configured ones
      --once        poll every feed once, wait until every queue is drained, print a summary, exit
  wiresift extract [--url URL] FILE...
  wiresift extract --list LIST.jsonl      (each line {"file": ..., "url": ...})
      Extract article pages from raw files: one JSON line per page, in input order.
  wiresift clusters [--json] [--min-size N]
      Clusters stored in Redis, most recent activity first.
  wiresift feeds list|add URL [--name N] [FEED SETTINGS]|remove ID|import FILE|export|check URL|FILE [--url U] [--json]
      Manage feeds; "check" fetches (or reads) and parses one feed exactly as the worker does.
      FEED SETTINGS: --interval S  --timeout MS  --charset C  --user-agent UA  --trust-feed-text
      --body-selector CSS (see config/default.yaml, feeds:)
  wiresift bench [extract|dedup] [--json] [--articles N]
      Benchmarks against baselines, measured in the same run.
  wiresift bench load [--json] [--articles N] [--feeds N]
      Whole pipeline, every role in one process, on a generated corpus served locally.
  wiresift reconcile [--json] [--dry-run]
      Queue again every seen URL with no stored article and every stored article with no
      cluster (after a Redis outage or memory-full period); same job ids, safe beside workers.
  wiresift health [--url URL]
      GET the local /healthz: exit 0 when alive, 1 otherwise (for HEALTHCHECK).

Common options:
  --config F    a YAML file layered over config/default.yaml
  -h, --help    this help;  --version  the version
Environment: REDIS_URL, WIRESIFT_PREFIX, LOG_LEVEL, LOG_FORMAT, PORT, HOST, WIRESIFT_ALLOW_PRIVATE_NETWORKS,
  WIRESIFT_ALLOW_HOSTS, WIRESIFT_SHUTDOWN_GRACE_MS, WIRESIFT_METRICS_TOKEN, WIRESIFT_METRICS_ALLOWED_NETWORKS,
  WIRESIFT_OUTBOUND_MAX_CONCURRENCY, WIRESIFT_PUBLIC_URL
`;

const options = {
  config: { type: 'string' },
  role: { type: 'string' },
  feeds: { type: 'string' },
  once: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  url: { type: 'string' },
  list: { type: 'string' },
  json: { type: 'boolean', default: false },
  'min-size': { type: 'string' },
  articles: { type: 'string' },
  name: { type: 'string' },
  // feeds add: the feed's own settings (src/feeds/feed-settings.ts).
  interval: { type: 'string' },
  timeout: { type: 'string' },
  charset: { type: 'string' },
  'user-agent': { type: 'string' },
  'trust-feed-text': { type: 'boolean', default: false },
  'body-selector': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const;

function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`wiresift: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (v.version) {
    out(await version());
    return 0;
  }
  if (v.help || !command || command === 'help') {
    out(HELP);
    return command || v.help ? 0 : 2;
  }
  try {
    const config = loadConfig(v.config ? { file: v.config } : {});
    return await dispatch(command, rest, v, config);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`wiresift: ${err.message}\n\n${HELP}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`wiresift: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

type Values = Record<string, string | boolean | undefined>;

async function dispatch(command: string, rest: string[], v: Values, config: Config): Promise<number> {
  switch (command) {
    case 'run': {
      const role = (v.role as string | undefined) ?? 'all';
      if (!isRole(role))
        throw new UsageError(`unknown role ${JSON.stringify(role)}: use ${ROLES.join(', ')}`);
      const opts = { role, once: Boolean(v.once), ...(v.feeds ? { feedsList: v.feeds as string } : {}) };
      if (opts.once) {
        // Logs go to stderr so stdout carries only the summary line.
        const log = createLogger(config.log.level, {}, 2, config.ops.logFormat);
        const s = await runOnce(config, log, { ...opts, progress: true });
        const lost = s.failedForGood || s.unfinished;
        out(
          `feeds ${s.feeds}, items ${s.items}, articles stored ${s.articlesStored}, clusters ${s.clusters}, failures ${s.failures}` +
            (s.reconciled ? `, re-enqueued ${s.reconciled}` : '') +
            (lost
              ? `; NOT DONE: ${s.failedForGood} jobs failed for good, ${s.unfinished} seen articles not stored or clustered (see the log; \`wiresift reconcile\` queues them again)`
              : ''),
        );
        // cron and CI read the exit code: lost work is a failed run.
        return lost ? 1 : 0;
      }
      return runForever(config, createLogger(config.log.level, {}, 1, config.ops.logFormat), opts);
    }
    case 'extract':
      return extractCommand(rest, v, config);
    case 'clusters':
      return clustersCommand(v, config);
    case 'feeds':
      return feedsCommand(
        rest[0],
        rest.slice(1),
        {
          json: Boolean(v.json),
          ...(v.name ? { name: v.name as string } : {}),
          ...(v.url ? { url: v.url as string } : {}),
          settingFlags: {
            interval: v.interval as string | undefined,
            timeout: v.timeout as string | undefined,
            charset: v.charset as string | undefined,
            userAgent: v['user-agent'] as string | undefined,
            trustFeedText: Boolean(v['trust-feed-text']),
            bodySelector: v['body-selector'] as string | undefined,
          },
        },
        config,
        out,
      );
    case 'reconcile':
      return reconcileCommand(
        config,
        createLogger(config.log.level, {}, 2, config.ops.logFormat),
        { json: Boolean(v.json), dryRun: Boolean(v['dry-run']) },
        out,
      );
    case 'health':
      return healthCommand(config, v.url ? { url: v.url as string } : {}, (s) =>
        process.stderr.write(`${s}\n`),
      );
    case 'bench': {
      if (rest[0] === 'load') {
        const { loadBenchCommand } = await import('./bench/load-bench.js');
        return loadBenchCommand(
          config,
          {
            json: Boolean(v.json),
            feeds: v.feeds as string | undefined,
            articles: v.articles as string | undefined,
          },
          out,
        );
      }
      const { benchCommand } = await import('./bench/bench-command.js');
      return benchCommand(
        config,
        rest[0],
        { json: Boolean(v.json), ...(v.articles ? { articles: v.articles as string } : {}) },
        out,
      );
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

async function extractCommand(files: string[], v: Values, config: Config): Promise<number> {
  let inputs: Array<{ file: string; url?: string }>;
  if (v.list) {
    if (files.length) throw new UsageError('extract takes either --list or FILE arguments, not both');
    const list = v.list as string;
    inputs = parseExtractList(await readFile(list, 'utf8'), list);
  } else {
    if (!files.length) throw new UsageError('extract needs FILE arguments or --list LIST.jsonl');
    if (v.url && files.length > 1) throw new UsageError('--url applies to a single FILE');
    inputs = files.map((file) => ({ file, ...(v.url ? { url: v.url as string } : {}) }));
  }
  await extractFiles(inputs, config, (line) => out(JSON.stringify(line)));
  return 0;
}

async function clustersCommand(v: Values, config: Config): Promise<number> {
  const minSize = v['min-size'] === undefined ? 1 : Number(v['min-size']);
  if (!Number.isInteger(minSize) || minSize < 1)
    throw new UsageError('--min-size must be a positive integer');
  const redis = connectRedis(config, 'cli');
  try {
    const clusters = await listClusters(redis, keysFor(config.redis.prefix), { minSize });
    if (v.json) {
      const pages: Record<string, { cluster: string }> = {};
      for (const c of clusters) for (const m of c.members) pages[m.url] = { cluster: c.id };
      out(
        JSON.stringify({
          clusters: clusters.map((c) => ({
            id: c.id,
            size: c.size,
            representative: c.representative
              ? { url: c.representative.url, title: c.representative.title }
              : null,
            members: c.members.map((m) => ({
              url: m.url,
              title: m.title,
              outlet: m.outlet,
              publishedAt: m.publishedAt,
              kind: m.kind,
              joinedVia: m.joinedVia,
              ...(m.contains ? { contains: m.contains } : {}),
            })),
          })),
          // The same membership keyed by URL: the shape corpus scorers read.
          pages,
        }),
      );
    } else {
      for (const c of clusters) {
        out(`${c.id}  size ${c.size}  ${c.representative?.title ?? ''}`);
        for (const m of c.members) {
          const tag =
            m.kind === 'container' ? `  [container of ${(m.contains ?? []).join(', ') || '-'}]` : '';
          out(`    ${m.outlet.padEnd(24)} ${m.title}${tag}`);
        }
      }
    }
    return 0;
  } finally {
    redis.disconnect();
  }
}
