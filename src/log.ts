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
