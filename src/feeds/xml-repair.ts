/**
 * Feeds in the wild are often not well-formed XML, and the strict parser under
 * rss-parser rejects a whole feed for one stray `&` or one HTML entity. These
 * repairs are deliberately narrow: they fix what blocks parsing and never
 * expand anything the document defines for itself.
 */

// HTML 4 entity names seen in feeds; XML only predefines amp, lt, gt, quot, apos.
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 ' +
  'acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde ' +
  'Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute ' +
  'Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde ' +
  'auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc ' +
  'otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

const OTHER_ENTITIES: Record<string, number> = {
  OElig: 338,
  oelig: 339,
  Scaron: 352,
  scaron: 353,
  Yuml: 376,
  fnof: 402,
  circ: 710,
  tilde: 732,
  ensp: 8194,
  emsp: 8195,
  thinsp: 8201,
  zwnj: 8204,
  zwj: 8205,
  lrm: 8206,
  rlm: 8207,
  ndash: 8211,
  mdash: 8212,
  lsquo: 8216,
  rsquo: 8217,
  sbquo: 8218,
  ldquo: 8220,
  rdquo: 8221,
  bdquo: 8222,
  dagger: 8224,
  Dagger: 8225,
  bull: 8226,
  hellip: 8230,
  permil: 8240,
  prime: 8242,
  Prime: 8243,
  lsaquo: 8249,
  rsaquo: 8250,
  euro: 8364,
  trade: 8482,
  larr: 8592,
  uarr: 8593,
  rarr: 8594,
  darr: 8595,
  harr: 8596,
  minus: 8722,
  infin: 8734,
  ne: 8800,
  le: 8804,
  ge: 8805,
};

const HTML_ENTITIES = new Map<string, number>([
  ...LATIN1_NAMES.split(' ').map((name, i): [string, number] => [name, 160 + i]),
  ...Object.entries(OTHER_ENTITIES),
]);

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Removes the DOCTYPE with its internal subset: entities it declares are never
 * expanded (no billion laughs) and external ones never fetched (no XXE). A
 * reference to such an entity is then repaired into literal text.
 */
export function stripDoctype(xml: string): string {
  return xml.replace(/<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/gi, '');
}

// Control characters XML 1.0 forbids; some CMSes paste them in from word processors.
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function repairOutsideCdata(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, '')
    .replace(/&(?:(#\d+|#x[0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));|&/g, (match, numeric, name) => {
      if (numeric) return match;
      if (name) {
        if (XML_ENTITIES.has(name)) return match;
        const code = HTML_ENTITIES.get(name);
        return code === undefined ? `&amp;${name};` : `&#${code};`;
      }
      return '&amp;';
    });
}

/**
 * Escapes bare `&`, turns HTML entities into character references and drops
 * forbidden control characters — everywhere except inside CDATA sections, whose
 * content is already literal.
 */
export function repairEntities(xml: string): string {
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, i) => (i % 2 === 1 ? part : repairOutsideCdata(part)))
    .join('');
}

/**
 * rss-parser converts Atom dates with `new Date(x).toISOString()` unguarded, so
 * one malformed <published> would reject the whole feed; empty it instead.
 */
export function blankInvalidAtomDates(xml: string): string {
  return xml.replace(/<(published|updated)>([^<]*)<\/\1>/g, (match, tag: string, value: string) =>
    value.trim() === '' || !Number.isNaN(Date.parse(value.trim())) ? match : `<${tag}></${tag}>`,
  );
}

/**
 * xml2js keeps an element's text apart from its child elements, so Atom
 * type="xhtml" constructs come out with their words out of order. Turning them
 * into type="html" (markup escaped, wrapper div dropped) keeps the text intact.
 */
export function xhtmlToHtmlConstructs(xml: string): string {
  return xml.replace(
    /<(title|subtitle|summary|content|rights)(\s[^>]*?)\btype\s*=\s*(["'])xhtml\3([^>]*)>([\s\S]*?)<\/\1>/g,
    (_match, tag: string, before: string, _q: string, after: string, inner: string) => {
      const unwrapped = inner
        .trim()
        .replace(/^<(?:[\w.-]+:)?div\b[^>]*>([\s\S]*)<\/(?:[\w.-]+:)?div>$/, '$1');
      const escaped = unwrapped.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return `<${tag}${before}type="html"${after}>${escaped}</${tag}>`;
    },
  );
}
