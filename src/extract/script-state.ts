/**
 * The article text of pages whose HTML is an app shell: the story ships in the app's
 * state (`<script id="__NEXT_DATA__" type="application/json">`, Next.js and the like),
 * and the visible HTML holds a caption or a teaser. Scripts are cut before parsing
 * (strip-inert.ts): the scan that cuts them reads the state script as it passes it.
 */
import * as cheerio from 'cheerio/slim';

const MARKER = '__NEXT_DATA__';
const STATE_TAG = /^<script\b[^>]*\bid\s*=\s*["']?__NEXT_DATA__["']?[^>]*>$/i;
const SCRIPT_END = /<\/script[\s/>]/gi;
/** Keys under which apps keep the story's text. */
const BODY_KEY =
  /^(?:body|articlebody|article_body|content|contenthtml|bodyhtml|html|text|story|storybody)$/i;
/** Shorter than this, a string in the state is a field (a title, a summary), not a story. */
const MIN_STATE_BODY_CHARS = 500;
/** Deep enough for page props → article → body; a state holds whole caches below that. */
const MAX_DEPTH = 12;

/** The start tag html[lt…end) opens the app-state script. */
export function isStateScript(html: string, lt: number, end: number): boolean {
  if (end - lt < MARKER.length + 8) return false;
  const tag = html.slice(lt, end);
  return tag.includes(MARKER) && STATE_TAG.test(tag);
}

/** The state script's JSON text, from just past its start tag to its end tag (null when unclosed). */
export function stateScriptContent(html: string, from: number): string | null {
  SCRIPT_END.lastIndex = from;
  const close = SCRIPT_END.exec(html);
  return close ? html.slice(from, close.index) : null;
}

/** HTML of a story ("<p>…</p><p>…</p>") to paragraphs, plain text to its own paragraphs. */
function paragraphsOf(value: string): string {
  if (!/<(?:p|br|div|h[1-6])\b/i.test(value)) return value;
  const $ = cheerio.load(value, { xml: { xmlMode: false, decodeEntities: true } });
  $('br').replaceWith('\n');
  return $('p, h1, h2, h3, h4, h5, h6, li, blockquote')
    .toArray()
    .map((el) => $(el).text().trim())
    .filter(Boolean)
    .join('\n\n');
}

/** The longest string under a body-like key, or an array of such strings joined, in the state. */
export function readStateBody(json: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return null;
  }
  let best: string | null = null;
  const consider = (s: string) => {
    if (s.length >= MIN_STATE_BODY_CHARS && (!best || s.length > best.length)) best = s;
  };
  const visit = (v: unknown, key: string, depth: number) => {
    if (depth > MAX_DEPTH || !v) return;
    if (typeof v === 'string') {
      if (BODY_KEY.test(key)) consider(v);
      return;
    }
    if (Array.isArray(v)) {
      // A story kept as a list of paragraph strings.
      if (BODY_KEY.test(key) && v.length > 1 && v.every((x) => typeof x === 'string'))
        consider(v.join('\n\n'));
      for (const x of v) visit(x, key, depth + 1);
      return;
    }
    if (typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k, depth + 1);
  };
  visit(data, '', 0);
  return best === null ? null : paragraphsOf(best);
}
