import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFeedList, parseOpml, readFeedList, toOpml } from '../../src/feeds/feed-list.js';

const OPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Veille</title></head>
  <body>
    <outline text="Régional">
      <outline type="rss" text="Le Petit Écho" xmlUrl="http://petit-echo.example/rss"/>
      <outline text="Montagne">
        <outline type="rss" title="Gazette des Cimes" text="gazette" xmlUrl="https://gazette-cimes.example/rss.xml"/>
      </outline>
    </outline>
    <outline type="rss" text="Riviera &amp; co" xmlUrl="https://riviera-matin.example/feed.atom?x=1&amp;y=2"/>
    <outline text="a folder note without a feed"/>
    <outline type="rss" text="again" xmlUrl="http://petit-echo.example/rss"/>
  </body>
</opml>`;

describe('parseOpml', () => {
  it('reads nested outlines with xmlUrl, once each', () => {
    expect(parseOpml(OPML)).toEqual([
      { url: 'http://petit-echo.example/rss', title: 'Le Petit Écho' },
      { url: 'https://gazette-cimes.example/rss.xml', title: 'Gazette des Cimes' },
      { url: 'https://riviera-matin.example/feed.atom?x=1&y=2', title: 'Riviera & co' },
    ]);
  });

  it('fails clearly on truncated or foreign XML', () => {
    expect(() => parseOpml(OPML.slice(0, 300))).toThrow('feeds: malformed OPML (missing closing </opml>)');
    expect(() => parseOpml('<rss version="2.0"></rss>')).toThrow('feeds: not an OPML document');
    expect(() => parseOpml('<opml version="2.0"><head/></opml>')).toThrow(
      'feeds: malformed OPML (no <body>)',
    );
  });

  it('names the outline with a bad xmlUrl', () => {
    const bad =
      '<opml version="2.0"><body><outline text="Intranet" xmlUrl="file:///etc/passwd"/></body></opml>';
    expect(() => parseOpml(bad)).toThrow(/Intranet.*file:\/\/\/etc\/passwd/);
  });
});

describe('parseFeedList', () => {
  it('reads one URL per line, skipping comments and blanks', () => {
    const text = [
      '# regional outlets',
      '',
      'http://petit-echo.example/rss',
      '   https://gazette-cimes.example/rss.xml   # mountain news',
      'https://example.com/feed#main',
      'http://petit-echo.example/rss',
      '\t',
    ].join('\r\n');
    expect(parseFeedList(text)).toEqual([
      { url: 'http://petit-echo.example/rss' },
      { url: 'https://gazette-cimes.example/rss.xml' },
      { url: 'https://example.com/feed#main' },
    ]);
  });

  it('names the line of an invalid URL', () => {
    const text = '# feeds\nhttp://ok.example/rss\n\nftp://nope.example/rss\n';
    expect(() => parseFeedList(text)).toThrow('feeds: line 4: not an http(s) URL: "ftp://nope.example/rss"');
    expect(() => parseFeedList('not a url')).toThrow(/line 1/);
  });

  it('detects OPML', () => {
    expect(parseFeedList(`\uFEFF  ${OPML}`)).toHaveLength(3);
  });
});

describe('toOpml / readFeedList', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('round-trips through a file, escaping titles and URLs', async () => {
    const feeds = [
      { url: 'https://a.example/rss?x=1&y=2', title: 'A "quoted" <title> & more' },
      { url: 'https://b.example/atom' },
    ];
    const opml = toOpml(feeds, 'Export & co');
    expect(opml).toContain('<title>Export &amp; co</title>');
    const dir = await mkdtemp(path.join(tmpdir(), 'wiresift-feeds-'));
    dirs.push(dir);
    const file = path.join(dir, 'feeds.opml');
    await writeFile(file, opml);
    expect(await readFeedList(file)).toEqual(feeds);
  });

  it('prefixes errors with the file path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wiresift-feeds-'));
    dirs.push(dir);
    const file = path.join(dir, 'feeds.txt');
    await writeFile(file, 'https://ok.example/rss\nnope\n');
    await expect(readFeedList(file)).rejects.toThrow(`feeds: ${file}: line 2`);
  });
});
