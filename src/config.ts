import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import ipaddr from 'ipaddr.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const siteRule = z.strictObject({
  body: z.string().min(1).optional(),
  remove: z.array(z.string().min(1)).optional(),
});

/** What one feed may override (src/feeds/feed-settings.ts); also checks entries added with `feeds add`. */
export const feedSettingsSchema = z.strictObject({
  timeoutMs: z.number().int().min(100).optional(),
  charset: z
    .string()
    .refine((c) => iconv.encodingExists(c), 'is not a charset this install can decode (iconv-lite)')
    .optional(),
  userAgent: z.string().min(1).optional(),
  fetchPages: z.boolean().optional(),
  bodySelector: z.string().min(1).optional(),
});

const feed = feedSettingsSchema.extend({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  name: z.string().optional(),
  intervalSeconds: z.number().int().min(10).optional(),
});

const positiveInt = z.number().int().positive();

function isCidr(v: string): boolean {
  try {
    if (v.includes('/')) ipaddr.parseCIDR(v);
    else ipaddr.parse(v);
    return true;
  } catch {
    return false;
  }
}
const share = z.number().min(0).max(1);

/** fastify's trustProxy: off, every hop, a hop count, or the proxies' addresses/CIDRs (proxy-addr names too). */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxySetting = z.union([
  z.boolean(),
  z.number().int().min(1).max(20),
  z
    .array(
      z.string().refine((v) => PROXY_NAMES.has(v) || ipaddr.isValid(v) || ipaddr.isValidCIDR(v), {
        message: 'must be an IP address, a CIDR (10.0.0.0/8) or loopback | linklocal | uniquelocal',
      }),
    )
    .min(1),
]);

/** "name:token" or a bare token: the name (when given) and the secret part. */
export function tokenEntry(entry: string): { name: string | null; token: string } {
  const m = /^([A-Za-z0-9_.@-]{1,40}):(.+)$/.exec(entry);
  return m ? { name: m[1]!, token: m[2]! } : { name: null, token: entry };
}

// A right token always signs in, even from an address locked out for wrong guesses (so one
// guesser cannot lock every editor out): what stops guessing is then the token's own
// strength, so weak ones are refused. Bits are estimated as length × log2(distinct
// characters), which a random token reaches easily and a repeated pattern does not.
const MIN_TOKEN_BITS = 64;
const strongToken = z.string().superRefine((entry, ctx) => {
  const { token } = tokenEntry(entry);
  const bits = token.length * Math.log2(Math.max(1, new Set(token).size));
  if (token.length < 16 || bits < MIN_TOKEN_BITS)
    ctx.addIssue({
      code: 'custom',
      message: `token too weak (${token.length} characters, ~${Math.floor(bits)} bits; at least 16 characters and ${MIN_TOKEN_BITS} bits): generate one with \`openssl rand -base64 24\``,
    });
});

/** A webhook endpoint: its name is a metrics label and part of each delivery id. */
const webhookEndpoint = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'letters, digits, - and _ (up to 32)'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  // The HMAC key: as strong as an editor token, for the same reason (it is guessed offline).
  secret: strongToken,
  // Event types to deliver; "cluster.*" is every type that starts with "cluster.".
  events: z.array(z.string().min(1)).min(1).default(['cluster.*', 'thread.*', 'review.undone']),
});

