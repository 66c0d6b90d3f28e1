import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { NetworkPolicy } from './address-policy.js';
import { FetchError, parseRetryAfter } from './fetch-error.js';
import { assertLiteralHostAllowed, guardedLookup } from './guarded-lookup.js';
import { readBody } from './read-body.js';

export type FetchOptions = {
  /** Total budget for every hop, headers and body included. */
  timeoutMs: number;
  /** Cap on the decoded (decompressed) body. */
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  policy: NetworkPolicy;
  accept?: string;
  etag?: string;
  lastModified?: string;
  /** Matched against the Content-Type header when there is one. */
  allowedContentTypes?: RegExp;
  signal?: AbortSignal;
  /** Told how each fetch ended (final status, or the error's code), for metrics. */
  onOutcome?: (outcome: { status?: number; code?: string }) => void;
};

export type FetchResponse = {
  /** Final URL after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  notModified: boolean;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** Every URL that answered with a redirect, in order; empty when none did. */
  redirects: string[];
};

type Hop =
  | { kind: 'redirect'; location: string }
  | { kind: 'final'; response: Omit<FetchResponse, 'redirects'> };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type Deadline = { signal: AbortSignal; timedOut: () => boolean; clear: () => void };

export function startDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('timeout'));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

export function parseTarget(raw: string, base?: string): URL {
  let target: URL;
  try {
    target = new URL(raw, base);
  } catch {
    throw new FetchError('invalid_url', raw, 'invalid URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FetchError('bad_scheme', target.href, `scheme ${target.protocol} is not allowed`);
  }
  target.hash = '';
  return target;
}

function flattenHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function requestHeaders(opts: FetchOptions): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'user-agent': opts.userAgent,
    accept: opts.accept ?? '*/*',
    'accept-encoding': 'gzip, deflate, br',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  return headers;
}

