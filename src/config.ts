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

export const configSchema = z.strictObject({
  redis: z.strictObject({
    url: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'),
    prefix: z.string().min(1).regex(/:$/, 'must end with ":"'),
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
      lshShards: z.number().int().min(1).max(1_000_000).default(8192),
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
          containerOverlap: share,
        })
        .partial()
        .default({}),
    })
    .refine((d) => d.candidateThreshold <= d.jaccardThreshold, {
      message: 'candidateThreshold must not exceed jaccardThreshold (candidates are verified afterwards)',
      path: ['candidateThreshold'],
    }),
  events: z.strictObject({ maxLen: positiveInt }),
  articles: z.strictObject({ bodyTtlHours: positiveInt, maxBodyChars: z.number().int().min(1000) }),
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

function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  const section = (k: string): RawSection => {
    const v = raw[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) raw[k] = {};
    return raw[k] as RawSection;
  };
  if (env.REDIS_URL) section('redis').url = env.REDIS_URL;
  if (env.WIRESIFT_PREFIX) section('redis').prefix = env.WIRESIFT_PREFIX;
  if (env.LOG_LEVEL) section('log').level = env.LOG_LEVEL;
  if (env.PORT) section('http').port = parsePort('PORT', env.PORT);
  if (env.HOST) section('http').host = env.HOST;
  if (env.WIRESIFT_TRUST_PROXY) section('http').trustProxy = parseTrustProxy(env.WIRESIFT_TRUST_PROXY);
  if (env.WIRESIFT_PUBLIC_URL !== undefined) section('http').publicUrl = env.WIRESIFT_PUBLIC_URL;
  if (env.WIRESIFT_ALLOW_PRIVATE_NETWORKS)
    section('net').allowPrivateNetworks = parseBool(
      'WIRESIFT_ALLOW_PRIVATE_NETWORKS',
      env.WIRESIFT_ALLOW_PRIVATE_NETWORKS,
    );
  const list = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (env.WIRESIFT_EDITOR_TOKENS) section('review').editorTokens = list(env.WIRESIFT_EDITOR_TOKENS);
  if (env.WIRESIFT_API_TOKENS) section('review').apiTokens = list(env.WIRESIFT_API_TOKENS);
  if (env.WIRESIFT_SHUTDOWN_GRACE_MS) section('ops').shutdownGraceMs = Number(env.WIRESIFT_SHUTDOWN_GRACE_MS);
  if (env.WIRESIFT_METRICS_TOKEN) section('ops').metricsToken = env.WIRESIFT_METRICS_TOKEN;
  if (env.WIRESIFT_METRICS_ALLOWED_NETWORKS)
    section('ops').metricsAllowedNetworks = list(env.WIRESIFT_METRICS_ALLOWED_NETWORKS);
  if (env.LOG_FORMAT) section('ops').logFormat = env.LOG_FORMAT;
  const politeness = (): RawSection => {
    const net = section('net');
    const v = net.politeness;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) net.politeness = {};
    return net.politeness as RawSection;
  };
  if (env.WIRESIFT_HOST_MAX_CONCURRENCY)
    politeness().maxConcurrentPerHost = Number(env.WIRESIFT_HOST_MAX_CONCURRENCY);
  if (env.WIRESIFT_HOST_MIN_DELAY_MS) politeness().minDelayMs = Number(env.WIRESIFT_HOST_MIN_DELAY_MS);
  if (env.WIRESIFT_OUTBOUND_MAX_CONCURRENCY) {
    const net = section('net');
    if (net.outbound === null || typeof net.outbound !== 'object' || Array.isArray(net.outbound))
      net.outbound = {};
    (net.outbound as RawSection).maxConcurrent = Number(env.WIRESIFT_OUTBOUND_MAX_CONCURRENCY);
  }
  if (env.WIRESIFT_ALLOW_HOSTS)
    section('net').allowHosts = env.WIRESIFT_ALLOW_HOSTS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
}

function describeIssues(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const key = issue.path.length ? issue.path.join('.') : '(root)';
    return `  ${key}: ${issue.message}`;
  });
  return `config: ${source} is invalid:\n${lines.join('\n')}`;
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
  let raw = readYaml(defaultConfigPath);
  const source = opts.file ?? defaultConfigPath;
  if (opts.file) {
    const over = readYaml(opts.file);
    if (over === null || typeof over !== 'object' || Array.isArray(over))
      throw new ConfigError(`config: ${opts.file} must be a YAML mapping`);
    raw = deepMerge(raw, over);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`config: ${source} must be a YAML mapping`);
  applyEnv(raw as Record<string, unknown>, opts.env ?? process.env);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, source));
  checkFeedTimeouts(parsed.data, source);
  return parsed.data;
}

/** Every configured boilerplate phrase, all languages together. */
export function boilerplatePhrases(config: Config): string[] {
  return Object.values(config.extract.boilerplate).flat();
}
