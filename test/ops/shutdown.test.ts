import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { bullPrefix } from '../../src/queues/names.js';
import { startHttpServer } from '../support/http-server.js';
import { connectTestRedis, dropPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';
import { spawnWiresift, waitFor, writeFeedList } from './processes.js';

const redis = connectTestRedis();
const prefix = uniquePrefix('shutdown');
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe('graceful shutdown deadline', () => {
  it('SIGTERM with a job still running past the deadline: hands it back to its queue and exits 0', {
    timeout: 40_000,
  }, async () => {
    const hung: Array<() => void> = [];
    const server = await startHttpServer((req, res) => {
      if (req.url === '/feed.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(
          '<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title><link>/</link><description>d</description>' +
            '<item><title>A slow page</title><link>/slow.html</link><guid>/slow.html</guid></item></channel></rss>',
        );
        return;
      }
      // The page never answers within the test: its job is still active at SIGTERM.
      hung.push(() => res.destroy());
    });
    const list = await writeFeedList(`${server.url}/feed.xml\n`);
    const run = spawnWiresift(['run', '--feeds', list], {
      REDIS_URL: testRedisUrl(),
      WIRESIFT_PREFIX: prefix,
      WIRESIFT_ALLOW_PRIVATE_NETWORKS: 'true',
      WIRESIFT_SHUTDOWN_GRACE_MS: '1000',
      PORT: '0',
      HOST: '127.0.0.1',
    });
    const articles = new Queue('articles', {
      connection: redis,
      prefix: bullPrefix({ prefix, cluster: false }, 'articles'),
    });
    try {
      await waitFor(
        'the article job to be active',
        async () => (await articles.getJobCounts('active')).active === 1 || undefined,
      );
      const t0 = Date.now();
      run.child.kill('SIGTERM');
      expect(await run.exited, run.output()).toBe(0);
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(1000);
      expect(took).toBeLessThan(5000);
      expect(run.output()).toMatch(/"returned":1,"msg":"shutdown deadline passed/);
      expect(await articles.getJobCounts('active', 'wait')).toEqual({ active: 0, wait: 1 });
    } finally {
      for (const h of hung) h();
      await articles.close();
      await server.close();
    }
  });
});
