import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isRole, ROLES } from './app/roles.js';
import { runForever, runOnce } from './app/run.js';
import { extractFiles, parseExtractList, STDIN } from './cli/extract.js';
import { feedsCommand } from './cli/feeds.js';
import { healthCommand } from './cli/health.js';
import { reconcileCommand } from './cli/reconcile.js';
import { UsageError } from './command-line/usage-error.js';
import { CONFIG_ENV_VARS, type Config, ConfigError, feedUrlsFromEnv, loadConfig } from './config.js';
import { createLogger, redactUrl } from './log.js';
import {
  allClusterNinjs,
  allThreadNinjs,
  articleNinjsOf,
  clusterNinjsOf,
  threadNinjsOf,
} from './ninjs/ninjs-read.js';
import { redisUnreachable } from './ops/redis-startup.js';
import { listClusters } from './store/cluster-read.js';
import { keysForRedis } from './store/keys.js';
import { connectRedis } from './store/redis-client.js';
import { listThreads } from './store/thread-read.js';
import { threadVersions } from './threads/thread-versions.js';

/** Each command's own help, printed by `wiresift CMD --help`; all of them together by `wiresift --help`. */
const COMMANDS: Record<string, string> = {
  run: `  wiresift run [--role R] [--config F] [--feeds LIST] [--once]
      Run the pipeline. R is one of ${ROLES.join(', ')} (default all).
      --feeds LIST  poll the feeds in LIST (OPML, or one URL per line) instead of the configured ones
      --once        poll every feed once (backoff or not), wait until every queue is drained, print a
                    summary, exit 1 if work was lost or every feed failed`,
  extract: `  wiresift extract [--url URL] FILE...     (FILE "-" is standard input)
  wiresift extract --list LIST.jsonl      (each line {"file": ..., "url": ...}; a bad line is reported and skipped)
      Extract article pages from raw files: one JSON line per page, in input order; exit 1 when a
      file could not be read or a list line was skipped.`,
  clusters: `  wiresift clusters [--json] [--min-size N]
      Clusters stored in Redis, most recent activity first, each with its story thread.`,
  ninjs: `  wiresift ninjs article|cluster|thread ID
  wiresift ninjs clusters|threads
      IPTC ninjs 2.4 JSON of one article, cluster (its representative, the other copies as
      associations) or story thread (its clusters as associations); clusters|threads: every one,
      one document a line.`,
  threads: `  wiresift threads [--json]
      Story threads, most recent activity first: each thread's clusters in time order, with what
      each is to the story (flash, first, full, update, follow-up, other agency, translation...).`,
  feeds: `  wiresift feeds list|add URL [--name N] [FEED SETTINGS]|remove ID|import FILE|export|check URL|FILE [--url U] [--json]
      Manage feeds; "check" fetches (or reads) and parses one feed exactly as the worker does.
      FEED SETTINGS: --interval S  --timeout MS  --charset C  --user-agent UA  --trust-feed-text
      --body-selector CSS (see config/default.yaml, feeds:)`,
  bench: `  wiresift bench [extract|dedup|bodies] [--json] [--articles N] [--rounds N]
      Benchmarks against baselines, measured in the same run in interleaved rounds (median, min, max);
      bodies: what articles.compressBodies saves and costs.
  wiresift bench load [--json] [--articles N] [--feeds N] [--page-kb K] [--port P | --redis-url URL]
      Whole pipeline, every role in one process, on a generated corpus served locally: small
      (~2 KB) and realistic (~174 kB) pages, or K KB pages, each on a redis-server it starts.
  wiresift bench lsh [--json] [--windows N,N...] [--rounds N] [--port P | --redis-url URL]
      Redis CPU and bytes per article of the LSH index for windows of N articles (default
      20000,1000000,5000000,35000000) against two other layouts, on a redis-server it starts.`,
  reconcile: `  wiresift reconcile [--json] [--dry-run]
      Queue again every seen URL with no stored article and every stored article with no
      cluster (after a Redis outage or memory-full period); same job ids, safe beside workers.`,
  health: `  wiresift health [--url URL]
      GET the local /healthz: exit 0 when alive, 1 otherwise (for HEALTHCHECK).`,
};

