import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { keyFamily } from '../../src/bench/load-bench.js';
import { createProgress } from '../../src/command-line/progress.js';
import { fetchOutcomeLabel } from '../../src/http/metrics.js';
import { buildOpsServer } from '../../src/http/server.js';
import {
  createLogger,
  createLogThrottle,
  formatPretty,
  loggerOptions,
  messageKind,
  redactUrl,
} from '../../src/log.js';
import { backoffMs } from '../../src/ops/redis-startup.js';
import { testConfig, uniquePrefix } from '../support/redis.js';

describe('start-up backoff', () => {
  it('doubles from the minimum up to the cap, with bounded jitter', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, 500, 10_000, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000,
    ]);
    for (let n = 1; n < 12; n++) {
      const low = backoffMs(n, 500, 10_000, () => 0);
      const high = backoffMs(n, 500, 10_000, () => 0.999);
      expect(low).toBeGreaterThanOrEqual(400);
      expect(high).toBeLessThanOrEqual(10_000);
    }
  });
});

describe('logs', () => {
  it('redacts passwords and token-like query values in URLs', () => {
    expect(redactUrl('redis://:s3cret@redis:6379/0')).toBe('redis://:***@redis:6379/0');
    expect(redactUrl('rediss://user:pw@host:6380')).toBe('rediss://user:***@host:6380');
    expect(redactUrl('https://x.example/feed?token=abc&page=2')).toBe(
      'https://x.example/feed?token=***&page=2',
    );
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('redacts secret fields in JSON lines', async () => {
    const lines: string[] = [];
    const { pino } = await import('pino');
    const log = pino(loggerOptions('info'), { write: (l: string) => lines.push(l) });
    log.child({ queue: 'feeds' }).info(
      {
        token: 'abc',
        config: { metricsToken: 'def' },
        headers: { authorization: 'Bearer x', cookie: 'sid=1' },
      },
      'hi',
    );
    expect(lines[0]).toContain('"queue":"feeds"');
    for (const secret of ['abc', 'def', 'Bearer x', 'sid=1']) expect(lines[0]).not.toContain(secret);
  });

  it('formats a JSON line as a short human line for terminals', () => {
    const line = JSON.stringify({
      level: 40,
      time: '2026-03-01T10:11:12.000Z',
      service: 'wiresift',
      queue: 'articles',
      jobId: 'a-1',
      msg: 'job failed',
    });
    expect(formatPretty(line, false)).toBe('10:11:12 WARN  job failed  queue=articles jobId=a-1\n');
    expect(formatPretty('not json', false)).toBe('not json');
  });
});

describe('metrics labels', () => {
  it('maps fetch outcomes to a closed set', () => {
    expect(fetchOutcomeLabel({ status: 200 })).toBe('2xx');
    expect(fetchOutcomeLabel({ status: 304 })).toBe('3xx');
    expect(fetchOutcomeLabel({ status: 503, code: 'http_status' })).toBe('5xx');
    expect(fetchOutcomeLabel({ code: 'timeout' })).toBe('timeout');
    expect(fetchOutcomeLabel({ code: 'ssrf_blocked' })).toBe('blocked');
    expect(fetchOutcomeLabel({ code: 'redirect_loop' })).toBe('other');
  });
});

describe('progress display', () => {
  function sink(isTTY: boolean) {
    let text = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        text += chunk;
        cb();
      },
    }) as unknown as NodeJS.WriteStream;
    (stream as { isTTY?: boolean }).isTTY = isTTY;
    return { stream, text: () => text };
  }

  it('prints JSON lines with a rate when not on a terminal', () => {
    let t = 0;
    const out = sink(false);
    const p = createProgress({
      label: 'run',
      rateOf: 'stored',
      stream: out.stream,
      now: () => t,
      jsonEveryMs: 1000,
    });
    t = 2000;
    p.update({ stored: 100 });
    p.update({ stored: 120 }); // within jsonEveryMs: quiet
    t = 4000;
    p.done();
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { progress: 'run', stored: 100, ratePerSecond: 50, elapsedSeconds: 2 },
      { progress: 'run', stored: 120, ratePerSecond: 30, elapsedSeconds: 4, done: true },
    ]);
  });

  it('redraws one line on a terminal', () => {
    let t = 0;
    const out = sink(true);
    const p = createProgress({ label: 'run', rateOf: 'stored', stream: out.stream, now: () => t });
    t = 1000;
    p.update({ stored: 10, failures: 0 });
    p.done();
    expect(out.text()).toContain('\r\x1b[2Krun: stored 10 · failures 0 · 10.0 stored/s');
    expect(out.text().endsWith('\n')).toBe(true);
  });
});

