import { type Logger, pino } from 'pino';

export type { Logger };

/** JSON lines on stdout for ops; the level comes from config/LOG_LEVEL. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { service: 'wiresift', ...bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['token', '*.token', 'headers.authorization', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd, sync: false }),
  );
}