export function toFetchError(
  err: unknown,
  url: string,
  deadline: Deadline,
  timeoutMs: number,
  method = 'GET',
): FetchError {
  if (err instanceof FetchError)
    return method === 'GET'
      ? err
      : new FetchError(err.code, url, err.detail, {
          method,
          cause: err,
          ...(err.status === undefined ? {} : { status: err.status }),
        });
  if (deadline.timedOut())
    return new FetchError('timeout', url, `timed out after ${timeoutMs} ms`, { method });
  if (deadline.signal.aborted)
    return new FetchError('network', url, 'aborted by caller', { method, cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new FetchError('network', url, message, { method, cause: err });
}

async function handleResponse(res: IncomingMessage, url: string, opts: FetchOptions): Promise<Hop> {
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (REDIRECT_STATUSES.has(status) && location) {
    res.destroy();
    return { kind: 'redirect', location };
  }
  const headers = flattenHeaders(res);
  const validators = {
    ...(headers['content-type'] ? { contentType: headers['content-type'] } : {}),
    ...(headers.etag ? { etag: headers.etag } : {}),
    ...(headers['last-modified'] ? { lastModified: headers['last-modified'] } : {}),
  };
  if (status === 304) {
    res.destroy();
    return {
      kind: 'final',
      response: { url, status, headers, body: Buffer.alloc(0), notModified: true, ...validators },
    };
  }
  if (status < 200 || status >= 300) {
    res.destroy();
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    throw new FetchError('http_status', url, `HTTP ${status} ${res.statusMessage ?? ''}`.trim(), {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  const contentType = headers['content-type'];
  if (opts.allowedContentTypes && contentType) {
    opts.allowedContentTypes.lastIndex = 0;
    if (!opts.allowedContentTypes.test(contentType)) {
      res.destroy();
      throw new FetchError('bad_content_type', url, `content type ${contentType} is not accepted`, {
        status,
      });
    }
  }
  const declaredLength = Number(headers['content-length']);
  if (!headers['content-encoding'] && Number.isFinite(declaredLength) && declaredLength > opts.maxBytes) {
    res.destroy();
    throw new FetchError(
      'too_large',
      url,
      `Content-Length ${declaredLength} exceeds ${opts.maxBytes} bytes`,
      {
        status,
      },
    );
  }
  const body = await readBody(res, url, opts.maxBytes);
  if (body.length === 0)
    throw new FetchError('empty_body', url, `HTTP ${status} with an empty body`, { status });
  return { kind: 'final', response: { url, status, headers, body, notModified: false, ...validators } };
}

/**
 * Keep-alive pools, one pair per network policy. A socket is only ever made
 * by a connection whose address the policy's guarded lookup approved, and a
 * pooled socket is only reused for the same host and port under the same
 * policy, so reuse never skips the SSRF check: it is the connection that was
 * checked. Reuse saves a TCP handshake and two syscalls per page, which at a
 * few hundred pages a second is a noticeable share of a worker's CPU. Every
 * error path destroys its response, so a half-read socket never goes back.
 */
const pools = new WeakMap<NetworkPolicy, { http: http.Agent; https: https.Agent }>();

export function agentFor(policy: NetworkPolicy, protocol: string): http.Agent {
  let pair = pools.get(policy);
  if (!pair) {
    // Idle sockets are dropped well before common server idle timeouts (5 s).
    const opts = { keepAlive: true, maxFreeSockets: 16, timeout: 4000 };
    pair = { http: new http.Agent(opts), https: new https.Agent(opts) };
    pools.set(policy, pair);
  }
  return protocol === 'https:' ? pair.https : pair.http;
}

/** A server may close an idle kept-alive socket just as a request goes out on it: safe to retry once. */
function isStaleSocketError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

function requestOnce(target: URL, opts: FetchOptions, deadline: Deadline, retryStale = true): Promise<Hop> {
  const url = target.href;
  assertLiteralHostAllowed(url, target.hostname, opts.policy);
  const lookup = guardedLookup(url, target.hostname, opts.policy);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise<Hop>((resolve, reject) => {
    let responded = false;
    const fail = (err: unknown) => {
      if (
        retryStale &&
        !responded &&
        req.reusedSocket &&
        isStaleSocketError(err) &&
        !deadline.signal.aborted
      ) {
        resolve(requestOnce(target, opts, deadline, false));
        return;
      }
      reject(toFetchError(err, url, deadline, opts.timeoutMs));
    };
    const req = transport.request(target, {
      method: 'GET',
      headers: requestHeaders(opts),
      agent: agentFor(opts.policy, target.protocol),
      signal: deadline.signal,
      ...(lookup ? { lookup } : {}),
    });
    req.on('error', fail);
    req.on('response', (res) => {
      responded = true;
      // Errors after an abort must never surface as an unhandled 'error' event.
      res.on('error', () => {});
      handleResponse(res, url, opts).then(resolve, fail);
    });
    req.end();
  });
}

/**
 * GET a URL from the open internet without trusting it: http(s) only, every
 * redirect hop re-checked against the network policy, one deadline for the
 * whole exchange, and a cap on the decoded body.
 */
export async function safeFetch(url: string, opts: FetchOptions): Promise<FetchResponse> {
  if (!opts.onOutcome) return fetchHops(url, opts);
  try {
    const res = await fetchHops(url, opts);
    opts.onOutcome({ status: res.status });
    return res;
  } catch (err) {
    opts.onOutcome(err instanceof FetchError ? { status: err.status, code: err.code } : { code: 'other' });
    throw err;
  }
}

async function fetchHops(url: string, opts: FetchOptions): Promise<FetchResponse> {
  let target = parseTarget(url);
  const seen = new Set([target.href]);
  const redirects: string[] = [];
  const deadline = startDeadline(opts.timeoutMs, opts.signal);
  try {
    for (;;) {
      if (deadline.signal.aborted)
        throw toFetchError(deadline.signal.reason, target.href, deadline, opts.timeoutMs);
      const hop = await requestOnce(target, opts, deadline);
      if (hop.kind === 'final') return { ...hop.response, redirects };
      redirects.push(target.href);
      if (redirects.length > opts.maxRedirects) {
        throw new FetchError('too_many_redirects', url, `more than ${opts.maxRedirects} redirects`);
      }
      const next = parseTarget(hop.location, target.href);
      if (seen.has(next.href)) {
        throw new FetchError('redirect_loop', url, `redirect loop back to ${next.href}`);
      }
      seen.add(next.href);
      target = next;
    }
  } finally {
    deadline.clear();
  }
}