const COMMON = `Common options:
  --config F    a YAML file layered over config/default.yaml (or WIRESIFT_CONFIG)
  -h, --help    this help (wiresift CMD --help: that command's);  --version  the version
Environment (each overrides its config key; *_FILE reads the secret from a file):
${wrap(CONFIG_ENV_VARS.join(', '), '  ', 100)}`;

function wrap(text: string, indent: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

const HELP = `wiresift — news feed aggregation and near-duplicate clustering of wire stories

Usage:
${Object.values(COMMANDS).join('\n')}

${COMMON}
`;

function helpFor(command: string): string {
  return `Usage:\n${COMMANDS[command]}\n\n${COMMON}\n`;
}

/** Commands that read or write Redis: they fail fast when it is away instead of waiting forever. */
function needsRedis(command: string, sub: string | undefined): boolean {
  return (
    command === 'clusters' ||
    command === 'threads' ||
    command === 'ninjs' ||
    command === 'reconcile' ||
    (command === 'feeds' && sub !== 'check')
  );
}

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
  'page-kb': { type: 'string' },
  windows: { type: 'string' },
  rounds: { type: 'string' },
  port: { type: 'string' },
  'redis-url': { type: 'string' },
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

/** \`wiresift clusters | head\`: the reader left, which is not an error worth a stack trace. */
function quietOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
}