export const configSchema = z.strictObject({
  redis: z
    .strictObject({
      // On Redis Cluster: seed nodes, comma-separated (one is enough; the client learns the rest).
      url: z
        .string()
        .regex(
          /^rediss?:\/\/[^,\s]+(,\s*rediss?:\/\/[^,\s]+)*$/,
          'must start with redis:// or rediss:// (comma-separated seed nodes on Redis Cluster)',
        ),
      prefix: z.string().min(1).regex(/:$/, 'must end with ":"'),
      cluster: z.boolean(),
    })
    .refine((r) => r.cluster || !r.url.includes(','), {
      message:
        'several URLs are seed nodes of a Redis Cluster: set redis.cluster (WIRESIFT_REDIS_CLUSTER=true)',
      path: ['url'],
    })
    .refine((r) => !r.cluster || /^[^{}]*\{[^{}]+\}[^{}]*$/.test(r.prefix), {
      message:
        'on Redis Cluster the prefix must carry one hash tag, e.g. "{wiresift}:v1:" (the keys every dedup step touches share its slot; docs/redis.md "Redis Cluster")',
      path: ['prefix'],
    }),
  log: z.strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
  }),
  http: z.strictObject({
    port: z.number().int().min(0).max(65535),
    host: z.string().min(1),
    trustProxy: trustProxySetting,
    // Where hubs reach this deployment's web role (WebSub callbacks); '' = no push subscriptions.
    publicUrl: z.union([
      z.literal(''),
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL or empty' }),
    ]),
  }),
  websub: z.strictObject({
    leaseSeconds: z.number().int().min(60),
    renewBeforeSeconds: z.number().int().min(0),
  }),
  feeds: z.array(feed),
  feedLimits: z.strictObject({
    parseTimeoutMs: z.number().int().min(100),
    parseMaxHeapMb: z.number().int().min(16),
    parseThreads: z.number().int().min(0),
    parseInPlaceMaxKb: z.number().int().min(0).max(1024),
    maxItemsPerPoll: positiveInt,
  }),
  schedule: z
    .strictObject({
      pollIntervalSeconds: z.number().int().min(10),
      backoffBaseSeconds: positiveInt,
      maxBackoffSeconds: positiveInt,
    })
    .refine((s) => s.backoffBaseSeconds <= s.maxBackoffSeconds, {
      message: 'backoffBaseSeconds must not exceed maxBackoffSeconds',
      path: ['backoffBaseSeconds'],
    }),
  net: z
    .strictObject({
      userAgent: z.string().min(1),
      timeoutMs: positiveInt,
      maxBodyBytes: positiveInt,
      maxRedirects: z.number().int().min(0).max(20),
      allowPrivateNetworks: z.boolean(),
      allowHosts: z.array(z.string().min(1)),
      politeness: z.strictObject({
        maxConcurrentPerHost: positiveInt,
        minDelayMs: z.number().int().min(0),
        leaseMs: positiveInt,
        maxWaitMs: z.number().int().min(0),
      }),
      // The deployment's egress as a whole, beside the per-host limits (issue 18).
      outbound: z.strictObject({ maxConcurrent: z.number().int().min(0) }),
      robots: z.strictObject({
        enabled: z.boolean(),
        ttlSeconds: positiveInt,
        unreachableTtlSeconds: positiveInt,
        memoSeconds: z.number().int().min(0),
      }),
    })
    .refine((n) => n.politeness.leaseMs > n.timeoutMs, {
      message: 'politeness.leaseMs must exceed timeoutMs (a lease must outlive the request it covers)',
      path: ['politeness', 'leaseMs'],
    }),
  queues: z.strictObject({
    attempts: positiveInt,
    backoffMs: positiveInt,
    keepCompleted: z.number().int().min(0),
    keepFailed: z.number().int().min(0),
    concurrency: z.strictObject({ feeds: positiveInt, articles: positiveInt, dedup: positiveInt }),
  }),
  extract: z.strictObject({
    boilerplate: z.record(z.string(), z.array(z.string().min(1))),
    siteRules: z.record(z.string(), siteRule),
    feedFallbackMinWords: z.number().int().min(0),
    learnedBoilerplate: z.strictObject({
      enabled: z.boolean(),
      minStories: z.number().int().min(2),
      maxLinesPerDomain: positiveInt,
      maxLineChars: positiveInt,
      ttlDays: positiveInt,
      memoSeconds: z.number().int().min(0),
    }),
    threads: z.number().int().min(0).max(256),
    timeoutMs: z.number().int().min(100),
    maxHeapMb: z.number().int().min(64),
    inPlaceMaxKb: z.number().int().min(0).max(1024),
    maxDepth: z.number().int().min(16).max(100_000),
    maxElements: z.number().int().min(1000),
  }),
  dedup: z
    .strictObject({
      numPerm: z.number().int().min(16).max(1024),
      shingleSize: z.number().int().min(1).max(8),
      jaccardThreshold: share,
      containmentThreshold: share,
      minTokensForContainment: z.number().int().min(0),
      candidateThreshold: share,
      windowHours: positiveInt,
      // Accepted and ignored: the LSH index sizes its slices itself since the sliced layout.
      lshShards: z.number().int().min(1).max(1_000_000).optional(),
      // The clustering policy beyond the pairwise thresholds (docs/dedup.md); defaults in
      // src/dedup/defaults.ts.
      clustering: z
        .strictObject({
          keyContainmentThreshold: share,
          minKeyTerms: z.number().int().min(0),
          coreJaccard: share,
          versionContainment: share,
          versionKeyContainment: share,
          firstVersionKeyContainment: share,
          containerMinShare: share,
          containerMaxShare: share,
          quoteContainment: share,
          quoteKeyContainment: share,
          blendShare: share,
          containerOverlap: share,
          blendOverlap: share,
        })
        .partial()
        .default({}),
    })
    .refine((d) => d.candidateThreshold <= d.jaccardThreshold, {
      message: 'candidateThreshold must not exceed jaccardThreshold (candidates are verified afterwards)',
      path: ['candidateThreshold'],
    }),
  // Story threads over the clusters (docs/redis.md, src/threads/thread-policy.ts).
  threads: z.strictObject({ enabled: z.boolean(), windowDays: positiveInt }),
  // Signed webhooks for the change stream's cluster and thread events (docs/webhooks.md).
  webhooks: z.strictObject({
    endpoints: z
      .array(webhookEndpoint)
      .refine(
        (list) => new Set(list.map((e) => e.name)).size === list.length,
        'endpoint names must be unique',
      ),
    attempts: positiveInt,
    backoffMs: positiveInt,
    timeoutMs: positiveInt,
    concurrency: positiveInt,
  }),
  events: z.strictObject({ maxLen: positiveInt }),
  articles: z.strictObject({
    bodyTtlHours: positiveInt,
    retainDays: positiveInt.default(30),
    maxBodyChars: z.number().int().min(1000),
    compressBodies: z.boolean().default(false),
  }),
  review: z
    .strictObject({
      // "name:token" or a bare token; weak tokens are guessable.
      editorTokens: z.array(strongToken),
      apiTokens: z.array(strongToken),
      sessionHours: positiveInt,
      signInMaxFailures: positiveInt,
      signInMaxFailuresGlobal: positiveInt,
      signInWindowMinutes: positiveInt,
    })
    .refine((r) => r.signInMaxFailuresGlobal >= r.signInMaxFailures, {
      message:
        'signInMaxFailuresGlobal must not be below signInMaxFailures (the ceiling covers every address)',
      path: ['signInMaxFailuresGlobal'],
    }),
  ops: z
    .strictObject({
      redisRetryMinMs: positiveInt,
      redisRetryMaxMs: positiveInt,
      shutdownGraceMs: z.number().int().min(100).max(600_000),
      maxQueueLagSeconds: positiveInt,
      jobLockMs: z.number().int().min(1000),
      metricsToken: z.string(),
      logFormat: z.enum(['auto', 'json', 'pretty']),
      // Redis faults, lost work and /metrics access (issue 18).
      reconcileIntervalSeconds: z.number().int().min(0),
      metricsAllowedNetworks: z.array(z.string().refine(isCidr, 'must be an address or CIDR range')),
    })
    .refine((o) => o.redisRetryMinMs <= o.redisRetryMaxMs, {
      message: 'redisRetryMinMs must not exceed redisRetryMaxMs',
      path: ['redisRetryMinMs'],
    }),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** config/default.yaml of this install, found upward from this module (src/ in dev, dist/src/ when built). */