describe('ops routes', () => {
  const ctx = createContext(
    testConfig(uniquePrefix('ops'), {
      WIRESIFT_METRICS_TOKEN: 'sesame',
    }),
    createLogger('silent'),
  );
  afterAll(() => ctx.close());

  it('keeps /metrics behind the token, /healthz and /readyz open', async () => {
    const app = await buildOpsServer(ctx);
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope!' } })).statusCode,
    ).toBe(401);
    const ok = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer sesame' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('wiresift_job_duration_seconds');
    expect(ok.body).toContain('wiresift_queue_jobs');
    expect((await app.inject('/healthz')).json()).toEqual({ ok: true });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ok: true, redis: 'up', reasons: [] });
    await app.close();
  });
});

describe('log throttle', () => {
  it('logs one line per kind per window and carries the count of the repeats', () => {
    let t = 0;
    const throttle = createLogThrottle(10_000, () => t);
    const logged: Array<[string, number]> = [];
    const say = (msg: string) => throttle(messageKind(msg), (n) => logged.push([msg, n]));
    for (const id of ['a-1f2e3d4c5b6a7980', 'a-0000000000000001', 'a-abcdef0123456789'])
      say(`Missing key for job ${id}. moveToFinished`);
    say('could not renew lock for job a-1f2e3d4c5b6a7980');
    t = 10_001;
    say('Missing key for job a-9. moveToFinished');
    expect(logged).toEqual([
      ['Missing key for job a-1f2e3d4c5b6a7980. moveToFinished', 0],
      ['could not renew lock for job a-1f2e3d4c5b6a7980', 0],
      ['Missing key for job a-9. moveToFinished', 2],
    ]);
  });
});

describe('/metrics without a token', () => {
  const made: Array<ReturnType<typeof createContext>> = [];
  const server = async (env: Record<string, string> = {}) => {
    const ctx = createContext(testConfig(uniquePrefix('metrics'), env), createLogger('silent'));
    made.push(ctx);
    return buildOpsServer(ctx);
  };
  afterAll(async () => {
    for (const c of made) await c.close();
  });

  it('answers loopback only by default; another address gets 403 naming the two settings', async () => {
    const app = await server();
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1'])
      expect((await app.inject({ url: '/metrics', remoteAddress })).statusCode, remoteAddress).toBe(200);
    for (const remoteAddress of ['10.0.0.5', '192.168.1.9', '2001:db8::1', '::ffff:10.0.0.5']) {
      const r = await app.inject({ url: '/metrics', remoteAddress });
      expect(r.statusCode, remoteAddress).toBe(403);
      expect(r.json().error).toMatch(/WIRESIFT_METRICS_TOKEN.*WIRESIFT_METRICS_ALLOWED_NETWORKS/);
    }
    // A forwarded header is the client's word, not its address.
    const forged = await app.inject({
      url: '/metrics',
      remoteAddress: '10.0.0.5',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(forged.statusCode).toBe(403);
    await app.close();
  });

  it('answers the listed networks', async () => {
    const app = await server({ WIRESIFT_METRICS_ALLOWED_NETWORKS: '10.0.0.0/8, 2001:db8::/32' });
    expect((await app.inject({ url: '/metrics', remoteAddress: '10.1.2.3' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics', remoteAddress: '::ffff:10.1.2.3' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics', remoteAddress: '2001:db8::7' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(403);
    await app.close();
  });

  it('refuses a network that is not an address or range, naming the key', () => {
    expect(() =>
      testConfig(uniquePrefix('metrics'), { WIRESIFT_METRICS_ALLOWED_NETWORKS: '10.0.0.0/99' }),
    ).toThrow(/metricsAllowedNetworks/);
  });
});

describe('keyFamily (bench load memory split)', () => {
  it('groups keys by name with id-like segments as *', () => {
    const p = 'wiresift-bench:ab12:';
    expect(keyFamily(`${p}article:0123456789abcdef:body`, p)).toBe('article:*:body');
    expect(keyFamily(`${p}article:0123456789abcdef`, p)).toBe('article:*');
    expect(keyFamily(`${p}lsh:shard:812`, p)).toBe('lsh:shard:*');
    expect(keyFamily(`${p}cluster:c12:members`, p)).toBe('cluster:*:members');
    expect(keyFamily(`${p}lsh:ref-seq`, p)).toBe('lsh:ref-seq');
    expect(keyFamily(`${p}events`, p)).toBe('events');
  });
});
