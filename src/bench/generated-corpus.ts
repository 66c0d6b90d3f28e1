import { createServer, type Server } from 'node:http';

/**
 * A synthetic wire corpus for load and fault runs: dispatches made of random
 * pseudo-words (so two dispatches share no 4-word shingle), each republished
 * by 1–4 outlets with small edits, a boilerplate line and sometimes a cut-off
 * last paragraph. The truth (path → dispatch) comes with it.
 */
/**
 * `pageBytes`: article pages of about this size, as news sites serve them (inline
 * scripts and styles, menus, related stories, footer: the Zyte benchmark's pages
 * have a median of ~110 KB). Without it pages are ~2 KB of bare markup, enough for
 * fault runs that only need something to fetch.
 */
export type CorpusOptions = { articles: number; feeds: number; seed?: number; pageBytes?: number };

export type GeneratedCorpus = {
  /** Feed paths, one per outlet ("/feeds/3.xml"). */
  feedPaths: string[];
  /** Path → response body (rendered on request when a function: realistic pages are too big to keep). */
  files: Map<string, { type: string; body: string | (() => string) }>;
  /** Article page path → dispatch id. */
  truth: Map<string, string>;
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES =
  'ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo za ze'.split(
    ' ',
  );

function vocabulary(rand: () => number, size: number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const n = 2 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pageHtml(title: string, outlet: string, paragraphs: string[]): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title} – ${outlet}</title></head><body>
<nav><a href="/">Accueil</a> <a href="/monde">Monde</a> <a href="/sport">Sport</a></nav>
<main><article><h1>${title}</h1><p class="byline">Par la rédaction</p>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
<p>Avec AFP</p></article>
<aside><h2>Les plus lus</h2><ul><li><a href="/x">Autre sujet du jour</a></li></ul></aside></main>
<footer>© ${outlet} · Tous droits réservés · <a href="#">Retour en haut</a></footer></body></html>`;
}

/** The parts of a realistic page that every article of an outlet shares, built once per size. */
type Chrome = { head: string; top: string; bottom: string; related: string[] };

function realisticChrome(rand: () => number, word: () => string, pageBytes: number): Chrome {
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  const links = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => `<li><a href="/${prefix}/${i}">${words(2)}</a></li>`).join('');
  const css = Array.from(
    { length: 300 },
    (_, i) =>
      `.c${i}-${word()}{margin:${i % 7}px ${i % 5}px;color:#${(0x100000 + Math.floor(rand() * 0xefffff)).toString(16)};display:${i % 3 ? 'block' : 'flex'}}`,
  ).join('');
  const top = `<div class="consent" role="dialog"><p>${words(30)}</p><button>Accepter</button><button>Paramétrer</button></div>
<header class="site-header"><a class="logo" href="/">Logo</a><nav class="menu"><ul>${links(60, 'rubrique')}</ul></nav>
<form class="search" action="/recherche"><input name="q"><button>Rechercher</button></form></header>
<div class="ad-slot"><span>Publicité</span></div>
<nav class="breadcrumb"><a href="/">Accueil</a> › <a href="/monde">Monde</a></nav>
<main class="layout"><div class="content">`;
  const aside = `<aside class="most-read"><h2>Les plus lus</h2><ol>${links(10, 'lus')}</ol></aside>
<section class="newsletter"><h2>${words(4)}</h2><p>${words(25)}</p><form><input type="email"><button>S'inscrire</button></form></section>`;
  const footer = `<footer class="site-footer"><ul>${links(50, 'pied')}</ul><p>© Outlet · ${words(12)}</p><a href="#">Retour en haut</a></footer>`;
  const related = Array.from(
    { length: 40 },
    (_, i) =>
      `<div class="card"><a href="/related/${i}"><img src="/img/r${i}.jpg" alt=""><h3>${words(8)}</h3></a><p class="teaser">${words(18)}</p></div>`,
  );
  const fixed = css.length + top.length + aside.length + footer.length + 12 * related[0]!.length + 4000;
  // Whatever is left of the target is script, as on real pages (config blobs, tag managers).
  const entries: string[] = [];
  for (let size = 0, i = 0; size < pageBytes - fixed; i++) {
    const e = `"k${i}":"${word()}${i}"`;
    entries.push(e);
    size += e.length + 1;
  }
  const script = entries.join(',');
  return {
    head: `<meta name="viewport" content="width=device-width"><meta property="og:type" content="article">
<style>${css}</style><script>window.__CONFIG__={${script}};</script>`,
    top,
    bottom: `</div>${aside}</main>${footer}<script src="/js/app.js" defer></script>`,
    related,
  };
}