function findDefaultConfig(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = resolve(dir, 'config', 'default.yaml');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'config', 'default.yaml');
}

export const defaultConfigPath = findDefaultConfig();

function parseBool(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`config: env ${name}=${JSON.stringify(value)} must be true or false`);
}

function parsePort(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`config: env ${name}=${JSON.stringify(value)} is not a port`);
  return n;
}

/**
 * true | false | a hop count | a comma-separated list of addresses/CIDRs (the
 * schema judges the list). "1" is one hop, as in Express, not "true".
 */
function parseTrustProxy(value: string): boolean | number | string[] {
  if (/^(true|yes|on)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** 12-factor: the environment wins over the file. */
type RawSection = Record<string, unknown>;

/** Which config key each environment variable set, so an error names the variable, not the file. */
type EnvSources = Map<string, string>;

function readSecretFile(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `config: env ${name}=${JSON.stringify(path)}: cannot read the file: ${(err as Error).message}`,
    );
  }
}

/**
 * A secret from VAR or from the file VAR_FILE names (Docker and Kubernetes
 * secrets are files), never both: which one wins would be a guess.
 */
function secretEnv(env: NodeJS.ProcessEnv, name: string): { value: string; from: string } | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) throw new ConfigError(`config: set ${name} or ${name}_FILE, not both`);
  if (direct) return { value: direct, from: name };
  if (file) return { value: readSecretFile(`${name}_FILE`, file), from: `${name}_FILE` };
  return undefined;
}

/** Token lists: comma- or newline-separated; in a file, blank lines and # comments are skipped. */
function tokenList(v: string): string[] {
  return v
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
}

function parseInteger(name: string, value: string): number {
  if (!/^-?\d+$/.test(value.trim()))
    throw new ConfigError(`config: env ${name}=${JSON.stringify(value)} must be a whole number`);
  return Number(value);
}

