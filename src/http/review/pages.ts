import type { ListFilters, ListPage } from '../../store/cluster-rows.js';
import type { ClusterDetail, MemberDetail } from './cluster-detail.js';
import { wordDiff } from './diff.js';
import { EDITOR_TOKENS_HINT } from './first-run.js';
import { Html, html, layout, safeHref } from './html.js';
import type { MergeCandidate } from './merge-candidates.js';
import { clusterThreadSection } from './thread-pages.js';
import type { UndoOffer } from './undo-offer.js';

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

export function loginPage(csrf: string, error: string | undefined, tokensConfigured: boolean): string {
  const how = tokensConfigured
    ? html`<p class="muted">Your operator gives each editor a token (set on the server with WIRESIFT_EDITOR_TOKENS or WIRESIFT_EDITOR_TOKENS_FILE).</p>`
    : html`<p class="flash error" role="alert" id="no-tokens">No editor token is configured on this server, so nobody can sign in yet. To fix it, ${EDITOR_TOKENS_HINT}.</p>`;
  return layout(
    'Sign in',
    html`<h2>Sign in</h2>
${error ? html`<p class="flash error" role="alert">${error}</p>` : ''}
${how}
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
  if (f.singles) p.set('singles', '1');
  if (f.reviewed) p.set('reviewed', f.reviewed);
  if (from) p.set('from', String(from));
  const s = p.toString();
  return s ? `/review?${s}` : '/review';
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export type Totals = { clusters: number; articles: number };

export function listPage(
  chrome: Chrome,
  f: ListFilters,
  page: ListPage,
  from: number,
  totals: Totals,
): string {
  const opt = (value: string, label: string) =>
    html`<option value="${value}"${new Html(f.reviewed === value ? ' selected' : '')}>${label}</option>`;
  const rows = page.rows.map(
    (r) => html`<tr>
  <td class="title" data-label="Title"><a href="/review/clusters/${encodeURIComponent(r.id)}">${r.title || '(no title)'}</a> <span class="muted id">${r.id}</span></td>
  <td class="num" data-label="Outlets">${r.outlets}</td><td class="num" data-label="Articles">${r.size}</td><td data-label="Agency">${r.agency || '—'}</td><td data-label="Lang">${r.lang || '—'}</td>
  <td class="date" data-label="First seen">${when(r.createdAt)}</td><td class="date" data-label="Last update">${when(r.updatedAt)}</td>
  <td data-label="Reviewed">${r.reviewedAt ? (r.updatedAt > r.reviewedAt ? 'changed since' : 'yes') : 'no'}</td>
</tr>`,
  );
  const hidden =
    !f.singles && page.hiddenSingles
      ? html` · ${plural(page.hiddenSingles, 'single-article cluster')} hidden here (<a href="${listQuery({ ...f, singles: true }, from)}">show them</a>)`
      : '';
  return layout(
    'Clusters',
    html`<h2>Clusters <span class="muted">newest activity first</span></h2>
<p class="totals" id="totals">${plural(page.rows.length, 'cluster')} on this page${hidden} · ${plural(totals.clusters, 'cluster')} and ${plural(totals.articles, 'article')} in all</p>
<form class="filters" method="get" action="/review" role="search">
  <label>Text in titles <input type="search" name="q" value="${f.q}" accesskey="s" autofocus></label>
  <label>Language <input name="lang" value="${f.lang}" size="4" placeholder="fr"></label>
  <label>Outlet <input name="outlet" value="${f.outlet}"></label>
  <label>Reviewed <select name="reviewed">${opt('', 'any')}${opt('no', 'not reviewed')}${opt('yes', 'reviewed')}</select></label>
  <label class="check"><input type="checkbox" name="singles" value="1"${new Html(f.singles ? ' checked' : '')}> Show single-article clusters</label>
  <span><button>Filter</button> <a href="/review">Clear</a></span>
</form>
<table class="cards">
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

/** The nearest clusters, each with its id and a button; any other id can be typed. */
function mergeSection(chrome: Chrome, base: string, candidates: MergeCandidate[]): Html {
  const items = candidates.map(
    (m) => html`<li><a href="/review/clusters/${encodeURIComponent(m.id)}">${m.title || '(no title)'}</a>
  <span class="muted">${m.id} · ${m.outlet || '—'} · ${plural(m.size, 'article')} · ${pct(m.jaccard)} same text (${pct(m.containment)} contained)</span>
  ${actionButton(chrome, `${base}/merge`, `Merge ${m.id} into this one`, { other: m.id })}</li>`,
  );
  return html`<section class="candidates" id="merge" aria-label="merge"><h3>Merge another cluster into this one</h3>
${items.length ? html`<p class="muted">Nearest clusters (articles sharing index buckets with this one's), by similarity of their representative to this one's:</p><ul>${items}</ul>` : html`<p class="muted">No near cluster in the index.</p>`}
<form method="post" action="${base}/merge">${csrfField(chrome.csrf)}
  <label>Or a cluster id <input name="other" size="8" placeholder="c123" required></label> <button>Merge into this one</button></form></section>`;
}

/** The newest change on this cluster, said in words; its undo button only for the editor who made it. */
function undoSection(chrome: Chrome, base: string, u: UndoOffer | null): Html | string {
  if (!u) return '';
  if (!u.mine)
    return html`<p class="undo muted" id="undo">Last change here: ${u.what}, by ${u.editor} at ${when(u.at)}. Only ${u.editor} can undo it.</p>`;
  return html`<form class="undo" id="undo" method="post" action="${base}/undo">${csrfField(chrome.csrf)}<input type="hidden" name="entry" value="${u.nonce}">
  <p>Your last change here, at ${when(u.at)}: ${u.what}. Undoing it: ${u.effect}.</p>
  <button>Undo ${u.what}</button></form>`;
}

export function clusterPage(
  chrome: Chrome,
  c: ClusterDetail,
  opts: {
    diffId?: string;
    message?: string;
    error?: string;
    undo: UndoOffer | null;
    candidates: MergeCandidate[];
    /** Threads are on: show the cluster's thread, or a form to join one. */
    threads?: boolean;
  },
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
  <td data-label="Outlet">${a.outlet || '—'}</td>
  <td class="title" data-label="Title">${href ? html`<a href="${href}" rel="noopener noreferrer nofollow">${a.title || '(no title)'}</a>` : a.title}
    <div class="muted">${href ? '' : a.url}</div></td>
  <td class="date" data-label="Published">${when(a.publishedAt)}</td>
  <td class="num sim" data-label="Same text as rep.">${isRep ? '—' : html`${pct(m.jaccard)} <span class="muted">(${pct(m.containment)} contained)</span>`}</td>
  <td data-label="Copy"><span class="badge ${m.kind === 'representative' ? 'rep' : m.kind}">${m.kind}</span></td>
  <td class="why" data-label="Why it joined">${joinedWhy(m, c)}</td>
  <td class="acts" data-label="Actions">${isRep ? '' : html`<a href="${base}?diff=${encodeURIComponent(a.id)}#diff">Diff</a>`}
    ${isRep ? '' : actionButton(chrome, `${base}/representative`, 'Make representative', { articleId: a.id })}
    ${c.members.length > 1 ? html`<a class="button" href="${base}/split?articleId=${encodeURIComponent(a.id)}">Split out…</a>` : ''}</td>
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
  return layout(
    rep?.article.title || c.id,
    html`<p><a href="/review" accesskey="b">← Clusters</a></p>
${opts.message ? html`<p class="flash" role="status">${opts.message}</p>` : ''}
${opts.error ? html`<p class="flash error" role="alert">${opts.error}</p>` : ''}
<h2>${rep?.article.title || '(no title)'}</h2>
<p class="muted">Cluster ${c.id} · ${c.members.length} articles · ${new Set(c.members.map((m) => m.article.outlet)).size} outlets ·
first seen ${when(Number(c.hash.createdAt ?? 0))} · last update ${when(updatedAt)} ·
${reviewedAt ? html`reviewed by ${c.hash.reviewedBy ?? ''} ${when(reviewedAt)}${updatedAt > reviewedAt ? ' (changed since)' : ''}` : 'not reviewed'}</p>
${opts.threads ? clusterThreadSection(chrome, c.id, c.hash.thread) : ''}
<div class="actions">
  ${actionButton(chrome, `${base}/reviewed`, 'Mark reviewed')}
</div>
${undoSection(chrome, base, opts.undo)}
<table class="cards members">
<thead><tr><th>Outlet</th><th>Title</th><th>Published</th><th class="num"><a href="#similarity-help">Same text as the representative</a></th><th>Copy</th><th>Why it joined</th><th>Actions</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="muted" id="similarity-help"><b>Same text as the representative</b>: of the word ${c.shingleSize}-grams (shingles) of this copy and the representative together, the share both have (Jaccard); in brackets, the share of the shorter text's shingles found in the longer one (containment: a short version of a dispatch scores high). Computed now on the stored bodies. <b>Why it joined</b>: the measure and the member dedup matched when the article arrived.</p>
${mergeSection(chrome, base, opts.candidates)}
${containerSection(c)}
${quotedInSection(c)}
${diff}`,
    chrome,
  );
}

export function splitConfirmPage(chrome: Chrome, c: ClusterDetail, m: MemberDetail): string {
  const base = `/review/clusters/${encodeURIComponent(c.id)}`;
  const others = c.members.length - 1;
  return layout(
    'Split out?',
    html`<p><a href="${base}">← Cluster ${c.id}</a></p>
<h2>Split this article out of cluster ${c.id}?</h2>
<p><b>${m.article.title || '(no title)'}</b> <span class="muted">(${m.article.outlet || '—'}, ${when(m.article.publishedAt)})</span></p>
<p>It becomes a cluster of its own, and dedup will never join it again with the ${plural(others, 'other article')} of this cluster. Your undo on either cluster puts it back.</p>
<p class="actions">${actionButton(chrome, `${base}/split`, 'Split it out', { articleId: m.article.id })} <a href="${base}">Cancel</a></p>`,
    chrome,
  );
}
