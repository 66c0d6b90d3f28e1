import type { OutgoingHttpHeaders } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import type { NetworkPolicy } from './address-policy.js';
import { agentFor, type Deadline, parseTarget, startDeadline, toFetchError } from './fetch.js';
import { FetchError, parseRetryAfter } from './fetch-error.js';
import { assertLiteralHostAllowed, guardedLookup } from './guarded-lookup.js';

export type PostOptions = {
  timeoutMs: number;
  userAgent: string;
  policy: NetworkPolicy;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

/** What the receiver answered: its status (2xx; anything else is a FetchError). */
export type PostResponse = { url: string; status: number };

/** A receiver's reply is read up to this much, then dropped: only its status matters. */
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * POST a body to a URL an operator configured, without trusting where it
 * leads: http(s) only, the same SSRF guard as every fetch (the address the
 * socket connects to is the one the policy approved), one deadline for the
 * exchange, and no redirect followed (a redirect would move the body, its
 * signature included, somewhere nobody configured). A 2xx answer resolves;
 * a redirect, any other status, a timeout or a refused address throws.
 */
export async function safePost(url: string, body: Buffer | string, opts: PostOptions): Promise<PostResponse> {
  let target: URL;
  try {
    target = parseTarget(url);
  } catch (err) {
    throw err instanceof FetchError ? new FetchError(err.code, url, err.detail, { method: 'POST' }) : err;
  }
  const deadline = startDeadline(opts.timeoutMs, opts.signal);
  try {
    return await postOnce(target, Buffer.from(body), opts, deadline);
  } catch (err) {
    throw toFetchError(err, target.href, deadline, opts.timeoutMs, 'POST');
  } finally {
    deadline.clear();
  }
}

function postOnce(target: URL, body: Buffer, opts: PostOptions, deadline: Deadline): Promise<PostResponse> {
  const url = target.href;
  assertLiteralHostAllowed(url, target.hostname, opts.policy);
  const lookup = guardedLookup(url, target.hostname, opts.policy);
  const transport = target.protocol === 'https:' ? https : http;
  const headers: OutgoingHttpHeaders = {
    'user-agent': opts.userAgent,
    'content-length': body.length,
    ...opts.headers,
  };
  return new Promise<PostResponse>((resolve, reject) => {
    const req = transport.request(target, {
      method: 'POST',
      headers,
      agent: agentFor(opts.policy, target.protocol),
      signal: deadline.signal,
      ...(lookup ? { lookup } : {}),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.on('error', () => {});
      const status = res.statusCode ?? 0;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_REPLY_BYTES) res.destroy();
      });
      res.on('close', () => {
        if (status >= 200 && status < 300) return resolve({ url, status });
        const detail =
          status >= 300 && status < 400
            ? `HTTP ${status}: a redirect, not followed (configure the final URL)`
            : `HTTP ${status} ${res.statusMessage ?? ''}`.trim();
        const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
        reject(
          new FetchError('http_status', url, detail, {
            method: 'POST',
            status,
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          }),
        );
      });
      res.resume();
    });
    req.end(body);
  });
}
