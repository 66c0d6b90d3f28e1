import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { nonCanonicalReason } from '../../src/http/canonical-path.js';
import { dropForeignLinks } from '../../src/http/review/queue-dashboard.js';

describe('canonical paths', () => {
  it('passes the paths the server links, with any query', () => {
    for (const p of [
      '/',
      '/review',
      '/review/',
      '/review/clusters/c12?diff=a3&x=%72%2F..%2F',
      '/review/queues/api/queues/feeds/repeat%3Af1%3A1700000000000',
      '/api/clusters?since=1700000000000:c1',
      '/review/queues/static/css/main.88d71b4bd7.css',
    ])
      expect(nonCanonicalReason(p), p).toBeNull();
  });

  it('names what is wrong with every other spelling', () => {
    const cases: [string, RegExp][] = [
      ['/%72eview', /unreserved character \("%72" is "r"\)/],
      ['/revi%45w', /unreserved/],
      ['/review/%7Equeues', /unreserved/],
      ['/%2572eview', /double encoding/],
      ['/review%2fqueues', /path separator/],
      ['/review%5Cqueues', /path separator/],
      ['/review/%00', /control character/],
      ['/review/%zz', /malformed/],
      ['/review/%7', /malformed/],
      ['//review', /empty path segment/],
      ['/review//queues', /empty path segment/],
      ['/review/./queues', /dot segment/],
      ['/x/../review', /dot segment/],
      ['/review/..', /dot segment/],
      ['/review\\queues', /backslash/],
      ['review', /must start/],
      ['http://127.0.0.1/review', /must start/],
    ];
    for (const [p, why] of cases) expect(nonCanonicalReason(p), p).toMatch(why);
  });
});

describe('queue dashboard page', () => {
  it('drops links to other origins and keeps its own', () => {
    const page =
      '<head><base href="/review/queues/"><link rel="icon" href="static/images/logo.svg">' +
      '<link href="https://fonts.googleapis.com/css2?family=X" rel="stylesheet">' +
      "<LINK rel=preconnect href='//fonts.gstatic.com'>" +
      '<link href="static/css/main.css" rel="stylesheet"></head>';
    expect(dropForeignLinks(page)).toBe(
      '<head><base href="/review/queues/"><link rel="icon" href="static/images/logo.svg">' +
        '<link href="static/css/main.css" rel="stylesheet"></head>',
    );
    expect(dropForeignLinks('<link href="x"')).toBe('<link href="x"');
  });
});

describe('http.trustProxy', () => {
  it('is off by default and read from WIRESIFT_TRUST_PROXY as a switch, a hop count or a list', () => {
    expect(loadConfig({ env: {} }).http.trustProxy).toBe(false);
    const read = (v: string) => loadConfig({ env: { WIRESIFT_TRUST_PROXY: v } }).http.trustProxy;
    expect(read('true')).toBe(true);
    expect(read('off')).toBe(false);
    expect(read('1')).toBe(1);
    expect(read('10.0.0.0/8, 127.0.0.1,loopback')).toEqual(['10.0.0.0/8', '127.0.0.1', 'loopback']);
    expect(() => read('proxy.example')).toThrow(ConfigError);
    expect(() => read('proxy.example')).toThrow(/http\.trustProxy/);
  });

  it('refuses a global ceiling below the per-address limit', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'wiresift-auth-')), 'c.yaml');
    await writeFile(file, 'review:\n  signInMaxFailures: 50\n  signInMaxFailuresGlobal: 10\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(/review\.signInMaxFailuresGlobal/);
  });
});
