import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/charset/charset.js';
import { FeedParseError, parseFeed } from '../../src/feeds/parse-feed.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/feeds/${name}`, import.meta.url)));

describe('parseFeed: French RSS 2.0', async () => {
  const { text } = decodeBytes(fixture('rss-fr.xml'), { kind: 'xml' });
  const feed = await parseFeed(text, 'https://gazette-cimes.example/rss.xml');

  it('reads the channel', () => {
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('La Gazette des Cimes — Actualités');
    expect(feed.link).toBe('https://gazette-cimes.example/');
  });

  it('maps an item fully, HTML title reduced to text', () => {
    expect(feed.items[0]).toEqual({
      title: 'Le téléphérique du Grand Pic rouvre après six mois de travaux',
      link: 'https://gazette-cimes.example/articles/telepherique-grand-pic.html?utm_source=rss&utm_medium=feed',
      guid: 'gazette-4411',
      published: '2025-10-14T06:30:00.000Z',
      contentHtml:
        '<p>GRENOBLE, 14 octobre 2025 (AFP) - Fermé depuis avril, le téléphérique a repris du service mardi & accueille ses premiers randonneurs.</p>',
      summary: "Fermé depuis avril, l'équipement transporte de nouveau les randonneurs…",
      author: 'Camille Roux avec AFP',
      ingest: 'page',
    });
  });

  it('resolves root-relative links against the feed URL', () => {
    expect(feed.items[1]?.link).toBe('https://gazette-cimes.example/articles/fete-du-fromage.html');
    expect(feed.items[1]?.contentHtml).toBeNull();
  });

  it('lists every item in document order: a link-less one with text from the feed, a permalink guid as link, a repeated guid skipped', () => {
    expect(feed.items.map((i) => [i.guid, i.ingest, i.reason])).toEqual([
      ['gazette-4411', 'page', undefined],
      ['gazette-4412', 'page', undefined],
      ['gazette-4413', 'feed', "no link: the feed's text is the article"],
      ['https://gazette-cimes.example/articles/lien-dans-le-guid.html', 'page', undefined],
      ['gazette-4412', 'skip', 'same guid as item 2'],
    ]);
    expect(feed.items[2]?.link).toBeNull();
    expect(feed.items[3]?.link).toBe('https://gazette-cimes.example/articles/lien-dans-le-guid.html');
    expect(feed.items[3]?.published).toBeNull();
    expect(feed.items[1]?.title).toBe("Fête du fromage : record d'affluence à Saint-Martin");
  });
});

describe('parseFeed: Atom with xml:base', async () => {
  const feed = await parseFeed(
    fixture('atom-xmlbase.xml').toString('utf8'),
    'https://cdn.example/feeds/riviera.atom',
  );

  it('resolves the feed link and title against xml:base', () => {
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('Riviera Matin & co');
    expect(feed.link).toBe('https://riviera-matin.example/');
  });

  it('picks the alternate link, not the enclosure, relative to the root xml:base', () => {
    const [first] = feed.items;
    expect(first?.link).toBe('https://riviera-matin.example/news/2025/10/ferries-reprennent.html');
    expect(first?.guid).toBe('tag:riviera-matin.example,2025:ferries');
    expect(first?.published).toBe('2025-10-20T06:15:00.000Z');
    expect(first?.author).toBe('Inès Marchetti');
    expect(first?.summary).toBe('Après trois jours de grève, la liaison vers la Corse est rétablie.');
    expect(first?.contentHtml).toBe(
      '<p>Après trois jours de grève, la liaison vers la Corse est rétablie.</p>',
    );
  });

  it('honours an entry-level xml:base and keeps xhtml constructs in order', () => {
    const second = feed.items[1];
    expect(second?.link).toBe('https://riviera-matin.example/sport/etape-12.html');
    expect(second?.title).toBe('Cyclisme : victoire au col');
    expect(second?.published).toBe('2025-10-19T18:00:00.000Z');
    // A text construct comes out as HTML that shows the same text.
    expect(second?.summary).toBe("Résultat &lt;provisoire&gt; de l'étape");
    expect(second?.contentHtml).toBe('<p>Le <em>peloton</em> arrive &amp; repart.</p>');
  });

  it('resolves root-relative links and survives a malformed date', () => {
    const third = feed.items[2];
    expect(third?.link).toBe('https://riviera-matin.example/a-la-une/marche-de-noel.html');
    expect(third?.published).toBeNull();
    // Atom content without a type is text: it must come out as HTML that shows the same text.
    expect(third?.contentHtml).toBe('Plan &lt;B&gt; &amp; co');
  });
});

