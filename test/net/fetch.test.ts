import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK_POLICY, type NetworkPolicy } from '../../src/net/address-policy.js';
import { type FetchOptions, safeFetch } from '../../src/net/fetch.js';
import { FetchError, type FetchErrorCode } from '../../src/net/fetch-error.js';
import { startHttpServer } from '../support/http-server.js';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const hits = new Map<string, number>();
const routes: Record<string, Route> = {};
let server: Awaited<ReturnType<typeof startHttpServer>>;
let base: string;
let port: string;

const loopbackPolicy: NetworkPolicy = { allowPrivateNetworks: false, allowHosts: ['127.0.0.1'] };

function opts(overrides: Partial<FetchOptions> = {}): FetchOptions {
  return {
    timeoutMs: 2000,
    maxBytes: 1024 * 1024,
    maxRedirects: 5,
    userAgent: 'wiresift-test/1.0',
    policy: loopbackPolicy,
    ...overrides,
  };
}

async function fetchError(url: string, o: FetchOptions): Promise<FetchError> {
  try {
    await safeFetch(url, o);
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error(`expected ${url} to fail`);
}

async function expectCode(url: string, o: FetchOptions, code: FetchErrorCode): Promise<FetchError> {
  const err = await fetchError(url, o);
  expect(err.code, err.message).toBe(code);
  return err;
}

beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const exact = routes[path];
    const prefix = Object.keys(routes).find((p) => p.endsWith('/') && path.startsWith(p));
    const route = exact ?? (prefix ? routes[prefix] : undefined);
    if (route) return route(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('nope');
  });
  base = server.url;
  port = new URL(base).port;
});

afterAll(async () => {
  await server.close();
});

describe('safeFetch: normal path', () => {
  it('fetches a body with headers and validators', async () => {
    let seenHeaders: IncomingMessage['headers'] = {};
    routes['/hello'] = (req, res) => {
      seenHeaders = req.headers;
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        etag: '"abc"',
        'last-modified': 'Wed, 05 Nov 2025 09:00:00 GMT',
      });
      res.end('héllo');
    };
    const r = await safeFetch(`${base}/hello#frag`, opts({ accept: 'text/plain' }));
    expect(r.status).toBe(200);
    expect(r.url).toBe(`${base}/hello`);
    expect(r.body.toString('utf8')).toBe('héllo');
    expect(r.notModified).toBe(false);
    expect(r.contentType).toBe('text/plain; charset=utf-8');
    expect(r.etag).toBe('"abc"');
    expect(r.lastModified).toBe('Wed, 05 Nov 2025 09:00:00 GMT');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.redirects).toEqual([]);
    expect(seenHeaders['user-agent']).toBe('wiresift-test/1.0');
    expect(seenHeaders.accept).toBe('text/plain');
    expect(seenHeaders['accept-encoding']).toContain('gzip');
  });

  it('works with allowPrivateNetworks instead of allowHosts', async () => {
    routes['/open'] = (_req, res) => res.end('ok');
    const r = await safeFetch(
      `${base}/open`,
      opts({ policy: { allowPrivateNetworks: true, allowHosts: [] } }),
    );
    expect(r.body.toString()).toBe('ok');
  });

  it.each([
    ['gzip', (b: Buffer) => gzipSync(b)],
    ['deflate', (b: Buffer) => deflateSync(b)],
    ['br', (b: Buffer) => brotliCompressSync(b)],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    const text = 'Dépêche AFP. '.repeat(500);
    routes[`/enc-${encoding}`] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding });
      res.end(compress(Buffer.from(text)));
    };
    const r = await safeFetch(`${base}/enc-${encoding}`, opts());
    expect(r.body.toString('utf8')).toBe(text);
  });

  it('refuses an empty 200 body', async () => {
    routes['/empty'] = (_req, res) => res.end();
    await expectCode(`${base}/empty`, opts(), 'empty_body');
  });
});

