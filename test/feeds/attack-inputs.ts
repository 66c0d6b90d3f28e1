/**
 * Generated feeds that attack the parser's pre-parse scans (issue 18): each is
 * small where the attack was exponential and 1–10 MB where it was size-driven.
 * Shared by the parse tests and the hostile feed suite.
 */

const MB = 1024 * 1024;

function items(base: string, n: number): string {
  return Array.from(
    { length: n },
    (_, k) =>
      `<item><title>Brève ${k}</title><link>${base}/breve/${k}</link><guid>${base}/breve/${k}</guid>` +
      `<pubDate>Tue, 03 Mar 2026 0${k % 10}:00:00 GMT</pubDate></item>`,
  ).join('');
}

export function rss(base: string, inner: string, n = 2): string {
  return `<rss version="2.0"><channel><title>Flux</title><link>${base}/</link>${inner}${items(base, n)}</channel></rss>`;
}

/** `times` copies of `unit` (a fraction rounded down). */
function repeat(unit: string, times: number): string {
  return unit.repeat(Math.floor(times));
}

/** `a0="" a1="" …`, about `bytes` long. */
function distinctAttributes(bytes: number): string {
  const parts: string[] = [];
  for (let k = 0, size = 0; size < bytes; k++) {
    const attr = `a${k}="" `;
    parts.push(attr);
    size += attr.length;
  }
  return parts.join('');
}

export type Attack = {
  id: string;
  /** What the feed must end as: a read feed (`ok`, with its items) or a clear parse failure. */
  expect: 'ok' | 'fail';
  contentType: string;
  /** The document; size-driven attacks grow to about `bytes` (1 MiB unless told). */
  body: (base: string, bytes?: number) => string;
};

export const ATTACKS: Attack[] = [
  {
    // 40 comments before the root: exponential in the HTML sniff, whose match then failed.
    id: 'comments-before-root-40',
    expect: 'ok',
    contentType: 'application/rss+xml',
    body: (b) => repeat('<!--a-->', 40) + rss(b, ''),
  },
  {
    id: 'comments-before-html-root-40',
    expect: 'fail',
    contentType: 'text/html; charset=utf-8',
    body: () => `${repeat('<!--a-->', 40)}<body>`,
  },
  {
    id: 'comments-before-root',
    expect: 'ok',
    contentType: 'text/html',
    body: (b, n = MB) => repeat('<!--a-->\n', n / 9) + rss(b, ''),
  },
  {
    // A DOCTYPE of bracketed groups that never closes: exponential in the DOCTYPE strip.
    id: 'doctype-brackets-40',
    expect: 'fail',
    contentType: 'application/rss+xml',
    body: () => `<!DOCTYPE x ${repeat('[a]', 40)}[`,
  },
  {
    id: 'doctype-brackets-40-after-root',
    expect: 'fail',
    contentType: 'application/rss+xml',
    body: (b) => rss(b, `<description><!DOCTYPE x ${repeat('[a]', 40)}[</description>`),
  },
  {
    id: 'doctype-brackets-long',
    expect: 'fail',
    contentType: 'application/rss+xml',
    body: (_b, n = MB) => `<!DOCTYPE x ${repeat('[a]', n / 3)}[`,
  },
  {
    id: 'unterminated-doctypes',
    expect: 'fail',
    contentType: 'application/rss+xml',
    body: (b, n = MB) => rss(b, repeat('<!DOCTYPE x [', n / 13)),
  },
  {
    // `<rss ` over and over inside CDATA: every one was a candidate root for the xml:base lookup.
    id: 'rss-tags-in-cdata',
    expect: 'ok',
    contentType: 'application/rss+xml',
    body: (b, n = MB) => rss(b, `<description><![CDATA[${repeat('<rss ', n / 5)}]]></description>`),
  },
  {
    // Atom type="xhtml" constructs that never close: each one searched to the end of the feed.
    id: 'unclosed-xhtml-constructs',
    expect: 'fail',
    contentType: 'application/atom+xml',
    body: (_b, n = MB) =>
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>${repeat('<summary type="xhtml">x', n / 24)}`,
  },
  {
    id: 'xhtml-constructs-in-cdata',
    expect: 'ok',
    contentType: 'application/atom+xml',
    body: (b, n = MB) =>
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>` +
      `<entry><title>E</title><id>${b}/breve/0</id><link href="${b}/breve/0"/>` +
      `<content type="html"><![CDATA[${repeat('<title type="xhtml">', n / 20)}]]></content></entry>` +
      `<entry><title>E</title><id>${b}/breve/1</id><link href="${b}/breve/1"/></entry></feed>`,
  },
  {
    // Unterminated CDATA sections on the repair path (taken once strict parsing has failed).
    id: 'unterminated-cdata',
    expect: 'fail',
    contentType: 'application/rss+xml',
    body: (b, n = MB) => rss(b, `<description>&nbsp;${repeat('<![CDATA[', n / 9)}</description>`),
  },
  {
    id: 'unterminated-comments',
    expect: 'fail',
    contentType: 'application/rss+xml',
    body: (_b, n = MB) => repeat('<!--', n / 4),
  },
  {
    id: 'unterminated-pis',
    expect: 'fail',
    contentType: 'text/html',
    body: (_b, n = MB) => repeat('<?', n / 2),
  },
  {
    id: 'many-root-attributes',
    expect: 'ok',
    contentType: 'application/rss+xml',
    body: (b, n = MB) =>
      `<rss version="2.0" ${distinctAttributes(n)}xml:base="${b}/base/">` +
      `<channel><title>F</title>${items('', 2)}</channel></rss>`,
  },
  {
    id: 'entity-refs-without-semicolon',
    expect: 'ok',
    contentType: 'application/rss+xml',
    body: (b, n = MB) => rss(b, `<description>${repeat('&#1234567890', n / 12)}</description>`),
  },
  {
    // Valid: a `]` and a `>` inside an entity value, a comment and a PI of the internal subset.
    id: 'doctype-subset-with-brackets',
    expect: 'ok',
    contentType: 'application/rss+xml',
    body: (b) =>
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "a]b>c"><!-- ] > --><?pi ]>?><!ENTITY y 'd]'>]>${rss(b, '')}`,
  },
];

/** One feed of `count` dated items, oldest first, so a cap must reach past the document order. */
export function itemFlood(base: string, count: number): string {
  const parts: string[] = [];
  for (let k = 0; k < count; k++) {
    const at = new Date(Date.UTC(2026, 0, 1) + k * 60_000).toUTCString();
    parts.push(`<item><title>N${k}</title><link>${base}/n/${k}</link><pubDate>${at}</pubDate></item>`);
  }
  return `<rss version="2.0"><channel><title>Crue</title>${parts.join('')}</channel></rss>`;
}
