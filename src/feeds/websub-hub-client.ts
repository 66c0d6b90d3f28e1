import http from 'node:http';
import https from 'node:https';
import type { NetworkPolicy } from '../net/address-policy.js';
import { FetchError } from '../net/fetch-error.js';
import { assertLiteralHostAllowed, guardedLookup } from '../net/guarded-lookup.js';

/**
 * The one POST wiresift makes: a (un)subscription request to a WebSub hub.
 * The hub's URL comes from the feed, so it gets the same SSRF guard as every
 * GET (the address the socket connects to is the one approved), a deadline,
 * no redirects, and only the start of its answer is read.
 */

const MAX_ANSWER_BYTES = 16 * 1024;

export type HubRequest = {
  hub: string;
  params: Record<string, string>;
  policy: NetworkPolicy;
  timeoutMs: number;
  userAgent: string;
};

export function postToHub(r: HubRequest): Promise<{ status: number; body: string }> {
  const target = new URL(r.hub);
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return Promise.reject(new FetchError('bad_scheme', r.hub, 'the hub is not an http(s) URL'));
  assertLiteralHostAllowed(r.hub, target.hostname, r.policy);
  const lookup = guardedLookup(r.hub, target.hostname, r.policy);
  const form = new URLSearchParams(r.params).toString();
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(form),
        'user-agent': r.userAgent,
      },
      signal: AbortSignal.timeout(r.timeoutMs),
      ...(lookup ? { lookup } : {}),
    });
    req.on('error', (err) =>
      reject(
        err instanceof FetchError
          ? err
          : new FetchError('network', r.hub, `hub request failed: ${err.message}`),
      ),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(c);
        size += c.length;
      });
      res.on('error', () => {});
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 500) }),
      );
    });
    req.end(form);
  });
}
