import { describe, expect, it } from 'vitest';
import { FetchError, parseRetryAfter } from '../../src/net/fetch-error.js';

describe('FetchError', () => {
  it('carries a stage-prefixed message and its fields', () => {
    const err = new FetchError('http_status', 'http://x/y', 'HTTP 404 Not Found', { status: 404 });
    expect(err.message).toBe('net: GET http://x/y: HTTP 404 Not Found');
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'http_status', url: 'http://x/y', status: 404, retryable: false });
    expect(err.retryAfterMs).toBeUndefined();
  });

  it.each([
    ['timeout', undefined, true],
    ['network', undefined, true],
    ['http_status', 500, true],
    ['http_status', 503, true],
    ['http_status', 429, true],
    ['http_status', 408, true],
    ['http_status', 404, false],
    ['http_status', 403, false],
    ['ssrf_blocked', undefined, false],
    ['bad_scheme', undefined, false],
    ['too_large', undefined, false],
    ['bad_content_type', undefined, false],
    ['redirect_loop', undefined, false],
    ['empty_body', 200, false],
  ] as const)('%s (status %s) retryable=%s', (code, status, retryable) => {
    const err = new FetchError(code, 'http://x/', 'detail', status === undefined ? {} : { status });
    expect(err.retryable).toBe(retryable);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-11-05T10:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 05 Nov 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 05 Nov 2025 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
