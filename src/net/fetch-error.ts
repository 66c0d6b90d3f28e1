export type FetchErrorCode =
  | 'invalid_url'
  | 'bad_scheme'
  | 'ssrf_blocked'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'http_status'
  | 'bad_content_type'
  | 'network'
  | 'empty_body';

/** Codes worth another attempt later; the rest would fail the same way again. */
const RETRYABLE_CODES: ReadonlySet<FetchErrorCode> = new Set(['timeout', 'network']);

export type FetchErrorDetails = {
  /** The request's method, for the message (GET unless said). */
  method?: string;
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
};

export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly code: FetchErrorCode;
  readonly url: string;
  /** What went wrong, without the method and URL the message starts with. */
  readonly detail: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(code: FetchErrorCode, url: string, detail: string, details: FetchErrorDetails = {}) {
    super(
      `net: ${details.method ?? 'GET'} ${url}: ${detail}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.code = code;
    this.url = url;
    this.detail = detail;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    this.retryable =
      RETRYABLE_CODES.has(code) ||
      (code === 'http_status' &&
        details.status !== undefined &&
        (details.status >= 500 || details.status === 429 || details.status === 408));
  }
}

/**
 * Retry-After is either delta-seconds or an HTTP date; anything else is ignored
 * rather than guessed at.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Every HTTP date form starts with a day name; Date.parse alone would accept "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
