import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { ATTACKS, itemFlood, rss } from '../feeds/attack-inputs.js';

/**
 * Generated hostile feeds and responses. Each case is one route of a real
 * local server and states what the feed worker must end with:
 *  - fail: the job fails, its reason matching `reason`;
 *  - ok: the feed is read and yields items;
 *  - either: read (possibly partially) or failed, but with a stage-prefixed reason.
 */
export type Expect = 'fail' | 'ok' | 'either';
export type HostileCase = {
  id: string;
  category: string;
  expect: Expect;
  reason?: RegExp;
  /** Items the per-poll cap must report cut, when read. */
  cut?: number;
  /** Builds a big body ahead of the run, so the server does not stall the process mid-run. */
  prepare?: (base: string) => void;
  handle: (req: IncomingMessage, res: ServerResponse, base: string) => void;
};

const MB = 1024 * 1024;

export function goodFeed(base: string, n: number, items = 3): string {
  const entries = Array.from(
    { length: items },
    (_, k) =>
      `<item><title>Dépêche ${n}-${k} : l'été à Brévannes</title><link>${base}/art/${n}/${k}?utm_source=rss</link>` +
      `<guid>${base}/art/${n}/${k}</guid><pubDate>Mon, 02 Mar 2026 10:0${k}:00 GMT</pubDate>` +
      `<description>Texte de la dépêche ${n}-${k}.</description></item>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bon flux ${n}</title><link>${base}/</link>${entries}</channel></rss>`;
}

/** Deterministic pseudo-random bytes, so a failing case can be replayed. */
function noise(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body: Buffer | string,
) {
  res.writeHead(status, headers);
  res.end(body);
}

const XML = 'application/rss+xml';
const FEED_REASON = /^(net|feeds): /;

export function buildCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (c: HostileCase): void => {
    cases.push(c);
  };

  // Truncated XML: a good feed cut at 40 places.
  for (let i = 0; i < 40; i++) {
    add({
      id: `truncated-${i}`,
      category: 'truncated XML',
      expect: 'either',
      handle: (_q, res, base) => {
        const doc = goodFeed(base, 0, 6);
        send(res, 200, { 'content-type': XML }, doc.slice(0, Math.floor(((i + 1) * doc.length) / 41)));
      },
    });
  }

  // Wrong and mixed encodings.
  const accented = (base: string, n: number) =>
    goodFeed(base, 1000 + n).replace('encoding="UTF-8"', 'encoding="%ENC%"');
  const encodings: Array<[string, Expect, (b: string, n: number) => { body: Buffer; type: string }]> = [
    [
      'latin1 declared in prolog',
      'ok',
      (b, n) => ({ body: iconv.encode(accented(b, n).replace('%ENC%', 'ISO-8859-1'), 'latin1'), type: XML }),
    ],
    [
      'windows-1252 in prolog',
      'ok',
      (b, n) => ({
        body: iconv.encode(accented(b, n).replace('%ENC%', 'windows-1252'), 'win1252'),
        type: XML,
      }),
    ],
    [
      'iso-8859-15 in header',
      'ok',
      (b, n) => ({
        body: iconv.encode(accented(b, n).replace(' encoding="%ENC%"', ''), 'iso-8859-15'),
        type: `${XML}; charset=iso-8859-15`,
      }),
    ],
    [
      'utf-16le with BOM',
      'ok',
      (b, n) => ({
        body: Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          iconv.encode(accented(b, n).replace('%ENC%', 'UTF-16'), 'utf16le'),
        ]),
        type: XML,
      }),
    ],
    [
      'utf-8 with BOM',
      'ok',
      (b, n) => ({
        body: Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from(accented(b, n).replace('%ENC%', 'UTF-8')),
        ]),
        type: XML,
      }),
    ],
    [
      'latin1 bytes declared utf-8',
      'either',
      (b, n) => ({
        body: iconv.encode(accented(b, n).replace('%ENC%', 'UTF-8'), 'latin1'),
        type: `${XML}; charset=utf-8`,
      }),
    ],
    [
      'utf-8 bytes declared latin1',
      'either',
      (b, n) => ({ body: Buffer.from(accented(b, n).replace('%ENC%', 'ISO-8859-1')), type: XML }),
    ],
    [
      'header and prolog disagree',
      'either',
      (b, n) => ({
        body: Buffer.from(accented(b, n).replace('%ENC%', 'ISO-8859-1')),
        type: `${XML}; charset=utf-8`,
      }),
    ],
    [
      'unknown charset label',
      'either',
      (b, n) => ({
        body: Buffer.from(accented(b, n).replace('%ENC%', 'x-klingon')),
        type: `${XML}; charset=x-klingon`,
      }),
    ],
    [
      'mixed utf-8 and latin1',
      'either',
      (b, n) => {
        const t = accented(b, n).replace('%ENC%', 'UTF-8');
        const half = t.indexOf('<item>', t.indexOf('<item>') + 1);
        return {
          body: Buffer.concat([Buffer.from(t.slice(0, half)), iconv.encode(t.slice(half), 'latin1')]),
          type: XML,
        };
      },
    ],
    [
      'utf-16 without BOM',
      'either',
      (b, n) => ({ body: iconv.encode(accented(b, n).replace('%ENC%', 'UTF-16'), 'utf16le'), type: XML }),
    ],
    [
      'invalid utf-8 sequences',
      'either',
      (b, n) => ({
        body: Buffer.from(accented(b, n).replace('%ENC%', 'UTF-8')).fill(0xc3, 300, 302),
        type: XML,
      }),
    ],
  ];
  encodings.forEach(([, expect, make], i) => {
    for (let v = 0; v < 2; v++)
      add({
        id: `encoding-${i}-${v}`,
        category: 'wrong/mixed encodings',
        expect,
        handle: (_q, res, base) => {
          const { body, type } = make(base, i * 2 + v);
          send(res, 200, { 'content-type': type }, body);
        },
      });
  });

  // 50 MB bodies: declared, chunked, compressed.
  const big = Buffer.alloc(50 * MB, '<item><title>x</title></item>');
  const bigGz = gzipSync(big, { level: 1 });
  add({
    id: 'big-declared',
    category: '50 MB bodies',
    expect: 'fail',
    reason: /exceeds/,
    handle: (_q, res) => send(res, 200, { 'content-type': XML, 'content-length': big.length }, big),
  });
  add({
    id: 'big-chunked',
    category: '50 MB bodies',
    expect: 'fail',
    // Read up to the cap as it streams in: on a loaded machine the deadline can come first; either stop is right.
    reason: /exceeds|timed out/,
    handle: (_q, res) => {
      res.writeHead(200, { 'content-type': XML });
      res.end(big);
    },
  });
  add({
    id: 'big-gzip',
    category: '50 MB bodies',
    expect: 'fail',
    // Inflating up to the cap can outlast the deadline on a slow machine: either stop is right.
    reason: /exceeds|timed out/,
    handle: (_q, res) => send(res, 200, { 'content-type': XML, 'content-encoding': 'gzip' }, bigGz),
  });
  add({
    id: 'big-untyped',
    category: '50 MB bodies',
    expect: 'fail',
    // Read up to the cap as it streams in: on a loaded machine the deadline can come first; either stop is right.
    reason: /exceeds|timed out/,
    handle: (_q, res) => {
      res.writeHead(200);
      res.end(big);
    },
  });

  // Compression bombs: small on the wire, huge inflated.
  const zeros = Buffer.alloc(64 * MB, 0x20);
  const bombs: Array<[string, string, Buffer]> = [
    ['gzip', 'gzip', gzipSync(zeros, { level: 9 })],
    ['x-gzip', 'x-gzip', gzipSync(zeros, { level: 9 })],
    ['deflate', 'deflate', deflateSync(zeros, { level: 9 })],
    ['br', 'br', brotliCompressSync(zeros)],
  ];
  for (const [name, enc, body] of bombs) {
    for (const declared of [false, true]) {
      add({
        id: `bomb-${name}-${declared ? 'length' : 'chunked'}`,
        category: 'compression bombs',
        expect: 'fail',
        reason: /exceeds/,
        handle: (_q, res) =>
          send(
            res,
            200,
            {
              'content-type': XML,
              'content-encoding': enc,
              ...(declared ? { 'content-length': body.length } : {}),
            },
            body,
          ),
      });
    }
  }
  add({
    id: 'bomb-corrupt-gzip',
    category: 'compression bombs',
    expect: 'fail',
    reason: FEED_REASON,
    handle: (_q, res) => send(res, 200, { 'content-type': XML, 'content-encoding': 'gzip' }, noise(7, 5000)),
  });

  // Redirect loops and chains.
  for (let i = 0; i < 4; i++) {
    add({
      id: `redirect-self-${i}`,
      category: 'redirect loops',
      expect: 'fail',
      reason: /redirect loop/,
      handle: (q, res) => send(res, 301 + (i % 2), { location: q.url ?? '/' }, ''),
    });
    add({
      id: `redirect-pingpong-${i}`,
      category: 'redirect loops',
      expect: 'fail',
      reason: /redirect loop/,
      handle: (q, res) => {
        const u = new URL(q.url ?? '/', 'http://x');
        send(
          res,
          [302, 307, 308, 303][i]!,
          { location: u.searchParams.has('b') ? u.pathname : `${u.pathname}?b=1` },
          '',
        );
      },
    });
    add({
      id: `redirect-chain-${i}`,
      category: 'redirect loops',
      expect: 'fail',
      reason: /more than \d+ redirects/,
      handle: (q, res) => {
        const u = new URL(q.url ?? '/', 'http://x');
        const hop = Number(u.searchParams.get('hop') ?? 0);
        send(res, 302, { location: `${u.pathname}?hop=${hop + 1}` }, '');
      },
    });
  }
  add({
    id: 'redirect-no-location',
    category: 'redirect loops',
    expect: 'fail',
    reason: /HTTP 301/,
    handle: (_q, res) => send(res, 301, {}, ''),
  });

  // Redirects to private addresses (every target is on loopback: the guard must refuse before connecting).
  const privateTargets = [
    (port: string) => `http://127.0.0.2:${port}/feed`,
    (port: string) => `http://localhost:${port}/feed`,
    (port: string) => `http://[::1]:${port}/feed`,
    (port: string) => `http://0.0.0.0:${port}/feed`,
    (port: string) => `http://[::ffff:127.0.0.1]:${port}/feed`,
    (port: string) => `http://127.255.255.254:${port}/feed`,
  ];
  privateTargets.forEach((target, i) => {
    for (const status of [301, 302]) {
      add({
        id: `redirect-private-${i}-${status}`,
        category: 'redirects to private addresses',
        expect: 'fail',
        reason: /private address/,
        handle: (_q, res, base) => send(res, status, { location: target(new URL(base).port) }, ''),
      });
    }
  });
  for (const scheme of [
    'file:///etc/passwd',
    'ftp://127.0.0.1/feed',
    'gopher://127.0.0.1:70/',
    'data:text/xml,<rss/>',
  ]) {
    add({
      id: `redirect-scheme-${scheme.split(':')[0]}`,
      category: 'redirects to private addresses',
      expect: 'fail',
      reason: /scheme .* is not allowed/,
      handle: (_q, res) => send(res, 302, { location: scheme }, ''),
    });
  }

  // Slow servers.
  const drip = (res: ServerResponse, chunk: string, everyMs: number, headers = true) => {
    if (headers) res.writeHead(200, { 'content-type': XML });
    const t = setInterval(() => res.write(chunk), everyMs);
    res.on('close', () => clearInterval(t));
  };
  for (let i = 0; i < 3; i++) {
    add({
      id: `slow-drip-${i}`,
      category: 'slow-drip servers',
      expect: 'fail',
      reason: /timed out/,
      handle: (_q, res) => drip(res, '<', 200 + i * 100),
    });
    add({
      id: `slow-drip-xml-${i}`,
      category: 'slow-drip servers',
      expect: 'fail',
      reason: /timed out/,
      handle: (_q, res) => {
        res.writeHead(200, { 'content-type': XML });
        res.write('<rss><channel>');
        drip(res, '<item><title>slow</title></item>', 150 + i * 50, false);
      },
    });
    add({
      id: `slow-headers-${i}`,
      category: 'slow-drip servers',
      expect: 'fail',
      reason: /timed out/,
      handle: (_q, res) => {
        const t = setTimeout(() => send(res, 200, { 'content-type': XML }, '<rss/>'), 20_000);
        res.on('close', () => clearTimeout(t));
      },
    });
  }

  // Error statuses.
  for (const status of [400, 401, 403, 404, 405, 406, 410, 429, 451, 500, 502, 503, 504]) {
    for (const retryAfter of [undefined, '120']) {
      add({
        id: `status-${status}-${retryAfter ? 'ra' : 'plain'}`,
        category: 'HTTP error statuses',
        expect: 'fail',
        reason: new RegExp(`HTTP ${status}`),
        handle: (_q, res) =>
          send(
            res,
            status,
            { 'content-type': 'text/html', ...(retryAfter ? { 'retry-after': retryAfter } : {}) },
            `<h1>${status}</h1>`,
          ),
      });
    }
  }

  // HTML instead of XML.
  const htmls: Array<[string, string]> = [
    ['text/html', '<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>'],
    ['text/html; charset=utf-8', '<html><body>Not a feed</body></html>'],
    [XML, '<!doctype html><html lang="fr"><body>Page</body></html>'],
    ['application/xml', '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'],
    ['text/xml', '<!-- generated --><!DOCTYPE html><html><body>cms</body></html>'],
    ['text/html', '<?xml version="1.0"?><html><body>x</body></html>'],
    ['text/plain', '<html><head><meta http-equiv="refresh" content="0;url=/login"></head></html>'],
    ['application/octet-stream', '   <HTML><BODY>Parked domain</BODY></HTML>'],
    ['text/html', '<body><rss>inside html</rss></body>'],
    ['text/html', 'Just some text, no markup at all.'],
  ];
  htmls.forEach(([type, body], i) => {
    add({
      id: `html-${i}`,
      category: 'HTML instead of XML',
      expect: 'fail',
      reason: /HTML page|not RSS|no root|malformed/,
      handle: (_q, res) => send(res, 200, { 'content-type': type }, body),
    });
  });

  // Empty and near-empty bodies.
  const empties: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['whitespace', Buffer.from('   \n\t  ')],
    ['prolog only', Buffer.from('<?xml version="1.0"?>')],
    ['bom only', Buffer.from([0xef, 0xbb, 0xbf])],
    ['comment only', Buffer.from('<!-- nothing -->')],
    ['nul bytes', Buffer.alloc(64)],
  ];
  empties.forEach(([, body], i) => {
    add({
      id: `empty-${i}`,
      category: 'empty bodies',
      expect: 'fail',
      reason: /empty body|no root element|malformed|not RSS/,
      handle: (_q, res) => send(res, 200, { 'content-type': XML, 'content-length': body.length }, body),
    });
  });
  add({
    id: 'empty-204',
    category: 'empty bodies',
    expect: 'fail',
    reason: /empty body/,
    handle: (_q, res) => {
      res.writeHead(204);
      res.end();
    },
  });

  // Content types that cannot be a feed (application/json can: JSON Feed).
  for (const type of ['image/png', 'audio/mpeg', 'application/pdf', 'video/mp4', 'application/zip']) {
    add({
      id: `type-${type.replace('/', '-')}`,
      category: 'wrong content types',
      expect: 'fail',
      reason: /content type .* is not accepted/,
      handle: (_q, res) => send(res, 200, { 'content-type': type }, noise(3, 200)),
    });
  }

  // Binary garbage served as XML.
  for (let i = 0; i < 24; i++) {
    add({
      id: `garbage-${i}`,
      category: 'binary garbage',
      expect: 'fail',
      reason: FEED_REASON,
      handle: (_q, res) => send(res, 200, { 'content-type': XML }, noise(100 + i, 500 + i * 997)),
    });
  }

  // Hostile XML.
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>http://example.org/a</link></item></channel></rss>`;
  const xxe = (target: string) =>
    `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "${target}">]><rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title><link>http://example.org/x</link></item></channel></rss>`;
  const hostileXml: Array<[string, (b: string) => string]> = [
    ['billion laughs', () => laughs],
    ['external entity file', () => xxe('file:///etc/passwd')],
    ['external entity http', (b) => xxe(`${b}/xxe-canary`)],
    [
      'parameter entity',
      (b) =>
        `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "${b}/xxe-canary"> %p;]><rss version="2.0"><channel><title>t</title></channel></rss>`,
    ],
    [
      '__proto__ elements',
      () =>
        `<rss version="2.0"><channel><title>p</title><__proto__><polluted>yes</polluted></__proto__><item><title>i</title><link>http://example.org/p</link><__proto__>x</__proto__><constructor><prototype>y</prototype></constructor></item></channel></rss>`,
    ],
    [
      'deep nesting',
      () =>
        `<rss version="2.0"><channel><title>deep</title>${'<x>'.repeat(20000)}${'</x>'.repeat(20000)}</channel></rss>`,
    ],
    ['unclosed deep nesting', () => `<rss version="2.0"><channel>${'<x>'.repeat(50000)}`],
    [
      'many attributes',
      () =>
        `<rss version="2.0" ${Array.from({ length: 20000 }, (_, i) => `a${i}="v"`).join(' ')}><channel><title>a</title></channel></rss>`,
    ],
    [
      'bare ampersands',
      (b) =>
        goodFeed(b, 5000)
          .replace(/Texte de/g, 'Texte & de')
          .replace('Bon flux', 'Tom & Jerry'),
    ],
    [
      'cdata abuse',
      () =>
        `<rss version="2.0"><channel><title><![CDATA[<script>alert(1)</script>]]></title><item><title><![CDATA[ ]]]]><![CDATA[> ]]></title><link>http://example.org/c</link></item></channel></rss>`,
    ],
    [
      'javascript links',
      () =>
        `<rss version="2.0"><channel><title>js</title><item><title>x</title><link>javascript:alert(1)</link></item><item><title>y</title><link>data:text/html,hi</link></item></channel></rss>`,
    ],
    ['5 MB title', (b) => goodFeed(b, 5001).replace('Bon flux 5001', 'T'.repeat(5 * MB))],
    [
      'atom with bad dates',
      () =>
        `<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title><entry><title>e</title><id>urn:1</id><updated>not a date</updated><link href="http://example.org/e"/></entry></feed>`,
    ],
    ['duplicate guids', (b) => goodFeed(b, 5002).replace(/<guid>[^<]*<\/guid>/g, '<guid>same</guid>')],
    ['unknown root', () => '<opml version="2.0"><body><outline xmlUrl="http://x/"/></body></opml>'],
    ['json feed as xml type', () => '{"version":"https://jsonfeed.org/version/1.1","items":[]}'],
  ];
  hostileXml.forEach(([, make], i) => {
    add({
      id: `xml-${i}`,
      category: 'hostile XML',
      expect: 'either',
      handle: (_q, res, base) => send(res, 200, { 'content-type': XML }, make(base)),
    });
  });

  // Broken connections.
  const broken: Array<(res: ServerResponse) => void> = [
    (res) => res.socket?.destroy(),
    (res) => {
      res.writeHead(200, { 'content-type': XML });
      res.write('<rss><channel><title>cut');
      setTimeout(() => res.socket?.destroy(), 20);
    },
    (res) => {
      res.writeHead(200, { 'content-type': XML, 'content-length': 100000 });
      res.write('<rss>');
      setTimeout(() => res.socket?.destroy(), 20);
    },
    (res) => {
      res.socket?.end(
        'HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n<rss>\r\n',
      );
    },
    (res) => {
      res.socket?.end('garbage that is not http\r\n\r\n');
    },
    (res) => {
      res.socket?.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 9\r\n\r\n<rss>');
    },
  ];
  broken.forEach((fn, i) => {
    add({
      id: `broken-${i}`,
      category: 'broken connections',
      expect: 'fail',
      reason: FEED_REASON,
      handle: (_q, res) => fn(res),
    });
  });

  // JSON Feed (issue 14): bombs, deep nesting, huge numbers, wrong types.
  const JSON_TYPE = 'application/feed+json';
  const V11 = '"version":"https://jsonfeed.org/version/1.1"';
  const jsonItem = (b: string, n: number) =>
    `{"id":"j${n}","url":"${b}/json/${n}","title":"Dépêche JSON ${n}","content_text":"Texte ${n}."}`;
  const jsonFeed = (b: string, extra = '', items = [jsonItem(b, 0), jsonItem(b, 1)].join(',')) =>
    `{${V11},"title":"Fil JSON"${extra},"items":[${items}]}`;
  const hostileJson: Array<[string, Expect, RegExp | undefined, (b: string) => string]> = [
    ['unterminated array bomb', 'fail', /malformed JSON Feed/, () => '['.repeat(2 * MB)],
    ['unterminated object bomb', 'fail', /malformed JSON Feed/, () => `{"items":${'{"a":'.repeat(MB / 8)}`],
    [
      'deep nesting beside the items',
      'ok',
      undefined,
      (b) => jsonFeed(b, `,"x":${'['.repeat(MB)}${']'.repeat(MB)}`),
    ],
    [
      'deep nesting as an item',
      'ok',
      undefined,
      (b) => jsonFeed(b, '', `${jsonItem(b, 0)},${'['.repeat(MB / 2)}${']'.repeat(MB / 2)}`),
    ],
    [
      'deep nesting in a title',
      'ok',
      undefined,
      (b) =>
        jsonFeed(
          b,
          '',
          `{"id":"d","url":"${b}/json/d","title":${'{"t":'.repeat(MB / 8)}1${'}'.repeat(MB / 8)}},${jsonItem(b, 1)}`,
        ),
    ],
    [
      'huge numbers',
      'ok',
      undefined,
      (b) =>
        jsonFeed(
          b,
          ',"n":1e999999',
          `{"id":1e400,"url":"${b}/json/h","title":"h","date_published":-1e308},{"id":123456789012345678901234567890,"url":"${b}/json/i","title":"i"}`,
        ),
    ],
    ['a number of 500,000 digits', 'ok', undefined, (b) => jsonFeed(b, `,"n":${'9'.repeat(500_000)}`)],
    [
      'wrong types everywhere',
      'ok',
      undefined,
      (b) =>
        jsonFeed(
          b,
          ',"home_page_url":["x"],"authors":"me","hubs":{"url":1}',
          `{"id":{},"url":["${b}/x"],"title":7,"content_html":false,"date_published":{}},null,true,"item",12,[],${jsonItem(b, 2)}`,
        ),
    ],
    [
      'items is not an array',
      'fail',
      /no items array/,
      () => `{${V11},"title":"t","items":{"0":{"id":"a"}}}`,
    ],
    ['top level is an array', 'fail', /not a JSON Feed/, () => '[{"id":"a","url":"http://example.org/a"}]'],
    ['not a JSON Feed', 'fail', /not a JSON Feed/, () => '{"version":"1.0","data":[1,2,3]}'],
    [
      '__proto__ keys',
      'ok',
      undefined,
      (b) =>
        jsonFeed(
          b,
          ',"__proto__":{"polluted":"yes"}',
          `{"__proto__":{"url":"${b}/json/p","polluted":"yes"},"id":"p","title":"p","content_text":"t"},${jsonItem(b, 3)}`,
        ),
    ],
    [
      '5 MB title',
      'ok',
      undefined,
      (b) => jsonFeed(b, '', `{"id":"big","url":"${b}/json/big","title":"${'T'.repeat(5 * MB)}"}`),
    ],
    [
      '60,000 items',
      'ok',
      undefined,
      (b) => jsonFeed(b, '', Array.from({ length: 60_000 }, (_, n) => jsonItem(b, n)).join(',')),
    ],
    [
      '200,000 keys',
      'ok',
      undefined,
      (b) => jsonFeed(b, `,"k":{${Array.from({ length: 200_000 }, (_, n) => `"k${n}":${n}`).join(',')}}`),
    ],
    ['truncated', 'fail', /malformed JSON Feed/, (b) => jsonFeed(b).slice(0, 80)],
    [
      'lone surrogates and control escapes',
      'ok',
      undefined,
      (b) =>
        jsonFeed(b, '', `{"id":"s","url":"${b}/json/s","title":"\\ud800 \\u0000 \\udfff"},${jsonItem(b, 4)}`),
    ],
    [
      'garbage as application/json',
      'fail',
      /malformed JSON Feed|not a JSON Feed|not a feed|root element/,
      () => noise(7, 4000).toString('latin1'),
    ],
  ];
  hostileJson.forEach(([, expect, reason, make], i) => {
    const body = memo(make);
    add({
      id: `json-${i}`,
      category: 'hostile JSON Feed',
      expect,
      ...(reason ? { reason } : {}),
      ...(i === 13 ? { cut: 60_000 - 500 } : {}),
      prepare: body,
      handle: (_q, res, base) =>
        send(
          res,
          200,
          { 'content-type': i === hostileJson.length - 1 ? 'application/json' : JSON_TYPE },
          body(base),
        ),
    });
  });

  // News sitemaps (issue 14): floods, nesting, indexes that point anywhere.
  const urlset = (urls: string) =>
    `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">${urls}</urlset>`;
  const newsUrl = (b: string, n: number) =>
    `<url><loc>${b}/sm/${n}</loc><news:news><news:publication_date>2026-03-02</news:publication_date><news:title>Carte ${n}</news:title></news:news></url>`;
  const index = (locs: string[]) =>
    `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.map((l) => `<sitemap><loc>${l}</loc></sitemap>`).join('')}</sitemapindex>`;
  const hostileSitemaps: Array<[string, Expect, RegExp | undefined, (b: string) => string]> = [
    [
      'url flood',
      'ok',
      undefined,
      (b) => urlset(Array.from({ length: 60_000 }, (_, n) => newsUrl(b, n)).join('')),
    ],
    [
      'deep nesting in a url',
      'ok',
      undefined,
      (b) =>
        urlset(
          `<url><loc>${b}/sm/d</loc>${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}</url>${newsUrl(b, 1)}`,
        ),
    ],
    [
      'a 1 MB loc',
      'ok',
      undefined,
      (b) => urlset(`<url><loc>${b}/${'a'.repeat(MB)}</loc></url>${newsUrl(b, 2)}`),
    ],
    [
      'index of itself',
      'either',
      undefined,
      (b) => index(Array.from({ length: 50 }, () => `${b}/c/sitemap-3`)),
    ],
    [
      'index of 50,000 missing sitemaps',
      'fail',
      /every sitemap of the index failed/,
      (b) => index(Array.from({ length: 50_000 }, (_, n) => `${b}/missing/${n}.xml`)),
    ],
    [
      'index of private addresses',
      'fail',
      /every sitemap of the index failed.*net: /,
      () => index(['http://10.1.2.3/news.xml', 'http://169.254.169.254/latest/', 'http://localhost:6379/']),
    ],
    [
      'index of one good and one broken sitemap',
      'ok',
      undefined,
      (b) => index([`${b}/c/sitemap-0`, `${b}/missing/x.xml`]),
    ],
    [
      'index of non-http locs',
      'either',
      undefined,
      () => index(['file:///etc/passwd', 'javascript:alert(1)', 'gopher://x/']),
    ],
  ];
  hostileSitemaps.forEach(([, expect, reason, make], i) => {
    const body = memo(make);
    add({
      id: `sitemap-${i}`,
      category: 'hostile sitemaps',
      expect,
      ...(reason ? { reason } : {}),
      ...(i === 0 ? { cut: 60_000 - 500 } : {}),
      prepare: body,
      handle: (_q, res, base) => send(res, 200, { 'content-type': 'application/xml' }, body(base)),
    });
  });

  // Pre-parse scans that backtracked (issue 18), size-driven ones small here (1 MiB in
  // test/feeds/parse-attacks.test.ts, near the cap in buildNearCapCases).
  for (const c of attackCases(MB / 4)) add(c);

  return cases;
}

