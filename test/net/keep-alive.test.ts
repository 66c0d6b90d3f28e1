import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK_POLICY, type NetworkPolicy } from '../../src/net/address-policy.js';
import { type FetchOptions, safeFetch } from '../../src/net/fetch.js';
import { FetchError } from '../../src/net/fetch-error.js';
import { startHttpServer } from '../support/http-server.js';

function opts(policy: NetworkPolicy): FetchOptions {
  return { timeoutMs: 2000, maxBytes: 1 << 20, maxRedirects: 3, userAgent: 'wiresift-test/1.0', policy };
}

describe('safeFetch connection reuse', () => {
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  const connections = new Set<Socket>();
  let port = 0;

  beforeAll(async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    server.server.on('connection', (s: Socket) => connections.add(s));
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server.close());

  it('reuses a kept-alive connection for the next page of the same host', async () => {
    connections.clear();
    const policy: NetworkPolicy = { allowPrivateNetworks: false, allowHosts: ['127.0.0.1'] };
    for (let i = 0; i < 5; i++) {
      const r = await safeFetch(`${server.url}/p${i}`, opts(policy));
      expect(r.body.toString()).toBe('ok');
    }
    expect(connections.size).toBe(1);
  });

  it('never lets a socket pooled under one policy skip the check of another', async () => {
    const permissive: NetworkPolicy = { allowPrivateNetworks: false, allowHosts: ['localhost'] };
    const r = await safeFetch(`http://localhost:${port}/a`, opts(permissive));
    expect(r.status).toBe(200);
    // Same host and port, a socket is idle in the pool: the strict policy must still refuse.
    const err = await safeFetch(`http://localhost:${port}/a`, opts(DEFAULT_NETWORK_POLICY)).catch((e) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('ssrf_blocked');
  });
});

describe('a kept-alive socket the server closed', () => {
  // A raw server: answers the first request on each connection with keep-alive,
  // then drops the connection when the second request arrives on it, as a
  // server whose idle timeout fired at that moment does.
  let port = 0;
  let connectionsSeen = 0;
  const sockets = new Set<Socket>();
  const raw = createServer((sock) => {
    connectionsSeen++;
    sockets.add(sock);
    let requests = 0;
    sock.on('data', (d) => {
      if (!d.toString().includes('\r\n\r\n')) return;
      requests++;
      if (requests === 1) {
        sock.write(
          'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok',
        );
      } else {
        sock.resetAndDestroy();
      }
    });
    sock.on('error', () => {});
  });

  beforeAll(async () => {
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    port = (raw.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => raw.close(r));
  });

  it('is retried once on a fresh connection, so the page is not lost', async () => {
    const policy: NetworkPolicy = { allowPrivateNetworks: false, allowHosts: ['127.0.0.1'] };
    const first = await safeFetch(`http://127.0.0.1:${port}/one`, opts(policy));
    expect(first.body.toString()).toBe('ok');
    const second = await safeFetch(`http://127.0.0.1:${port}/two`, opts(policy));
    expect(second.body.toString()).toBe('ok');
    expect(connectionsSeen).toBe(2);
  });
});
