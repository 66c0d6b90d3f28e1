import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startHttpServer } from '../support/http-server.js';
import { connectTestRedis, dropPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

const ARTICLE = `<html lang="fr"><head><title>Grève à Rennes</title></head><body><article><h1>Grève à Rennes</h1>
<p>RENNES (AFP) - Les contrôleurs ont entamé lundi une grève reconductible sur les lignes régionales de l'Ouest, perturbant le trafic.</p>
<p>La direction régionale prévoit un train sur deux mardi et conseille de reporter les déplacements non essentiels.</p>
</article></body></html>`;

describe('run --once after a failed run', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('once-backoff');
  const empty = uniquePrefix('once-none');
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  let feedRequests = 0;
  let broken = true;
  let list: string;

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      if (req.url === '/feed.xml') {
        feedRequests++;
        if (broken) {
          res.writeHead(500).end('down');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>Le Courrier</title><link>${server.url}/</link>
<item><title>Grève à Rennes</title><link>${server.url}/a1.html</link><pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item>
</channel></rss>`,
        );
        return;
      }
      if (req.url === '/a1.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE);
        return;
      }
      res.writeHead(404).end();
    });
    const dir = await mkdtemp(join(tmpdir(), 'wiresift-once-'));
    list = join(dir, 'feeds.txt');
    await writeFile(list, `${server.url}/feed.xml\n`);
  });
  afterAll(async () => {
    await server?.close();
    await dropPrefix(redis, prefix);
    await dropPrefix(redis, empty);
    redis.disconnect();
  });

  const env = () => ({
    REDIS_URL: testRedisUrl(),
    WIRESIFT_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true',
    WIRESIFT_HOST_MIN_DELAY_MS: '0',
  });

  it('says which feeds failed and exits 1 when all did; the rerun polls the feed in backoff', {
    timeout: 120_000,
  }, async () => {
    const first = await runCli(['run', '--once', '--feeds', list], env());
    expect(first.stdout).toMatch(/^feeds 1, items 0, .*feeds failed 1 \(.*500/m);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('run --once: feed failed');
    expect(feedRequests).toBe(1);

    // the cause is fixed; the feed is still in backoff, but a one-shot run is a human asking now
    broken = false;
    // (and WIRESIFT_FEEDS naming a list file does what --feeds does)
    const second = await runCli(['run', '--once'], { ...env(), WIRESIFT_FEEDS: list });
    expect(feedRequests).toBe(2);
    expect(second.stdout).toMatch(/^feeds 1, items 1, articles stored 1, clusters 1, failures 0$/m);
    expect(second.code).toBe(0);
  });

  it('with no feeds anywhere, says how to add one', { timeout: 60_000 }, async () => {
    const r = await runCli(['run', '--once'], { ...env(), WIRESIFT_PREFIX: empty });
    expect(r.stdout).toMatch(/^feeds 0, items 0/m);
    expect(r.stderr).toContain('no feeds configured: add with `wiresift feeds add URL`, WIRESIFT_FEEDS');
  });
});