function attackCases(bytes: number): HostileCase[] {
  return ATTACKS.map((attack) => {
    const body = memo((base) => attack.body(base, bytes));
    return {
      id: `scan-${attack.id}`,
      category: 'backtracking scans',
      expect: attack.expect,
      reason: FEED_REASON,
      prepare: body,
      handle: (_q, res, base) => send(res, 200, { 'content-type': attack.contentType }, body(base)),
    };
  });
}

/**
 * Feeds near the 10 MiB body cap: the size-driven scan attacks, and feeds big
 * in another way (a flood of items, a heap of empty elements, deep nesting).
 * Run apart from buildCases, with the default fetch timeout: moving ~20 such
 * bodies through one process is slow on its own.
 */
export function buildNearCapCases(): HostileCase[] {
  const NEAR_CAP = 9.5 * MB;
  const cases = attackCases(NEAR_CAP);
  const FLOOD = 80_000;
  const bigFeeds: Array<[string, Expect, (base: string) => string]> = [
    ['item-flood', 'ok', (b) => itemFlood(b, FLOOD)],
    ['empty-elements', 'either', (b) => rss(b, `<description>${'<i/>'.repeat(NEAR_CAP / 4)}</description>`)],
    [
      'deep-nesting',
      'either',
      (b) => rss(b, `<description>${'<a>'.repeat(NEAR_CAP / 8)}${'</a>'.repeat(NEAR_CAP / 8)}</description>`),
    ],
  ];
  // JSON Feed and sitemaps near the cap (issue 14).
  const jsonDeep = NEAR_CAP / 2 - 100;
  bigFeeds.push(
    ['json-array-bomb', 'either', () => '['.repeat(NEAR_CAP)],
    [
      'json-deep-nesting',
      'ok',
      (b) =>
        `{"version":"https://jsonfeed.org/version/1.1","title":"J","x":${'['.repeat(jsonDeep)}${']'.repeat(jsonDeep)},"items":[{"id":"1","url":"${b}/j/1"}]}`,
    ],
    [
      'sitemap-flood',
      'ok',
      (b) =>
        `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${Array.from({ length: 150_000 }, (_, n) => `<url><loc>${b}/s/${n}</loc></url>`).join('')}</urlset>`,
    ],
  );
  for (const [id, expect, make] of bigFeeds) {
    const body = memo(make);
    cases.push({
      id,
      category: 'big in another way',
      expect,
      reason: FEED_REASON,
      ...(id === 'item-flood' ? { cut: FLOOD - 500 } : id === 'sitemap-flood' ? { cut: 150_000 - 500 } : {}),
      prepare: body,
      handle: (_q, res, base) =>
        send(res, 200, { 'content-type': id.startsWith('json') ? 'application/feed+json' : XML }, body(base)),
    });
  }
  return cases;
}

/** Big bodies are built once per server. */
function memo(make: (base: string) => string): (base: string) => Buffer {
  let made: { base: string; body: Buffer } | undefined;
  return (base) => {
    if (made?.base !== base) made = { base, body: Buffer.from(make(base)) };
    return made.body;
  };
}
