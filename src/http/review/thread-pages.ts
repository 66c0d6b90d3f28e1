import type { ThreadUndoEntry } from '../../review/thread-decisions.js';
import type { ApiThread } from '../../store/contract-types.js';
import { type Html, html, layout, safeHref } from './html.js';

type Chrome = { editor: string; csrf: string };

function when(iso: string): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—';
}

function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

const threadHref = (id: string) => `/review/threads/${encodeURIComponent(id)}`;
const clusterHref = (id: string) => `/review/clusters/${encodeURIComponent(id)}`;

export function threadListPage(
  chrome: Chrome,
  threads: ApiThread[],
  from: number,
  next: number | null,
): string {
  const rows = threads.map((t) => {
    const first = t.clusters[0];
    const last = t.clusters.at(-1);
    const langs = [...new Set(t.clusters.map((c) => c.lang).filter(Boolean))].join(', ');
    return html`<tr>
  <td class="title" data-label="Latest headline"><a href="${threadHref(t.id)}">${t.headline?.title || '(no title)'}</a> <span class="muted id">${t.id}</span></td>
  <td class="num" data-label="Clusters">${t.size}</td>
  <td data-label="Languages">${langs || '—'}</td>
  <td class="date" data-label="From">${when(first?.at ?? '')}</td>
  <td class="date" data-label="To">${when(last?.at ?? '')}</td>
</tr>`;
  });
  return layout(
    'Threads',
    html`<h2>Story threads <span class="muted">newest activity first</span></h2>
<p class="muted">A thread links the clusters of one developing story: flash, versions, follow-ups, other agencies, translations.</p>
<table class="cards">
<thead><tr><th>Latest headline</th><th class="num">Clusters</th><th>Languages</th><th>From</th><th>To</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="5" class="muted">No thread yet.</td></tr>`}</tbody>
</table>
<p class="pager">
  ${from > 0 ? html`<a href="/review/threads">First page</a>` : ''}
  ${next !== null ? html`<a href="/review/threads?from=${next}" rel="next">Next page</a>` : ''}
</p>`,
    chrome,
  );
}

export type ThreadUndoOffer = { entry: ThreadUndoEntry; mine: boolean; what: string; effect: string };

export function threadUndoOffer(u: ThreadUndoEntry | null, editor: string): ThreadUndoOffer | null {
  if (!u) return null;
  const mine = u.editor === editor;
  if (u.action === 'thread-remove')
    return {
      entry: u,
      mine,
      what: `move of ${u.clusterId} (“${u.title || '(no title)'}”) out of thread ${u.threadId}`,
      effect: `${u.clusterId} may be threaded with it again`,
    };
  return {
    entry: u,
    mine,
    what: `join of ${u.otherId} to thread ${u.threadId}`,
    effect: 'the join is forgotten: they stay together only if their stories link them',
  };
}

function undoSection(chrome: Chrome, t: ApiThread, u: ThreadUndoOffer | null): Html | string {
  if (!u) return '';
  if (!u.mine)
    return html`<p class="undo muted" id="undo">Last change here: ${u.what}, by ${u.entry.editor} at ${when(new Date(u.entry.at).toISOString())}. Only ${u.entry.editor} can undo it.</p>`;
  return html`<form class="undo" id="undo" method="post" action="${threadHref(t.id)}/undo">${csrfField(chrome.csrf)}<input type="hidden" name="entry" value="${u.entry.nonce}">
  <p>Your last change here: ${u.what}. Undoing it: ${u.effect}.</p>
  <button>Undo ${u.what}</button></form>`;
}

/** A thread as a timeline: its clusters in time order, what each is to the story, and the editor's two actions. */
export function threadPage(
  chrome: Chrome,
  t: ApiThread,
  opts: { message?: string; error?: string; undo: ThreadUndoOffer | null },
): string {
  const items = t.clusters.map((c) => {
    const href = c.representative ? safeHref(c.representative.url) : null;
    const outlets = c.outlets.length;
    return html`<li class="event" id="t-${c.id}">
  <p><span class="date">${when(c.at)}</span> <span class="badge version">${c.version}</span>
  <span class="muted">${[c.agency, c.lang].filter(Boolean).join(' · ') || '—'}</span></p>
  <p class="title"><a href="${clusterHref(c.id)}">${c.representative?.title || '(no title)'}</a>
  <span class="muted id">${c.id} · ${c.size} article${c.size === 1 ? '' : 's'} · ${outlets} outlet${outlets === 1 ? '' : 's'} · ${c.words} words${href ? html` · <a href="${href}" rel="noopener noreferrer nofollow">original</a>` : ''}</span></p>
  <form class="inline" method="post" action="${threadHref(t.id)}/remove">${csrfField(chrome.csrf)}<input type="hidden" name="clusterId" value="${c.id}"><button>Move out of this thread</button></form>
</li>`;
  });
  return layout(
    t.headline?.title || t.id,
    html`<p><a href="/review/threads">← Threads</a></p>
${opts.message ? html`<p class="flash" role="status">${opts.message}</p>` : ''}
${opts.error ? html`<p class="flash error" role="alert">${opts.error}</p>` : ''}
<h2>${t.headline?.title || '(no title)'}</h2>
<p class="muted">Thread ${t.id} · ${t.size} clusters · from ${when(t.clusters[0]?.at ?? '')} to ${when(t.clusters.at(-1)?.at ?? '')}</p>
${undoSection(chrome, t, opts.undo)}
<ol class="timeline" aria-label="timeline">${items}</ol>
<p class="muted">A cluster moved out is never threaded again automatically with the clusters it leaves.</p>
<section id="join" aria-label="join"><h3>Join another thread to this one</h3>
<form method="post" action="${threadHref(t.id)}/join">${csrfField(chrome.csrf)}
  <label>Thread or cluster id <input name="other" size="8" placeholder="t12 or c345" required></label> <button>Join to this thread</button></form>
<p class="muted">The two stay one thread, whatever their stories say; undo forgets the join.</p></section>`,
    chrome,
  );
}

/** The cluster page's line about its thread: a link, or a form to join one. */
export function clusterThreadSection(chrome: Chrome, clusterId: string, threadId: string | undefined): Html {
  if (threadId)
    return html`<p id="thread">Part of story thread <a href="${threadHref(threadId)}">${threadId}</a> (timeline of its versions, follow-ups and translations).</p>`;
  return html`<form id="thread" method="post" action="${clusterHref(clusterId)}/thread">${csrfField(chrome.csrf)}
  <label>In no story thread. Join it to thread <input name="thread" size="6" placeholder="t12" required></label> <button>Join</button></form>`;
}
