import type { UndoEntry } from '../../store/review-actions.js';
import type { ClusterDetail, MemberDetail } from './cluster-detail.js';
import type { ListFilters, ListPage } from './cluster-list.js';
import { wordDiff } from './diff.js';
import { Html, html, layout, safeHref } from './html.js';

type Chrome = { editor: string; csrf: string };

function when(ms: number | string): string {
  const n = typeof ms === 'number' ? ms : Number(ms) || Date.parse(ms);
  return Number.isFinite(n) && n > 0
    ? `${new Date(n).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : '—';
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

export function loginPage(csrf: string, error?: string): string {
  return layout(
    'Sign in',
    html`<h2>Sign in</h2>
${error ? html`<p class="flash error" role="alert">${error}</p>` : ''}
<form method="post" action="/review/login">
  ${csrfField(csrf)}
  <label>Editor token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
  <button>Sign in</button>
</form>`,
  );
}

function listQuery(f: ListFilters, from?: number): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.lang) p.set('lang', f.lang);
  if (f.outlet) p.set('outlet', f.outlet);
  if (f.multi) p.set('multi', '1');
  if (f.reviewed) p.set('reviewed', f.reviewed);
  if (from) p.set('from', String(from));
  const s = p.toString();
  return s ? `/review?${s}` : '/review';
}

export function listPage(chrome: Chrome, f: ListFilters, page: ListPage, from: number): string {
  const opt = (value: string, label: string) =>
    html`<option value="${value}"${new Html(f.reviewed === value ? ' selected' : '')}>${label}</option>`;
  const rows = page.rows.map(
    (r) => html`<tr>
  <td><a href="/review/clusters/${encodeURIComponent(r.id)}">${r.title || '(no title)'}</a></td>
  <td class="num">${r.outlets}</td><td class="num">${r.size}</td><td>${r.agency || '—'}</td><td>${r.lang || '—'}</td>
  <td>${when(r.createdAt)}</td><td>${when(r.updatedAt)}</td>
  <td>${r.reviewedAt ? (r.updatedAt > r.reviewedAt ? 'changed since' : 'yes') : 'no'}</td>
</tr>`,
  );
  return layout(
    'Clusters',
    html`<h2>Clusters <span class="muted">newest activity first</span></h2>
<form class="filters" method="get" action="/review" role="search">
  <label>Text in titles <input type="search" name="q" value="${f.q}" accesskey="s" autofocus></label>
  <label>Language <input name="lang" value="${f.lang}" size="4" placeholder="fr"></label>
  <label>Outlet <input name="outlet" value="${f.outlet}"></label>
  <label>Reviewed <select name="reviewed">${opt('', 'any')}${opt('no', 'not reviewed')}${opt('yes', 'reviewed')}</select></label>
  <label><span>Size ≥ 2</span><input type="checkbox" name="multi" value="1"${new Html(f.multi ? ' checked' : '')}></label>
  <button>Filter</button> <a href="/review">Clear</a>
</form>
<table>
<thead><tr><th>Representative title</th><th class="num">Outlets</th><th class="num">Articles</th><th>Agency</th><th>Lang</th><th>First seen</th><th>Last update</th><th>Reviewed</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="8" class="muted">No cluster matches.</td></tr>`}</tbody>
</table>
<p class="pager">
  ${from > 0 ? html`<a href="${listQuery(f)}" accesskey="f">First page</a>` : ''}
  ${page.next !== null ? html`<a href="${listQuery(f, page.next)}" accesskey="n" rel="next">Next page</a>` : ''}
</p>`,
    chrome,
  );
}

function actionButton(
  chrome: Chrome,
  action: string,
  label: string,
  fields: Record<string, string> = {},
): Html {
  const hidden = Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  return html`<form class="inline" method="post" action="${action}">${csrfField(chrome.csrf)}${hidden}<button>${label}</button></form>`;
}

/** "containment 93 % in Le Courant": the measure and the member it matched, linked to its row. */
function joinedWhy(m: MemberDetail, c: ClusterDetail): Html | string {
  const v = m.joinedVia;
  if (!v) return m.article.id === c.representativeId || c.members.length === 1 ? 'started the cluster' : '—';
  const match = c.members.find((x) => x.article.id === v.match);
  const who = match ? match.article.outlet || match.article.title || v.match : v.match;
  return html`${v.measure} ${pct(v.value)} with <a href="#m-${v.match}">${who}</a>`;
}

/** A container's own page: what it quotes. */
function containerSection(c: ClusterDetail): Html | string {
  if (!c.members.some((m) => m.article.kind === 'container')) return '';
  const links = c.contains.map(
    (id) => html`<li><a href="/review/clusters/${encodeURIComponent(id)}">${id}</a></li>`,
  );
  return html`<section id="contains" aria-label="quotes"><h3>Container: quotes ${c.contains.length} stories</h3>
<p class="muted">A digest, live page, gallery or roundup: its own item, never a copy of what it quotes.</p>
<ul>${links}</ul></section>`;
}