describe('parseFeed: ISO-8859-1 RSS', () => {
  it('decodes Latin-1 bytes through decodeBytes', async () => {
    const bytes = fixture('rss-latin1.xml');
    expect(bytes.includes(Buffer.from('É', 'latin1'))).toBe(true);
    const { text } = decodeBytes(bytes, { kind: 'xml' });
    const feed = await parseFeed(text, 'http://petit-echo.example/rss');
    expect(feed.title).toBe('Le Petit Écho de Brières');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]?.title).toBe("Brières : la fête de l'été réunit 3 000 personnes");
    expect(feed.items[0]?.summary).toBe("Soirée réussie malgré la chaleur : 34° à l'ombre.");
    expect(feed.items[0]?.author).toBe('redaction@petit-echo.example (Hélène Garçon)');
  });
});

const rss = (items: string, prolog = '') =>
  `<?xml version="1.0"?>${prolog}<rss version="2.0"><channel><title>T</title><link>http://t.example/</link>${items}</channel></rss>`;

describe('parseFeed: repairs and hostile input', () => {
  it('repairs bare ampersands and HTML entities that block strict parsing', async () => {
    const xml = rss(
      '<item><title>Ventes & achats&nbsp;: l&eacute;ger mieux &hellip; &bogus;</title><link>http://t.example/a?x=1&y=2</link></item>',
    );
    const feed = await parseFeed(xml, 'http://t.example/rss');
    expect(feed.items[0]?.title).toBe('Ventes & achats : léger mieux … &bogus;');
    expect(feed.items[0]?.link).toBe('http://t.example/a?x=1&y=2');
  });

  it('strips a DOCTYPE without expanding its entities', async () => {
    const prolog =
      '<!DOCTYPE rss [ <!ENTITY lol "lollollollollol"> <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>';
    const xml = rss('<item><title>a &lol; b &xxe;</title><link>http://t.example/a</link></item>', prolog);
    const feed = await parseFeed(xml, 'http://t.example/rss');
    expect(feed.items[0]?.title).toBe('a &lol; b &xxe;');
    expect(feed.items[0]?.title).not.toContain('root:');
  });

  it('does not let <__proto__> elements pollute Object.prototype', async () => {
    const xml = rss(
      `<__proto__><polluted>channel</polluted></__proto__>
       <item>
         <title>p</title><link>http://t.example/p</link>
         <__proto__><polluted>yes</polluted><isAdmin>true</isAdmin></__proto__>
         <constructor><prototype><polluted>yes</polluted></prototype></constructor>
       </item>`,
    );
    const feed = await parseFeed(xml, 'http://t.example/rss');
    expect(feed.items).toHaveLength(1);
    const probe: Record<string, unknown> = {};
    expect(probe.polluted).toBeUndefined();
    expect(probe.isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getPrototypeOf(feed.items[0])).toBe(Object.prototype);
  });

  it('parses RSS 1.0 (RDF)', async () => {
    const xml = `<?xml version="1.0"?>
      <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="http://r.example/"><title>R</title><link>http://r.example/</link></channel>
        <item rdf:about="http://r.example/1"><title>One</title><link>/1</link><dc:date>2025-10-01T10:00:00Z</dc:date></item>
      </rdf:RDF>`;
    const feed = await parseFeed(xml, 'http://r.example/index.rdf');
    expect(feed.format).toBe('rdf');
    expect(feed.items[0]).toMatchObject({
      link: 'http://r.example/1',
      guid: 'http://r.example/1',
      published: '2025-10-01T10:00:00.000Z',
    });
  });

  it('refuses HTML pages and other non-feeds with a stage-prefixed error', async () => {
    await expect(
      parseFeed('<!DOCTYPE html><html><body>hi</body></html>', 'http://t.example/'),
    ).rejects.toThrow(new FeedParseError('this resource is an HTML page, not a feed'));
    await expect(parseFeed('<svg></svg>', 'http://t.example/')).rejects.toThrow(/^feeds: root element <svg>/);
    await expect(parseFeed('not xml at all', 'http://t.example/')).rejects.toBeInstanceOf(FeedParseError);
    await expect(parseFeed('<rss version="2.0"><channel><title>x</ti', 'http://t.example/')).rejects.toThrow(
      /^feeds: malformed feed XML/,
    );
  });

  it('refuses links with non-http schemes, saying so', async () => {
    const xml = rss('<item><title>x</title><link>javascript:alert(1)</link></item>');
    const feed = await parseFeed(xml, 'http://t.example/rss');
    expect(feed.items.map((i) => [i.link, i.ingest, i.reason])).toEqual([
      [null, 'skip', 'link "javascript:alert(1)" is not http(s) and no text'],
    ]);
  });
});

