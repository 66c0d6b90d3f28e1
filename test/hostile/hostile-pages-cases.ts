/**
 * Generated hostile article pages, each within the fetch cap (net.maxBodyBytes,
 * 10 MiB by default), and what extraction must end with: a status, and for pages
 * that hold an article, words of it. None may need the extraction deadline.
 */
export type HostilePage = {
  id: string;
  body: () => Buffer;
  /** Statuses allowed. */
  status: Array<'ok' | 'empty' | 'failed'>;
  /** Text the body must contain when ok. */
  contains?: string;
  /** The stored body is cut at articles.maxBodyChars and flagged. */
  truncated?: boolean;
};

const MB = 1024 * 1024;

export const LEAD =
  'The regional council approved the new tram line on Monday after a debate that lasted most of the night. ' +
  'Work on the first section, between the station and the university, is due to start in the spring. ' +
  'Opponents argued that the cost had doubled since the project was first presented, and asked for an audit.';

const ARTICLE = `<article><h1>Tram line approved</h1><p>${LEAD}</p></article>`;

function html(head: string, body: string): Buffer {
  return Buffer.from(
    `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`,
  );
}

/** Repeats `unit` to about `bytes`. */
function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

export const HOSTILE_PAGES: HostilePage[] = [
  { id: 'comment-openers-1mb', body: () => Buffer.from('<!--'.repeat(262_144)), status: ['empty'] },
  { id: 'script-openers-2mb', body: () => Buffer.from('<script>'.repeat(262_144)), status: ['empty'] },
  {
    id: 'comment-openers-after-article-9mb',
    body: () => html('', `${ARTICLE}${fill('<!--', 9 * MB)}`),
    status: ['ok'],
    contains: 'tram line',
  },
  {
    id: 'script-end-floods-9mb',
    body: () => html('', `${ARTICLE}<script>${fill('</scrip <!-- <script> -- ', 9 * MB)}</script>`),
    status: ['ok'],
    contains: 'tram line',
  },
  {
    id: 'nested-b-1e6-7mb',
    body: () => html('', `${ARTICLE}${'<b>abcd'.repeat(1_000_000)}`),
    status: ['ok'],
    contains: 'tram line',
  },
  {
    id: 'nested-div-160k-text-at-bottom',
    body: () => html('', `${'<div>'.repeat(160_000)}${ARTICLE}`),
    status: ['ok'],
    contains: 'tram line',
  },
  { id: 'br-flood-10mb', body: () => html('', fill('<br>', 10 * MB - 200)), status: ['empty'] },
  {
    id: 'paragraph-flood-10mb',
    body: () => html('', `<article>${fill('<p>Word of a line.</p>', 10 * MB - 300)}</article>`),
    status: ['ok', 'empty'],
  },
  {
    id: 'deep-chain-then-200k-paragraphs',
    body: () => html('', `${'<div>'.repeat(510)}${fill(`<p>${LEAD.slice(0, 40)}, and on.</p>`, 9 * MB)}`),
    status: ['ok', 'empty'],
  },
  {
    id: 'one-10mb-paragraph',
    body: () => html('', `<article><p>${fill(`${LEAD} `, 10 * MB - 300)}</p></article>`),
    status: ['ok'],
    contains: 'tram line',
    truncated: true,
  },
  {
    id: 'nul-bytes-2mb',
    body: () => html('', `<article><p>${'\u0000'.repeat(2 * MB)}</p></article>`),
    status: ['empty'],
  },
  {
    id: 'control-chars-2mb',
    body: () => html('', `<article><p>${'\u0001\u0007\u001b\u007f'.repeat(MB / 2)}</p></article>`),
    status: ['empty'],
  },
  {
    id: 'nbsp-title-1mb',
    body: () => {
      const t = `Tram${'&nbsp;'.repeat(170_000)}x`;
      return html(`<title>${t}</title><meta property="og:title" content="${t}">`, ARTICLE);
    },
    status: ['ok'],
    contains: 'tram line',
  },
  {
    id: 'json-ld-nested-2mb',
    body: () => {
      const deep = `${'['.repeat(MB)}"x"${']'.repeat(MB)}`;
      return html(
        `<script type="application/ld+json">{"@type":"NewsArticle","author":${deep},"headline":${deep}}</script>`,
        ARTICLE,
      );
    },
    status: ['ok'],
    contains: 'tram line',
  },
  {
    id: 'less-than-run-9mb',
    body: () => html('', `${ARTICLE}${'<'.repeat(9 * MB)}`),
    status: ['ok', 'empty'],
  },
  {
    id: 'unclosed-attribute-quote-9mb',
    body: () => html('', `${ARTICLE}<div class="${fill('a>', 9 * MB)}`),
    status: ['ok'],
    contains: 'tram line',
  },
  {
    id: 'huge-class-on-wrapper-9mb',
    body: () => html('', `<div class="${fill('shareBar-widget ', 9 * MB)}">${ARTICLE}</div>`),
    status: ['ok', 'empty'],
  },
  {
    id: 'many-nested-articles-9mb',
    body: () =>
      html(
        '',
        `<article>${fill(`<div><article><p>${LEAD}</p></article><article><p>${LEAD}</p></article></div>`, 9 * MB)}</article>`,
      ),
    status: ['ok', 'empty'],
  },
  {
    id: 'teaser-grid-9mb',
    body: () =>
      html(
        '',
        `<article><p>${LEAD}</p>${fill('<div><p><a href="/x">A linked headline here</a></p><p>An excerpt.</p></div>', 9 * MB)}</article>`,
      ),
    status: ['ok', 'empty'],
  },
  {
    id: 'svg-self-closing-flood-9mb',
    body: () => html('', `${ARTICLE}<svg>${fill('<g/><title/><svg>', 9 * MB)}`),
    status: ['ok', 'empty'],
  },
];