/** The package's version, whether this module runs built (dist/src/) or from source (src/, tests, tsx). */
async function version(): Promise<string> {
  for (const up of ['../package.json', '../../package.json']) {
    const text = await readFile(new URL(up, import.meta.url), 'utf8').catch(() => null);
    const pkg = text ? (JSON.parse(text) as { name?: string; version?: string }) : null;
    if (pkg?.name === 'wiresift' && pkg.version) return pkg.version;
  }
  throw new Error('cannot find the wiresift package.json beside this module');
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
  quietOnClosedPipe();
  if (v.version) {
    out(await version());
    return 0;
  }
  const asked = command === 'help' ? rest[0] : command;
  if (v.help || !command || command === 'help') {
    out(asked && COMMANDS[asked] ? helpFor(asked) : HELP);
    return command || v.help ? 0 : 2;
  }
  try {
    const config = loadConfig(v.config ? { file: v.config } : {});
    if (needsRedis(command, rest[0])) {
      const reason = await redisUnreachable(config);
      if (reason) {
        process.stderr.write(
          `wiresift: cannot reach Redis at ${redactUrl(config.redis.url)} (${reason}): start it, or point REDIS_URL at it\n`,
        );
        return 1;
      }
    }
    return await dispatch(command, rest, v, config);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`wiresift: ${err.message}\n\n${COMMANDS[command] ? helpFor(command) : HELP}`);
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
      // WIRESIFT_FEEDS naming a list file acts as --feeds (URLs are already the configured feeds).
      const envList = process.env.WIRESIFT_FEEDS;
      const feedsList =
        (v.feeds as string | undefined) ?? (envList && !feedUrlsFromEnv(envList) ? envList : undefined);
      const opts = { role, once: Boolean(v.once), ...(feedsList ? { feedsList } : {}) };
      if (opts.once) {
        // Logs go to stderr so stdout carries only the summary line.
        const log = createLogger(config.log.level, {}, 2, config.ops.logFormat);
        const s = await runOnce(config, log, { ...opts, progress: true });
        const lost = s.failedForGood || s.unfinished;
        const failedFeeds = Object.entries(s.feedsFailed);
        const skippedFeeds = Object.entries(s.feedsSkipped);
        for (const [url, reason] of failedFeeds) log.warn({ feed: url, reason }, 'run --once: feed failed');
        for (const [url, reason] of skippedFeeds) log.warn({ feed: url, reason }, 'run --once: feed skipped');
        const allFailed = s.feeds > 0 && failedFeeds.length === s.feeds;
        out(
          `feeds ${s.feeds}, items ${s.items}, articles stored ${s.articlesStored}, clusters ${s.clusters}, failures ${s.failures}` +
            (failedFeeds.length
              ? `, feeds failed ${failedFeeds.length} (${failedFeeds[0]![1]}${failedFeeds.length > 1 ? '; …' : ''})`
              : '') +
            (skippedFeeds.length ? `, feeds skipped ${skippedFeeds.length} (${skippedFeeds[0]![1]})` : '') +
            (s.reconciled ? `, re-enqueued ${s.reconciled}` : '') +
            (lost
              ? `; NOT DONE: ${s.failedForGood} jobs failed for good, ${s.unfinished} seen articles not stored or clustered (see the log; \`wiresift reconcile\` queues them again)`
              : ''),
        );
        // cron and CI read the exit code: lost work, or no feed polled at all, is a failed run.
        return lost || allFailed ? 1 : 0;
      }
      return runForever(config, createLogger(config.log.level, {}, 1, config.ops.logFormat), opts);
    }
    case 'extract':
      return extractCommand(rest, v, config);
    case 'clusters':
      return clustersCommand(v, config);
    case 'threads':
      return threadsCommand(v, config);
    case 'ninjs':
      return ninjsCommand(rest, config);
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
      if (rest[0] === 'lsh') {
        const { lshBenchCommand } = await import('./bench/lsh-command.js');
        return lshBenchCommand(
          config,
          {
            json: Boolean(v.json),
            windows: v.windows as string | undefined,
            rounds: v.rounds as string | undefined,
            port: v.port as string | undefined,
            redisUrl: v['redis-url'] as string | undefined,
          },
          out,
        );
      }
      if (rest[0] === 'load') {
        const { loadBenchCommand } = await import('./bench/load-bench.js');
        return loadBenchCommand(
          config,
          {
            json: Boolean(v.json),
            feeds: v.feeds as string | undefined,
            articles: v.articles as string | undefined,
            pageKb: v['page-kb'] as string | undefined,
            port: v.port as string | undefined,
            redisUrl: v['redis-url'] as string | undefined,
          },
          out,
        );
      }
      const { benchCommand } = await import('./bench/bench-command.js');
      return benchCommand(
        config,
        rest[0],
        {
          json: Boolean(v.json),
          ...(v.articles ? { articles: v.articles as string } : {}),
          ...(v.rounds ? { rounds: v.rounds as string } : {}),
        },
        out,
      );
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

async function extractCommand(files: string[], v: Values, config: Config): Promise<number> {
  let inputs: Array<{ file: string; url?: string }>;
  let skipped = 0;
  if (v.list) {
    if (files.length) throw new UsageError('extract takes either --list or FILE arguments, not both');
    const list = v.list as string;
    let text: string;
    try {
      text = await readFile(list, 'utf8');
    } catch (err) {
      process.stderr.write(
        `wiresift: extract: cannot read ${list}: ${(err as NodeJS.ErrnoException).code ?? err}\n`,
      );
      return 1;
    }
    const parsed = parseExtractList(text, list);
    for (const e of parsed.errors) process.stderr.write(`wiresift: ${e}; line skipped\n`);
    skipped = parsed.errors.length;
    inputs = parsed.inputs;
  } else {
    if (!files.length)
      throw new UsageError('extract needs FILE arguments (- for standard input) or --list LIST.jsonl');
    if (v.url && files.length > 1) throw new UsageError('--url applies to a single FILE');
    if (files.filter((f) => f === STDIN).length > 1)
      throw new UsageError('standard input (-) can be read once');
    inputs = files.map((file) => ({ file, ...(v.url ? { url: v.url as string } : {}) }));
  }
  let unreadable = 0;
  await extractFiles(inputs, config, ({ unreadable: cannot, ...line }) => {
    if (cannot) {
      unreadable++;
      process.stderr.write(`wiresift: ${line.reason}\n`);
    }
    out(JSON.stringify(line));
  });
  return unreadable || skipped ? 1 : 0;
}

