/**
 * Errors that say Redis (or the way to it) cannot take our work right now,
 * as opposed to errors about the job itself. A job that hits one of these is
 * not at fault: it waits and runs again, without spending an attempt.
 */
export type InfraKind =
  | 'oom'
  | 'misconf'
  | 'readonly'
  | 'loading'
  | 'busy'
  | 'auth'
  | 'cluster'
  | 'connection'
  | 'timeout';

export type InfraCause = { kind: InfraKind; detail: string };

/** Reply prefixes Redis uses for a server-side state, in the order we test them. */
const REPLY_KINDS: Array<[RegExp, InfraKind]> = [
  // Redis 6 wraps a script's refusal: "ERR Error running script … -OOM command not allowed …".
  [/^OOM command not allowed\b|^ERR Error running script\b.*\bOOM command not allowed\b/, 'oom'],
  [/^MISCONF\b/, 'misconf'],
  [/^READONLY\b/, 'readonly'],
  [/^LOADING\b/, 'loading'],
  [/^BUSY\b|^MASTERDOWN\b|^NOREPLICAS\b/, 'busy'],
  [/^NOAUTH\b|^WRONGPASS\b/, 'auth'],
  [/^CLUSTERDOWN\b|^TRYAGAIN\b/, 'cluster'],
];

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

/** ioredis's own words for a connection it cannot use. */
const CONNECTION_MESSAGES = [
  /^Connection is closed\.?$/,
  /^Stream isn't writeable/,
  /^Reached the max retries per request limit/,
  /^connect ETIMEDOUT\b/,
  /^Socket closed unexpectedly/,
];

type ErrorLike = {
  message?: unknown;
  code?: unknown;
  name?: unknown;
  cause?: unknown;
  previousErrors?: unknown;
  errors?: unknown;
};

function own(err: ErrorLike): InfraCause | null {
  const message = typeof err.message === 'string' ? err.message : '';
  for (const [re, kind] of REPLY_KINDS) if (re.test(message)) return { kind, detail: firstLine(message) };
  const code = typeof err.code === 'string' ? err.code : '';
  if (CONNECTION_CODES.has(code)) return { kind: 'connection', detail: firstLine(message || code) };
  if (CONNECTION_MESSAGES.some((re) => re.test(message)))
    return { kind: 'connection', detail: firstLine(message) };
  if (message === 'Command timed out') return { kind: 'timeout', detail: message };
  return null;
}

function firstLine(s: string): string {
  // Script errors append "script: <sha>, on @user_script:N." — the cause is before it.
  return (s.split('\n')[0] ?? s).replace(/(?<!\s)\s*script: [0-9a-f]{40}.*$/, '').trim();
}

/**
 * The infrastructure cause behind an error, or null when the error is the
 * job's own. EXECABORT ("Transaction discarded because of previous errors")
 * hides its cause in ioredis's `previousErrors` (an OOM refusing the queued
 * writes, most often): that cause is returned, not the EXECABORT.
 */
export function infraCause(err: unknown, depth = 0): InfraCause | null {
  if (!err || typeof err !== 'object' || depth > 4) return null;
  const e = err as ErrorLike;
  // A page or feed host refusing us (ECONNREFUSED inside a FetchError) is that job's own failure.
  if (e.name === 'FetchError') return null;
  const direct = own(e);
  if (direct) return direct;
  const nested = [
    ...(Array.isArray(e.previousErrors) ? e.previousErrors : []),
    ...(Array.isArray(e.errors) ? e.errors : []),
    ...(e.cause ? [e.cause] : []),
  ];
  for (const inner of nested) {
    const c = infraCause(inner, depth + 1);
    if (c) return c;
  }
  return null;
}

const KIND_WORDS: Record<InfraKind, string> = {
  oom: 'out of memory',
  misconf: 'cannot persist (MISCONF), refusing writes',
  readonly: 'is a read-only replica',
  loading: 'is loading its data set',
  busy: 'is busy',
  auth: 'refuses our credentials',
  cluster: 'cluster is down',
  connection: 'unreachable',
  timeout: 'does not answer in time',
};

/** "redis: out of memory (OOM command not allowed when used memory > 'maxmemory'.)" */
export function describeInfraCause(cause: InfraCause): string {
  return `redis: ${KIND_WORDS[cause.kind]} (${cause.detail})`;
}