/** WIRESIFT_FEEDS as feed URLs ("https://a/rss,https://b/rss"), or null when it names a list file. */
export function feedUrlsFromEnv(value: string): string[] | null {
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return parts.length && parts.every((p) => /^https?:\/\//i.test(p)) ? parts : null;
}

function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, sources: EnvSources): void {
  const section = (k: string): RawSection => {
    const v = raw[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) raw[k] = {};
    return raw[k] as RawSection;
  };
  const sub = (parent: RawSection, k: string): RawSection => {
    const v = parent[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) parent[k] = {};
    return parent[k] as RawSection;
  };
  const set = (path: string, name: string, value: unknown) => {
    const keys = path.split('.');
    sources.set(path, name);
    if (keys.length === 1) {
      raw[path] = value;
      return;
    }
    let at = section(keys[0]!);
    for (const k of keys.slice(1, -1)) at = sub(at, k);
    at[keys.at(-1)!] = value;
  };
  const list = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (env.REDIS_URL) set('redis.url', 'REDIS_URL', env.REDIS_URL);
  if (env.WIRESIFT_PREFIX) set('redis.prefix', 'WIRESIFT_PREFIX', env.WIRESIFT_PREFIX);
  if (env.WIRESIFT_REDIS_CLUSTER)
    set(
      'redis.cluster',
      'WIRESIFT_REDIS_CLUSTER',
      parseBool('WIRESIFT_REDIS_CLUSTER', env.WIRESIFT_REDIS_CLUSTER),
    );
  if (env.LOG_LEVEL) set('log.level', 'LOG_LEVEL', env.LOG_LEVEL);
  if (env.PORT) set('http.port', 'PORT', parsePort('PORT', env.PORT));
  if (env.HOST) set('http.host', 'HOST', env.HOST);
  if (env.WIRESIFT_TRUST_PROXY)
    set('http.trustProxy', 'WIRESIFT_TRUST_PROXY', parseTrustProxy(env.WIRESIFT_TRUST_PROXY));
  if (env.WIRESIFT_PUBLIC_URL !== undefined)
    set('http.publicUrl', 'WIRESIFT_PUBLIC_URL', env.WIRESIFT_PUBLIC_URL);
  if (env.WIRESIFT_ALLOW_PRIVATE_NETWORKS)
    set(
      'net.allowPrivateNetworks',
      'WIRESIFT_ALLOW_PRIVATE_NETWORKS',
      parseBool('WIRESIFT_ALLOW_PRIVATE_NETWORKS', env.WIRESIFT_ALLOW_PRIVATE_NETWORKS),
    );
  if (env.WIRESIFT_FEEDS) {
    // A list file is read by `run` (as --feeds); URLs become the configured feeds.
    const urls = feedUrlsFromEnv(env.WIRESIFT_FEEDS);
    if (urls)
      set(
        'feeds',
        'WIRESIFT_FEEDS',
        urls.map((url) => ({ url })),
      );
  }
  const editors = secretEnv(env, 'WIRESIFT_EDITOR_TOKENS');
  if (editors) set('review.editorTokens', editors.from, tokenList(editors.value));
  const api = secretEnv(env, 'WIRESIFT_API_TOKENS');
  if (api) set('review.apiTokens', api.from, tokenList(api.value));
  const metrics = secretEnv(env, 'WIRESIFT_METRICS_TOKEN');
  if (metrics) set('ops.metricsToken', metrics.from, metrics.value.trim());
  if (env.WIRESIFT_SHUTDOWN_GRACE_MS)
    set(
      'ops.shutdownGraceMs',
      'WIRESIFT_SHUTDOWN_GRACE_MS',
      parseInteger('WIRESIFT_SHUTDOWN_GRACE_MS', env.WIRESIFT_SHUTDOWN_GRACE_MS),
    );
  if (env.WIRESIFT_METRICS_ALLOWED_NETWORKS)
    set(
      'ops.metricsAllowedNetworks',
      'WIRESIFT_METRICS_ALLOWED_NETWORKS',
      list(env.WIRESIFT_METRICS_ALLOWED_NETWORKS),
    );
  if (env.LOG_FORMAT) set('ops.logFormat', 'LOG_FORMAT', env.LOG_FORMAT);
  const ints: [string, string][] = [
    ['WIRESIFT_HOST_MAX_CONCURRENCY', 'net.politeness.maxConcurrentPerHost'],
    ['WIRESIFT_HOST_MIN_DELAY_MS', 'net.politeness.minDelayMs'],
    ['WIRESIFT_OUTBOUND_MAX_CONCURRENCY', 'net.outbound.maxConcurrent'],
  ];
  for (const [name, path] of ints) {
    const v = env[name];
    if (v) set(path, name, parseInteger(name, v));
  }
  if (env.WIRESIFT_ALLOW_HOSTS) set('net.allowHosts', 'WIRESIFT_ALLOW_HOSTS', list(env.WIRESIFT_ALLOW_HOSTS));
}