/** Pages that quote this story among others, listed apart from its copies. */
function quotedInSection(c: ClusterDetail): Html | string {
  if (!c.quotedIn.length) return '';
  const rows = c.quotedIn.map((q) => {
    const href = safeHref(q.article.url);
    return html`<li>${q.article.outlet || '—'}: ${href ? html`<a href="${href}" rel="noopener noreferrer nofollow">${q.article.title || '(no title)'}</a>` : q.article.title}
  (<a href="/review/clusters/${encodeURIComponent(q.clusterId)}">${q.clusterId}</a>)</li>`;
  });
  return html`<section id="quoted-in" aria-label="quoted in"><h3>Quoted in</h3>
<p class="muted">Digests and live pages that quote this story next to others: not copies, not members.</p>
<ul>${rows}</ul></section>`;
}

export function clusterPage(
  chrome: Chrome,
  c: ClusterDetail,
  opts: { diffId?: string; message?: string; error?: string; lastAction: UndoEntry | null },
): string {
  const base = `/review/clusters/${encodeURIComponent(c.id)}`;
  const rep = c.members.find((m) => m.article.id === c.representativeId);
  const reviewedAt = Number(c.hash.reviewedAt ?? 0);
  const updatedAt = Number(c.hash.updatedAt ?? 0);
  const rows = c.members.map((m) => {
    const a = m.article;
    const href = safeHref(a.url);
    const isRep = a.id === c.representativeId;
    return html`<tr id="m-${a.id}">
  <td>${a.outlet || '—'}</td>
  <td>${href ? html`<a href="${href}" rel="noopener noreferrer nofollow">${a.title || '(no title)'}</a>` : a.title}
    <div class="muted">${href ? '' : a.url}</div></td>
  <td>${when(a.publishedAt)}</td>
  <td class="num" title="containment ${pct(m.containment)}">${pct(m.jaccard)}</td>
  <td><span class="badge ${m.kind === 'representative' ? 'rep' : m.kind}">${m.kind}</span></td>
  <td class="why">${joinedWhy(m, c)}</td>
  <td>${isRep ? '' : html`<a href="${base}?diff=${encodeURIComponent(a.id)}#diff">Diff</a>`}
    ${isRep ? '' : actionButton(chrome, `${base}/representative`, 'Make representative', { articleId: a.id })}
    ${c.members.length > 1 ? actionButton(chrome, `${base}/split`, 'Split out', { articleId: a.id }) : ''}</td>
</tr>`;
  });
  const diffMember = opts.diffId ? c.members.find((m) => m.article.id === opts.diffId) : undefined;
  let diff: Html | string = '';
  if (diffMember && rep) {
    if (rep.body === null || diffMember.body === null) {
      diff = html`<section id="diff"><h3>Diff</h3><p class="muted">A body has expired; no diff.</p></section>`;
    } else {
      const ops = wordDiff(rep.body, diffMember.body).map((o) =>
        o.op === 'same'
          ? html`${o.text}`
          : o.op === 'add'
            ? html`<ins>${o.text}</ins>`
            : html`<del>${o.text}</del>`,
      );
      diff = html`<section id="diff" aria-label="diff"><h3>Diff: ${diffMember.article.outlet} against the representative (${rep.article.outlet})</h3>
<p class="muted"><ins>added in this copy</ins> · <del>only in the representative</del></p>
<div class="diff" tabindex="0">${ops}</div></section>`;
    }
  }
  const last = opts.lastAction;
  return layout(
    rep?.article.title || c.id,
    html`<p><a href="/review" accesskey="b">← Clusters</a></p>
${opts.message ? html`<p class="flash" role="status">${opts.message}</p>` : ''}
${opts.error ? html`<p class="flash error" role="alert">${opts.error}</p>` : ''}
<h2>${rep?.article.title || '(no title)'}</h2>
<p class="muted">Cluster ${c.id} · ${c.members.length} articles · ${new Set(c.members.map((m) => m.article.outlet)).size} outlets ·
first seen ${when(Number(c.hash.createdAt ?? 0))} · last update ${when(updatedAt)} ·
${reviewedAt ? html`reviewed by ${c.hash.reviewedBy ?? ''} ${when(reviewedAt)}${updatedAt > reviewedAt ? ' (changed since)' : ''}` : 'not reviewed'}</p>
<div class="actions">
  ${actionButton(chrome, `${base}/reviewed`, 'Mark reviewed')}
  <form class="inline" method="post" action="${base}/merge">${csrfField(chrome.csrf)}
    <label>Merge cluster <input name="other" size="8" placeholder="c123" required></label> <button>into this one</button></form>
  ${last ? actionButton(chrome, '/review/undo', `Undo last: ${last.action} by ${last.editor}`, { back: c.id }) : ''}
</div>
<table>
<thead><tr><th>Outlet</th><th>Title</th><th>Published</th><th class="num">Similarity</th><th>Copy</th><th>Why it joined</th><th>Actions</th></tr></thead>
<tbody>${rows}</tbody></table>
${containerSection(c)}
${quotedInSection(c)}
${diff}`,
    chrome,
  );
}
