import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queues } from '../../queues/queues.js';
import { deny } from './auth.js';

export const DASHBOARD_PREFIX = '/review/queues';

/**
 * bull-board is a React app: its own scripts, styles, JSON API and images,
 * all same-origin. Inline styles are React's; the one inline script is a JSON
 * data block, which CSP does not run. Nothing may come from another origin.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/**
 * bull-board's page template links Google Fonts: the editor's browser would
 * tell Google every time it opens the dashboard. Links to other origins are
 * dropped (the CSP would block them anyway) and the page falls back to the
 * system fonts. A scan, not a regex: the template is bull-board's, but the
 * cost stays linear whatever it holds.
 */
export function dropForeignLinks(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let from = 0;
  for (let i = lower.indexOf('<link', from); i !== -1; i = lower.indexOf('<link', from)) {
    const end = lower.indexOf('>', i);
    if (end === -1) break;
    const href = /\shref\s*=\s*["']?([^"'\s>]*)/.exec(lower.slice(i, end + 1))?.[1] ?? '';
    const foreign = /^(?:[a-z][a-z0-9+.-]*:|\/\/|\\)/.test(href) && !href.startsWith('data:');
    out += html.slice(from, i) + (foreign ? '' : html.slice(i, end + 1));
    from = end + 1;
  }
  return out + html.slice(from);
}

/**
 * The queue dashboard in its own encapsulated context, below the review
 * plugin's sign-in hook: read-only (writes are refused before bull-board sees
 * them), its own CSP, and a page that loads nothing from elsewhere.
 */
export async function queueDashboard(app: FastifyInstance, opts: { queues: Queues }): Promise<void> {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('content-security-policy', DASHBOARD_CSP);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return deny(reply, 403, 'review: the queue dashboard is read-only');
  });
  app.addHook('onSend', async (_req, reply, payload) =>
    typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('text/html')
      ? dropForeignLinks(payload)
      : payload,
  );

  const board = new FastifyAdapter();
  board.setBasePath(DASHBOARD_PREFIX);
  createBullBoard({
    queues: opts.queues.all.map((q) => new BullMQAdapter(q, { readOnlyMode: true, allowRetries: false })),
    serverAdapter: board,
    options: {
      uiConfig: {
        boardTitle: 'wiresift queues',
        // The way back to the editors' page; the docs icon would lead off-site.
        miscLinks: [{ text: '← Clusters', url: '/review' }],
        hideDocsLink: true,
      },
    },
  });
  await app.register(board.registerPlugin(), { prefix: DASHBOARD_PREFIX });
}
