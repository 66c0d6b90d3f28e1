import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { AppContext } from '../../src/app/context.js';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { repoRoot } from '../support/cli.js';
import { connectTestRedis, dropPrefix, testConfig, uniquePrefix } from '../support/redis.js';

describe('/metrics names', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('metric-names');
  let ctx: AppContext;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let body: string;

  beforeAll(async () => {
    ctx = createContext(testConfig(prefix), createLogger('silent'));
    app = await buildServer(ctx);
    await app.inject({ url: '/review/clusters/c123456?diff=a9' });
    await app.inject({ url: '/no/such/page-7f3a' });
    await app.inject({ url: '/healthz' });
    body = (await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).body;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it("process metrics use Node's conventional names", () => {
    expect(body).toMatch(/^process_cpu_seconds_total \d/m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(body).not.toContain('wiresift_process_');
  });

  it('HTTP request durations by route pattern, never by raw URL', () => {
    expect(body).toMatch(
      /^wiresift_http_request_duration_seconds_count\{method="GET",route="\/review\/clusters\/:id",status="3xx"\} 1$/m,
    );
    expect(body).toMatch(
      /^wiresift_http_request_duration_seconds_count\{method="GET",route="unmatched",status="4xx"\} 1$/m,
    );
    expect(body).toMatch(/route="\/healthz",status="2xx"/);
    for (const raw of ['c123456', 'a9', 'page-7f3a']) expect(body).not.toContain(raw);
  });

  it('every metric the example alert rules use is served', () => {
    const rules = parse(readFileSync(join(repoRoot, 'docs', 'prometheus-alerts.yaml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const served = new Set([...body.matchAll(/^# HELP (\w+)/gm)].map((m) => m[1]!));
    const exprs = rules.groups.flatMap((g) => g.rules).map((r) => r.expr);
    expect(exprs.length).toBeGreaterThan(5);
    const used = exprs.flatMap((e) =>
      [...e.matchAll(/\b((?:wiresift|nodejs|process)_\w+)/g)].map((m) => m[1]!),
    );
    const unknown = used.map((n) => n.replace(/_(bucket|count|sum)$/, '')).filter((n) => !served.has(n));
    expect(unknown).toEqual([]);
  });

  it('every wiresift metric is documented in docs/metrics.md', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'metrics.md'), 'utf8');
    const names = [...body.matchAll(/^# HELP (wiresift_\w+)/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(10);
    const missing = names.filter((n) => !doc.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });
});