describe('titles: entities decoded exactly once', () => {
  const atom = (title: string) =>
    `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>e</id><link href="/e"/>${title}</entry></feed>`;

  it.each([
    ['an RSS title, plain text', '<title>AT&amp;amp;T &#233;t&#xE9;</title>', 'AT&amp;T été'],
    ['an RSS title holding HTML', '<title>&lt;b&gt;AT&amp;amp;T&lt;/b&gt; gagne</title>', 'AT&T gagne'],
    ['an RSS title with a lone <', '<title>3 &lt; 4 &amp;&amp; 5 &gt; 2</title>', '3 < 4 && 5 > 2'],
    ['a CDATA title', '<title><![CDATA[Prix &amp; taxes]]></title>', 'Prix &amp; taxes'],
  ])('%s', async (_name, title, expected) => {
    const feed = await parseFeed(rss(`<item>${title}<link>/a</link></item>`), 'http://t.example/rss');
    expect(feed.items[0]?.title).toBe(expected);
  });

  it.each([
    ['text (the default)', '<title>&lt;b&gt; &amp;amp;</title>', '<b> &amp;'],
    ['html', '<title type="html">&lt;b&gt;AT&amp;amp;T&lt;/b&gt;</title>', 'AT&T'],
    [
      'xhtml',
      '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A &amp;amp; <b>B</b></div></title>',
      'A &amp; B',
    ],
  ])('an Atom title of type %s', async (_name, title, expected) => {
    const feed = await parseFeed(atom(title), 'http://t.example/atom');
    expect(feed.items[0]?.title).toBe(expected);
  });
});

describe('links resolved against xml:base and the feed URL', () => {
  it('an xml:base on the channel, the item and the link element itself, nested', async () => {
    const xml = `<rss version="2.0" xml:base="http://cdn.example/root/"><channel xml:base="chan/"><title>T</title>
      <item><title>a</title><link>a.html</link></item>
      <item xml:base="/items/"><title>b</title><link>b.html</link></item>
      <item><title>c</title><link xml:base="http://other.example/x/">c.html</link></item>
    </channel></rss>`;
    const feed = await parseFeed(xml, 'http://t.example/feeds/rss');
    expect(feed.items.map((i) => i.link)).toEqual([
      'http://cdn.example/root/chan/a.html',
      'http://cdn.example/items/b.html',
      'http://other.example/x/c.html',
    ]);
  });

  it('without xml:base, against the URL the feed lives at', async () => {
    const feed = await parseFeed(
      rss('<item><title>a</title><link>../a.html</link></item>'),
      'http://t.example/feeds/rss',
    );
    expect(feed.items[0]?.link).toBe('http://t.example/a.html');
  });
});

describe('Atom links', () => {
  it('an IANA IRI relation is the same relation, and an alternate of HTML type is preferred', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
      <entry><id>a</id><title>a</title>
        <link rel="http://www.iana.org/assignments/relation/enclosure" href="/a.mp3"/>
        <link rel="alternate" type="application/pdf" href="/a.pdf"/>
        <link rel="http://www.iana.org/assignments/relation/alternate" type="text/html" href="/a.html"/>
      </entry></feed>`;
    const feed = await parseFeed(xml, 'https://a.example/feed');
    expect(feed.items[0]?.link).toBe('https://a.example/a.html');
  });
});
