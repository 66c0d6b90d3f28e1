/**
 * HTML built with a tagged template that escapes every interpolated value
 * unless it is already Html — scraped titles, outlets and bodies can only
 * ever reach the page as text.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

type Part = Html | string | number | boolean | null | undefined | Part[];

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Only http(s) links are rendered as links; anything else (javascript:, data:) is shown as text. */
export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * No script runs on review pages (none is needed: forms and links work from
 * the keyboard), and the CSP says so, as a second wall behind escaping.
 */
export const REVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'";

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--mut:#666;--line:#ddd;--add:#d8f5d8;--del:#fbdada;--acc:#0b57d0}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#161616;--mut:#aaa;--line:#333;--add:#1f4d1f;--del:#5a1f1f;--acc:#8ab4f8}}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem 1rem;border-bottom:1px solid var(--line)}
header h1{font-size:1.1rem;margin:0}header nav{display:flex;gap:1rem;flex:1}header form{margin:0}
main{padding:1rem;max-width:80rem}a{color:var(--acc)}a:focus,button:focus,input:focus,select:focus{outline:3px solid var(--acc);outline-offset:1px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
td.title,.diff{overflow-wrap:anywhere}.badge{white-space:nowrap}
.date{white-space:nowrap}.id{font-size:.8rem;white-space:nowrap}input,select{max-width:100%}.check{flex-direction:row!important;gap:.35rem;align-items:center}
.acts form,.acts a{margin:0 .35rem .35rem 0;display:inline-block}a.button{border:1px solid var(--line);padding:.15rem .5rem;text-decoration:none;border-radius:.2rem}
.undo{border-left:3px solid var(--acc);padding:.25rem .75rem;margin:1rem 0}.undo p{margin:.25rem 0}.totals{margin:.25rem 0 1rem}
.candidates li{margin:.35rem 0}.candidates form{display:inline}
th{font-weight:600;font-size:.85rem;color:var(--mut)}.num{text-align:right;font-variant-numeric:tabular-nums}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;margin-bottom:1rem}.filters label{display:flex;flex-direction:column;font-size:.85rem}
.badge{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:.8rem;border:1px solid var(--line)}
.badge.rep{border-color:var(--acc)}.badge.short,.badge.updated{background:var(--add)}.badge.different{background:var(--del)}
.muted{color:var(--mut)}.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}.actions form{margin:0}
.inline{display:inline}button{font:inherit;padding:.2rem .6rem;cursor:pointer}
.diff{white-space:pre-wrap;border:1px solid var(--line);padding:1rem;max-width:60rem}
ins{background:var(--add);text-decoration:none}del{background:var(--del)}
.flash{padding:.5rem 1rem;border:1px solid var(--acc);margin-bottom:1rem}.error{border-color:#c00}
.pager{margin-top:1rem;display:flex;gap:1rem}
.timeline{list-style:none;padding:0;border-left:3px solid var(--line);margin-left:.5rem}.timeline .event{padding:.25rem 0 .75rem 1rem}
.timeline .event p{margin:.15rem 0}.timeline .title{overflow-wrap:anywhere}.badge.version{border-color:var(--acc)}
@media (max-width:600px){
main{padding:.75rem}table.cards thead{display:none}table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards tr{border:1px solid var(--line);border-radius:.4rem;margin-bottom:.75rem;padding:.4rem .6rem}
table.cards td{border:0;padding:.15rem 0;display:flex;gap:.75rem;justify-content:space-between;text-align:right}
table.cards td::before{content:attr(data-label);color:var(--mut);font-size:.85rem;text-align:left;flex:none}
table.cards td.title,table.cards td.acts,table.cards td.why{display:block;text-align:left}table.cards td.title::before{content:none}
table.cards td.title{font-weight:600}table.cards td.acts::before,table.cards td.why::before{display:block}
.filters label{flex:1 1 9rem}
}
`;

export function layout(title: string, body: Html, opts: { editor?: string; csrf?: string } = {}): string {
  const signOut = opts.editor
    ? html`<span class="muted">${opts.editor}</span>
        <form method="post" action="/review/logout"><input type="hidden" name="_csrf" value="${opts.csrf ?? ''}"><button>Sign out</button></form>`
    : '';
  const nav = opts.editor
    ? html`<nav><a href="/review" accesskey="l">Clusters</a><a href="/review/threads" accesskey="t">Threads</a><a href="/review/queues/" accesskey="q">Queues</a></nav>`
    : html`<nav></nav>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · wiresift review</title><style>${new Html(STYLE)}</style></head>
<body><header><h1>wiresift review</h1>${nav}${signOut}</header><main>${body}</main></body></html>`.value;
}