async function clustersCommand(v: Values, config: Config): Promise<number> {
  const minSize = v['min-size'] === undefined ? 1 : Number(v['min-size']);
  if (!Number.isInteger(minSize) || minSize < 1)
    throw new UsageError('--min-size must be a positive integer');
  const redis = connectRedis(config.redis, 'cli');
  try {
    const clusters = await listClusters(redis, keysForRedis(config.redis), { minSize });
    if (v.json) {
      // A cluster in no thread is a story of its own.
      const pages: Record<string, { cluster: string; story: string }> = {};
      for (const c of clusters)
        for (const m of c.members) pages[m.url] = { cluster: c.id, story: c.thread ?? c.id };
      out(
        JSON.stringify({
          clusters: clusters.map((c) => ({
            id: c.id,
            size: c.size,
            thread: c.thread,
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
        out(
          `${c.id}  size ${c.size}${c.thread ? `  thread ${c.thread}` : ''}  ${c.representative?.title ?? ''}`,
        );
        for (const m of c.members) {
          const tag =
            m.kind === 'container' ? `  [container of ${(m.contains ?? []).join(', ') || '-'}]` : '';
          out(`    ${column(siteName(m.url, m.outlet), 24)} ${m.title}${tag}`);
        }
      }
    }
    return 0;
  } finally {
    redis.disconnect();
  }
}

async function ninjsCommand(args: string[], config: Config): Promise<number> {
  const [what, id] = args;
  const one = { article: articleNinjsOf, cluster: clusterNinjsOf, thread: threadNinjsOf } as const;
  const all = { clusters: allClusterNinjs, threads: allThreadNinjs } as const;
  if (!what || !(what in one || what in all))
    throw new UsageError('ninjs wants article ID, cluster ID, thread ID, clusters or threads');
  if (what in one && !id) throw new UsageError(`ninjs ${what} wants an id`);
  const redis = connectRedis(config.redis, 'cli');
  try {
    const keys = keysForRedis(config.redis);
    if (what in all) {
      for await (const doc of all[what as keyof typeof all](redis, keys)) out(JSON.stringify(doc));
      return 0;
    }
    const doc = await one[what as keyof typeof one](redis, keys, id!);
    if (!doc) {
      process.stderr.write(`wiresift: no ${what} ${id}\n`);
      return 1;
    }
    out(JSON.stringify(doc, null, 2));
    return 0;
  } finally {
    redis.disconnect();
  }
}

async function threadsCommand(v: Values, config: Config): Promise<number> {
  const redis = connectRedis(config.redis, 'cli');
  try {
    const threads = await listThreads(redis, keysForRedis(config.redis), threadVersions);
    if (v.json) out(JSON.stringify({ threads }));
    else
      for (const t of threads) {
        out(`${t.id}  ${t.size} clusters  ${t.headline?.title ?? ''}`);
        for (const c of t.clusters)
          out(
            `    ${c.at.slice(0, 16).replace('T', ' ')}  ${column(c.version, 12)} ${column(c.id, 7)} ${column(
              [c.agency, c.lang].filter(Boolean).join(' '),
              10,
            )} ${c.representative?.title ?? ''}`,
          );
      }
    return 0;
  } finally {
    redis.disconnect();
  }
}

/** The site a copy ran on (its host, without www.): feed channel titles are long and vary. */
function siteName(url: string, fallback: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || fallback;
  } catch {
    return fallback;
  }
}

/** Exactly `width` characters, cut with an ellipsis, so the next column lines up. */
function column(s: string, width: number): string {
  const chars = [...s];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : s.padEnd(width);
}

/** Runs a command as this process's whole life: its code becomes the exit code, a crash one line on stderr. */
export function runAsProcess(argv: string[]): void {
  main(argv).then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (err) => {
      console.error(`wiresift: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
