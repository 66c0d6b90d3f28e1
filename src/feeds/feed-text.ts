import * as cheerio from 'cheerio/slim';

/**
 * Markup removed by one forward scan, text kept: a DOM built for this
 * overflowed the stack on a title nested 10,000 tags deep, failing the feed.
 * Only a `<` that opens a tag (letter, `/`, `!`, `?`) starts markup.
 */
export function stripTags(html: string): string {
  const out: string[] = [];
  let noMoreClose = false;
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    let end = -1;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      end = close < 0 ? html.length : close + 3;
    } else if (!noMoreClose && /[A-Za-z/!?]/.test(html.charAt(lt + 1))) {
      const close = html.indexOf('>', lt + 1);
      noMoreClose = close < 0;
      end = close + 1;
    }
    if (end <= 0) {
      out.push(html.slice(i, lt + 1));
      i = lt + 1;
      continue;
    }
    out.push(html.slice(i, lt));
    i = end;
  }
  out.push(html.slice(i));
  return out.join('');
}

export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** HTML entities decoded once (cheerio reads the text as one flat text node, however long). */
export function decodeHtmlEntities(text: string): string {
  return text.includes('&') ? cheerio.load(text.replace(/</g, '&lt;'), null, false).text() : text;
}

/** An HTML fragment as plain text: tags out, then its entities decoded (once). */
export function htmlToText(html: string): string {
  return collapseSpace(decodeHtmlEntities(html.includes('<') ? stripTags(html) : html));
}

// Inline HTML elements that turn up in RSS titles; a `<` before anything else is text.
const TITLE_TAGS = new Set(
  'a abbr b big br cite code del div em font i ins mark p q s small span strike strong sub sup u'.split(' '),
);

/**
 * Whether an untyped text (an RSS or RDF title) carries HTML markup: a start
 * or end tag of an inline HTML element. "Use <b>" is not enough, "<b>Use</b>"
 * is. One forward scan over the `<`s.
 */
export function hasHtmlTags(text: string): boolean {
  for (let lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
    let i = lt + 1;
    if (text.charAt(i) === '/') i++;
    let j = i;
    while (j < text.length && j - i < 8 && /[A-Za-z]/.test(text.charAt(j))) j++;
    const name = text.slice(i, j).toLowerCase();
    if (name && TITLE_TAGS.has(name) && /[\s/>]/.test(text.charAt(j))) return true;
  }
  return false;
}

/**
 * The text of an untyped construct (RSS, RDF, JSON Feed titles): the XML or
 * JSON layer has decoded it already, so it is taken as is — unless it holds
 * HTML tags, in which case it is HTML and read as such (tags out, entities
 * decoded). Never decoded twice otherwise: "AT&amp;amp;T" is "AT&amp;T".
 */
export function untypedText(value: string): string {
  return hasHtmlTags(value) ? htmlToText(value) : collapseSpace(value);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