function realisticPage(
  chrome: Chrome,
  title: string,
  outlet: string,
  paragraphs: string[],
  seed: number,
): string {
  const cards = Array.from(
    { length: 12 },
    (_, i) => chrome.related[(seed + i * 7) % chrome.related.length],
  ).join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title} – ${outlet}</title>${chrome.head}</head><body>
${chrome.top}
<article class="story"><h1>${title}</h1><p class="byline">Par la rédaction · <time>12:00</time></p>
<figure><img src="/img/${seed}.jpg" alt=""><figcaption>Photo d'illustration</figcaption></figure>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
<p>Avec AFP</p>
<div class="share"><a href="#">Facebook</a> <a href="#">X</a> <a href="#">E-mail</a></div></article>
<section class="related"><h2>À lire aussi</h2>${cards}</section>
${chrome.bottom}</body></html>`;
}

export function generateCorpus(opts: CorpusOptions): GeneratedCorpus {
  const rand = mulberry32(opts.seed ?? 7);
  const vocab = vocabulary(rand, 6000);
  const word = () => vocab[Math.floor(rand() * vocab.length)]!;
  const items: Array<Array<{ path: string; title: string; summary: string; published: string }>> = Array.from(
    { length: opts.feeds },
    () => [],
  );
  const files = new Map<string, { type: string; body: string | (() => string) }>();
  // The chrome draws from a generator of its own: the dispatches are the same with or without it.
  const chromeRand = mulberry32(99);
  const chromeWord = () => vocab[Math.floor(chromeRand() * vocab.length)]!;
  const chrome = opts.pageBytes ? realisticChrome(chromeRand, chromeWord, opts.pageBytes) : null;
  const truth = new Map<string, string>();
  const now = Date.now();
  let made = 0;
  for (let d = 0; made < opts.articles; d++) {
    const paragraphs = Array.from({ length: 5 }, () => Array.from({ length: 40 }, word).join(' ') + '.');
    const title = Array.from({ length: 7 }, word).join(' ');
    const copies = Math.min(opts.articles - made, 1 + Math.floor(rand() * 4), opts.feeds);
    const outlets = new Set<number>();
    while (outlets.size < copies) outlets.add(Math.floor(rand() * opts.feeds));
    const published = new Date(now - Math.floor(rand() * 3600_000)).toUTCString();
    for (const o of outlets) {
      // A light edit: a few words swapped, and now and then the last paragraph cut.
      const edited = paragraphs.map((p) =>
        p
          .split(' ')
          .map((w) => (rand() < 0.02 ? word() : w))
          .join(' '),
      );
      if (rand() < 0.25) edited.pop();
      const path = `/a/${o}/${d}.html`;
      const outlet = `Outlet ${o}`;
      const dispatch = d;
      files.set(path, {
        type: 'text/html; charset=utf-8',
        body: chrome
          ? () => realisticPage(chrome, title, outlet, edited, dispatch)
          : pageHtml(title, outlet, edited),
      });
      truth.set(path, `d${d}`);
      items[o]!.push({ path, title, summary: `${edited[0]!.slice(0, 120)}…`, published });
      made++;
    }
  }
  const feedPaths = items.map((list, o) => {
    const path = `/feeds/${o}.xml`;
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Outlet ${o}</title><link>/</link><description>Fil</description>
${list
  .map(
    (it) =>
      `<item><title>${escapeXml(it.title)}</title><link>${it.path}</link><guid>${it.path}</guid><pubDate>${it.published}</pubDate><description>${escapeXml(it.summary)}</description></item>`,
  )
  .join('\n')}
</channel></rss>`;
    files.set(path, { type: 'application/rss+xml', body });
    return path;
  });
  return { feedPaths, files, truth };
}

/** Serves a generated corpus on 127.0.0.1 (free port); counts bytes sent. */
export async function serveCorpus(
  corpus: GeneratedCorpus,
): Promise<{ url: string; server: Server; bytesSent: () => number; close(): Promise<void> }> {
  let sent = 0;
  const server = createServer((req, res) => {
    const file = corpus.files.get((req.url ?? '/').split('?')[0]!);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = Buffer.from(typeof file.body === 'function' ? file.body() : file.body);
    sent += body.length;
    res.writeHead(200, { 'content-type': file.type, 'content-length': body.length }).end(body);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr !== 'object') throw new Error('bench: corpus server has no address');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    server,
    bytesSent: () => sent,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A feed list file's text (one URL a line) for `run --feeds`. */
export function feedListText(corpus: GeneratedCorpus, base: string): string {
  return `${corpus.feedPaths.map((p) => base + p).join('\n')}\n`;
}
