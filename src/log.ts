import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

export type LogFormat = 'auto' | 'json' | 'pretty';

/** Keys whose values never reach a log line, wherever they sit in a logged object. */
const REDACT_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'metricsToken',
  '*.metricsToken',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** A URL with its password (and any token-looking query values) blanked, for logs and errors. */
export function redactUrl(url: string): string {
  // Redis Cluster seed nodes: a comma-separated list, each URL with its own credentials.
  if (url.includes(',')) return url.split(',').map(redactUrl).join(',');
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()])
      if (/token|secret|password|key/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLOURS: Record<number, string> = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[35m' };
const HIDDEN = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

/** One pino JSON line as a short human line: `12:00:01 INFO  message key=value`. */
export function formatPretty(line: string, colour = true): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = Number(rec.level);
  const time = typeof rec.time === 'string' ? rec.time.slice(11, 19) : '';
  const name = LEVEL_NAMES[level] ?? String(rec.level);
  const paint = colour ? (LEVEL_COLOURS[level] ?? '') : '';
  const reset = paint ? '\x1b[0m' : '';
  const dim = (s: string) => (colour ? `\x1b[2m${s}\x1b[0m` : s);
  const extras = Object.entries(rec)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${paint}${name}${reset} ${rec.msg ?? ''}${extras ? `  ${dim(extras)}` : ''}\n`;
}

function prettyStream(fd: 1 | 2): DestinationStream {
  const out = fd === 1 ? process.stdout : process.stderr;
  return { write: (line: string) => out.write(formatPretty(line, true)) };
}

/**
 * JSON lines for ops; short coloured lines when a person watches a terminal
 * (pino-pretty is not a dependency: the formatter above is enough for that).
 */
export function createLogger(
  level: string,
  bindings: Record<string, unknown> = {},
  fd: 1 | 2 = 1,
  format: LogFormat = 'json',
): Logger {
  const tty = fd === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  const pretty = format === 'pretty' || (format === 'auto' && Boolean(tty));
  return pino(
    loggerOptions(level, bindings),
    pretty ? prettyStream(fd) : pino.destination({ fd, sync: false }),
  );
}

export function loggerOptions(level: string, bindings: Record<string, unknown> = {}): LoggerOptions {
  return {
    level,
    base: { service: 'wiresift', ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
}

/**
 * At most one line per kind of message per window: the first is logged, the
 * repeats are counted and their number rides on the next line logged for that
 * kind. For errors a single incident repeats per job (a Redis restart that lost
 * the jobs' locks says so once for every job that was running).
 */
export function createLogThrottle(windowMs = 10_000, now = Date.now) {
  const kinds = new Map<string, { until: number; suppressed: number }>();
  return (kind: string, emit: (suppressed: number) => void): void => {
    const t = now();
    const k = kinds.get(kind);
    if (k && t < k.until) {
      k.suppressed++;
      return;
    }
    emit(k?.suppressed ?? 0);
    kinds.set(kind, { until: t + windowMs, suppressed: 0 });
    if (kinds.size > 1000) kinds.clear();
  };
}

/** A message with its ids and numbers blanked: "Missing key for job a-1f2e… moveToFinished" → one kind. */
export function messageKind(message: string): string {
  // Word by word, so a long run of word characters is read once (a `[\w-]*\d` pattern backtracks).
  return message
    .slice(0, 400)
    .replace(/[\w-]+/g, (w) => (/\d/.test(w) ? '#' : w))
    .slice(0, 200);
}