/** Every environment variable the config reads, for the help text. */
export const CONFIG_ENV_VARS = [
  'WIRESIFT_CONFIG',
  'REDIS_URL',
  'WIRESIFT_PREFIX',
  'WIRESIFT_REDIS_CLUSTER',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'PORT',
  'HOST',
  'WIRESIFT_TRUST_PROXY',
  'WIRESIFT_PUBLIC_URL',
  'WIRESIFT_FEEDS',
  'WIRESIFT_EDITOR_TOKENS[_FILE]',
  'WIRESIFT_API_TOKENS[_FILE]',
  'WIRESIFT_METRICS_TOKEN[_FILE]',
  'WIRESIFT_METRICS_ALLOWED_NETWORKS',
  'WIRESIFT_SHUTDOWN_GRACE_MS',
  'WIRESIFT_ALLOW_PRIVATE_NETWORKS',
  'WIRESIFT_ALLOW_HOSTS',
  'WIRESIFT_HOST_MAX_CONCURRENCY',
  'WIRESIFT_HOST_MIN_DELAY_MS',
  'WIRESIFT_OUTBOUND_MAX_CONCURRENCY',
] as const;

function describeIssues(error: z.ZodError, source: string, sources: EnvSources): string {
  const fromEnv: string[] = [];
  const fromFile: string[] = [];
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '(root)';
    // The variable that set this key, or one of its parents (a list, a section).
    const path = issue.path.map(String);
    let name: string | undefined;
    for (let n = path.length; n > 0 && !name; n--) name = sources.get(path.slice(0, n).join('.'));
    if (name) fromEnv.push(`  ${name} (${key}): ${issue.message}`);
    else fromFile.push(`  ${key}: ${issue.message}`);
  }
  const parts: string[] = [];
  if (fromEnv.length) parts.push(`config: the environment is invalid:\n${fromEnv.join('\n')}`);
  if (fromFile.length) parts.push(`config: ${source} is invalid:\n${fromFile.join('\n')}`);
  return parts.join('\n');
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (Array.isArray(over) || over === null || typeof over !== 'object') return over;
  const out: Record<string, unknown> = {
    ...(base && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {}),
  };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out;
}

function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(`config: ${path} is not valid YAML: ${(err as Error).message}`);
  }
}

/** A host slot must outlive the request it covers, a feed's own timeout included. */
function checkFeedTimeouts(config: Config, source: string): void {
  const lease = config.net.politeness.leaseMs;
  const lines = config.feeds.flatMap((f, i) =>
    f.timeoutMs !== undefined && f.timeoutMs >= lease
      ? [`  feeds.${i}.timeoutMs: must be below net.politeness.leaseMs (${lease})`]
      : [],
  );
  if (lines.length) throw new ConfigError(`config: ${source} is invalid:\n${lines.join('\n')}`);
}

/**
 * Loads config/default.yaml, then the file given with --config on top of it
 * (so a site file only states what differs), then the environment.
 */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): Config {
  const env = opts.env ?? process.env;
  let raw = readYaml(defaultConfigPath);
  // --config wins over WIRESIFT_CONFIG, as flags win over the environment.
  const file = opts.file ?? (env.WIRESIFT_CONFIG || undefined);
  const source = file ?? defaultConfigPath;
  if (file) {
    let over: unknown;
    try {
      over = readYaml(file);
    } catch (err) {
      if (opts.file || !(err instanceof ConfigError)) throw err;
      throw new ConfigError(`${err.message} (from env WIRESIFT_CONFIG)`);
    }
    if (over === null || typeof over !== 'object' || Array.isArray(over))
      throw new ConfigError(`config: ${file} must be a YAML mapping`);
    raw = deepMerge(raw, over);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`config: ${source} must be a YAML mapping`);
  const sources: EnvSources = new Map();
  applyEnv(raw as Record<string, unknown>, env, sources);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, source, sources));
  checkFeedTimeouts(parsed.data, source);
  return parsed.data;
}

/** Every configured boilerplate phrase, all languages together. */
export function boilerplatePhrases(config: Config): string[] {
  return Object.values(config.extract.boilerplate).flat();
}