describe('safeFetch: size and time limits', () => {
  it('stops a gzip bomb at maxBytes after decompression', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MB of zeros, ~64 KB on the wire
    expect(bomb.length).toBeLessThan(200 * 1024);
    routes['/bomb'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end(bomb);
    };
    const started = Date.now();
    const err = await expectCode(`${base}/bomb`, opts({ maxBytes: 1024 * 1024 }), 'too_large');
    expect(err.retryable).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses an oversized streamed body without Content-Length', async () => {
    routes['/big-chunked'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const push = () => {
        // Stops on its own well past the cap, so a broken cap shows as a pass-through, not a hang.
        while (sent < 200 && res.write(chunk)) sent++;
        if (sent >= 200) res.end();
        else res.once('drain', push);
      };
      push();
    };
    await expectCode(`${base}/big-chunked`, opts({ maxBytes: 256 * 1024 }), 'too_large');
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    routes['/big-declared'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(10 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
      // never finishes: only the header can have triggered the refusal
    };
    const err = await expectCode(`${base}/big-declared`, opts({ maxBytes: 1024 * 1024 }), 'too_large');
    expect(err.message).toContain('Content-Length');
  });

  it('cuts a slow-drip body at the total timeout', async () => {
    routes['/drip'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => res.write('a'), 50);
      res.on('close', () => clearInterval(timer));
    };
    const started = Date.now();
    const err = await expectCode(`${base}/drip`, opts({ timeoutMs: 400 }), 'timeout');
    const elapsed = Date.now() - started;
    expect(err.retryable).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(2000);
  });

  it('times out a server that never sends headers', async () => {
    routes['/silent'] = () => {};
    const started = Date.now();
    await expectCode(`${base}/silent`, opts({ timeoutMs: 300 }), 'timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops when the caller aborts', async () => {
    routes['/hang'] = () => {};
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await expectCode(`${base}/hang`, opts({ signal: controller.signal }), 'network');
    expect(err.message).toContain('aborted');
  });
});

describe('safeFetch: redirects', () => {
  it('follows a redirect chain and reports the final URL', async () => {
    routes['/r1'] = (_req, res) => {
      res.writeHead(301, { location: '/r2' });
      res.end('moved');
    };
    routes['/r2'] = (_req, res) => {
      res.writeHead(302, { location: `${base}/r3?x=1` });
      res.end();
    };
    routes['/r3'] = (_req, res) => res.end('arrived');
    const r = await safeFetch(`${base}/r1`, opts());
    expect(r.url).toBe(`${base}/r3?x=1`);
    expect(r.body.toString()).toBe('arrived');
    expect(r.redirects).toEqual([`${base}/r1`, `${base}/r2`]);
  });

  it('detects a redirect loop', async () => {
    routes['/loop-a'] = (_req, res) => {
      res.writeHead(302, { location: '/loop-b' });
      res.end();
    };
    routes['/loop-b'] = (_req, res) => {
      res.writeHead(302, { location: '/loop-a' });
      res.end();
    };
    await expectCode(`${base}/loop-a`, opts(), 'redirect_loop');
  });

  it('caps the number of redirects', async () => {
    routes['/hop/'] = (req, res) => {
      const n = Number(req.url?.split('/').pop());
      res.writeHead(307, { location: `/hop/${n + 1}` });
      res.end();
    };
    const err = await expectCode(`${base}/hop/0`, opts({ maxRedirects: 3 }), 'too_many_redirects');
    expect(err.message).toContain('more than 3 redirects');
    // 0 -> 1 -> 2 -> 3 are the three allowed hops; /hop/3's redirect is the one refused.
    expect(hits.get('/hop/3')).toBe(1);
    expect(hits.get('/hop/4')).toBeUndefined();
  });

  it('allows exactly maxRedirects hops', async () => {
    routes['/two/'] = (req, res) => {
      const n = Number(req.url?.split('/').pop());
      if (n >= 2) return res.end('done');
      res.writeHead(302, { location: `/two/${n + 1}` });
      res.end();
    };
    const r = await safeFetch(`${base}/two/0`, opts({ maxRedirects: 2 }));
    expect(r.body.toString()).toBe('done');
  });

  it('refuses a redirect to a non-http scheme', async () => {
    routes['/to-file'] = (_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    };
    await expectCode(`${base}/to-file`, opts(), 'bad_scheme');
  });
});

describe('safeFetch: HTTP status', () => {
  it('turns 404 into a non-retryable http_status error', async () => {
    const err = await expectCode(`${base}/missing`, opts(), 'http_status');
    expect(err.status).toBe(404);
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(`net: GET ${base}/missing: HTTP 404 Not Found`);
    expect(err.url).toBe(`${base}/missing`);
  });

  it('marks 500 retryable', async () => {
    routes['/boom'] = (_req, res) => {
      res.writeHead(500);
      res.end('err');
    };
    const err = await expectCode(`${base}/boom`, opts(), 'http_status');
    expect(err.status).toBe(500);
    expect(err.retryable).toBe(true);
  });

  it('reads Retry-After seconds on 429', async () => {
    routes['/busy'] = (_req, res) => {
      res.writeHead(429, { 'retry-after': '7' });
      res.end();
    };
    const err = await expectCode(`${base}/busy`, opts(), 'http_status');
    expect(err.status).toBe(429);
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(7000);
  });

  it('reads Retry-After as an HTTP date on 503', async () => {
    routes['/later'] = (_req, res) => {
      res.writeHead(503, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() });
      res.end();
    };
    const err = await expectCode(`${base}/later`, opts(), 'http_status');
    expect(err.retryAfterMs).toBeGreaterThan(55_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('sends conditional headers and reports 304 as notModified', async () => {
    routes['/cond'] = (req, res) => {
      if (
        req.headers['if-none-match'] === '"v1"' ||
        req.headers['if-modified-since'] === 'Mon, 01 Sep 2025 00:00:00 GMT'
      ) {
        res.writeHead(304, { etag: '"v1"' });
        return res.end();
      }
      res.writeHead(200, { etag: '"v1"', 'content-type': 'application/rss+xml' });
      res.end('<rss/>');
    };
    const first = await safeFetch(`${base}/cond`, opts());
    expect(first.notModified).toBe(false);
    expect(first.etag).toBe('"v1"');
    const byEtag = await safeFetch(`${base}/cond`, opts({ etag: first.etag }));
    expect(byEtag).toMatchObject({ status: 304, notModified: true, etag: '"v1"' });
    expect(byEtag.body.length).toBe(0);
    const byDate = await safeFetch(`${base}/cond`, opts({ lastModified: 'Mon, 01 Sep 2025 00:00:00 GMT' }));
    expect(byDate.notModified).toBe(true);
  });

  it('refuses a content type outside allowedContentTypes', async () => {
    routes['/image'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(10));
    };
    const err = await expectCode(
      `${base}/image`,
      opts({ allowedContentTypes: /xml|html/i }),
      'bad_content_type',
    );
    expect(err.retryable).toBe(false);
    routes['/xml'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<a/>');
    };
    const ok = await safeFetch(`${base}/xml`, opts({ allowedContentTypes: /xml|html/i }));
    expect(ok.body.toString()).toBe('<a/>');
  });
});

describe('safeFetch: URL and SSRF guard', () => {
  it.each(['file:///etc/passwd', 'ftp://example.com/x', 'gopher://127.0.0.1:70/', 'javascript:alert(1)'])(
    'refuses scheme of %s',
    async (url) => {
      const err = await expectCode(url, opts(), 'bad_scheme');
      expect(err.retryable).toBe(false);
    },
  );

  it('refuses an invalid URL', async () => {
    await expectCode('not a url', opts(), 'invalid_url');
  });

  it('refuses 127.0.0.1 under the default policy without connecting', async () => {
    routes['/secret'] = (_req, res) => res.end('metadata');
    hits.delete('/secret');
    const err = await expectCode(`${base}/secret`, opts({ policy: DEFAULT_NETWORK_POLICY }), 'ssrf_blocked');
    expect(err.retryable).toBe(false);
    expect(hits.get('/secret')).toBeUndefined();
  });

  it.each([
    'http://10.0.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://0.0.0.0/',
    'http://2130706433/',
    'http://100.64.1.1/',
    'http://[fd00::1]/',
    'http://[::7f00:1]/',
    'http://[::a9fe:a9fe]/',
  ])('refuses %s under the default policy', async (url) => {
    const started = Date.now();
    await expectCode(url, opts({ policy: DEFAULT_NETWORK_POLICY, timeoutMs: 5000 }), 'ssrf_blocked');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a hostname that resolves to loopback (checked at connect time)', async () => {
    hits.delete('/secret');
    const err = await expectCode(
      `http://localhost:${port}/secret`,
      opts({ policy: DEFAULT_NETWORK_POLICY }),
      'ssrf_blocked',
    );
    expect(err.message).toContain('resolves to private address 127.0.0.1');
    expect(hits.get('/secret')).toBeUndefined();
  });

  it('lets an allow-listed hostname reach a private address', async () => {
    const r = await safeFetch(
      `http://localhost:${port}/secret`,
      opts({ policy: { allowPrivateNetworks: false, allowHosts: ['localhost'] } }),
    );
    expect(r.body.toString()).toBe('metadata');
  });

  it('refuses a redirect from an allowed host to a private IP', async () => {
    routes['/to-private'] = (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` });
      res.end();
    };
    hits.delete('/secret');
    const err = await expectCode(
      `http://localhost:${port}/to-private`,
      opts({ policy: { allowPrivateNetworks: false, allowHosts: ['localhost'] } }),
      'ssrf_blocked',
    );
    expect(hits.get('/to-private')).toBeGreaterThan(0);
    expect(hits.get('/secret')).toBeUndefined();
    expect(err.url).toBe(`http://127.0.0.1:${port}/secret`);
  });

  it('refuses a redirect from an allowed host to a hostname that resolves privately', async () => {
    routes['/to-localhost'] = (_req, res) => {
      res.writeHead(302, { location: `http://localhost:${port}/secret` });
      res.end();
    };
    hits.delete('/secret');
    await expectCode(`${base}/to-localhost`, opts(), 'ssrf_blocked');
    expect(hits.get('/secret')).toBeUndefined();
  });

  it('refuses a redirect to cloud metadata', async () => {
    routes['/to-metadata'] = (_req, res) => {
      res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    };
    await expectCode(`${base}/to-metadata`, opts(), 'ssrf_blocked');
  });
});
