import { doctypeEnd, isDoctypeAt } from './xml-scan.js';

/**
 * Feeds in the wild are often not well-formed XML, and the strict parser
 * (sax, xml-tree.ts) rejects a whole feed for one stray `&` or one HTML entity. These
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
 * Removes every DOCTYPE with its internal subset: entities it declares are
 * never expanded (no billion laughs) and external ones never fetched (no XXE).
 * A reference to such an entity is then repaired into literal text. CDATA
 * sections and comments are left alone; a DOCTYPE that never closes is left
 * for the parser to reject.
 */
export function stripDoctype(xml: string): string {
  const out: string[] = [];
  let copied = 0;
  let i = 0;
  for (;;) {
    const at = xml.indexOf('<!', i);
    if (at < 0) break;
    let next: number;
    if (xml.startsWith('<![CDATA[', at)) next = pastNext(xml, ']]>', at + 9);
    else if (xml.startsWith('<!--', at)) next = pastNext(xml, '-->', at + 4);
    else if (isDoctypeAt(xml, at)) {
      next = doctypeEnd(xml, at);
      if (next >= 0) {
        out.push(xml.slice(copied, at));
        copied = next;
      }
    } else next = at + 2;
    if (next < 0) break;
    i = next;
  }
  out.push(xml.slice(copied));
  return out.join('');
}

function pastNext(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at < 0 ? -1 : at + terminator.length;
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
 * content is already literal (an unterminated one runs to the end).
 */
export function repairEntities(xml: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < xml.length) {
    const open = xml.indexOf('<![CDATA[', i);
    if (open < 0) break;
    const close = pastNext(xml, ']]>', open + 9);
    out.push(repairOutsideCdata(xml.slice(i, open)), xml.slice(open, close < 0 ? xml.length : close));
    i = close < 0 ? xml.length : close;
  }
  out.push(repairOutsideCdata(xml.slice(i)));
  return out.join('');
}
