/**
 * Scripts, styles and comments are half the bytes of a typical news page and never
 * text. Cutting them out before decoding and parsing (JSON-LD kept: it is evidence)
 * saves a third of the work. The same pass bounds the tree the parser will build:
 * elements deeper than `maxDepth` are flattened into their ancestor (their tags go,
 * their text stays, as Blink does past 512 levels) and tags past `maxElements` are
 * dropped the same way, because htmlparser2's open-element stack costs O(depth) per
 * tag and a page of a million nested `<b>` would otherwise take minutes.
 *
 * One linear scan that follows the HTML tokenizer: comments end at `-->` or `--!>`
 * (or `<!-->`), a script at `</script` followed by whitespace, `/` or `>` (its end
 * tag runs to the next `>`, quotes respected), with the spec's `<!--`/`<script>`
 * escape states inside it, so `document.write("<script></script>")` in a commented
 * script does not end it early. A construct left open at EOF swallows the rest of the
 * page exactly when a browser's would (comments, raw text); a tag left open at EOF is
 * dropped. A start tag that a <head> cannot hold ends the head and opens the body, as the
 * HTML tree builder does, where htmlparser2 would keep the rest of the page in the head. No regular expression
 * runs on the page.
 */
import { BLOCK_TAGS } from './dom.js';
import { isStateScript, stateScriptContent } from './script-state.js';
import { detached } from './text-normalize.js';

export type MarkupLimits = {
  /** Elements nested deeper than this are flattened into their ancestor. */
  maxDepth: number;
  /** Tags past this many elements are dropped (their text is kept). */
  maxElements: number;
};

export const DEFAULT_MARKUP_LIMITS: MarkupLimits = { maxDepth: 512, maxElements: 100_000 };

/** Content never parsed as markup by a browser; cut out with its tags. */
const STRIPPED_RAW = new Set(['script', 'style', 'iframe', 'noembed', 'noframes']);
/** Raw or RCDATA content the extractor reads (a title): kept, with canonical tags htmlparser2 reads the same way. */
const KEPT_RAW = new Set(['title', 'textarea', 'xmp']);

/*
 * htmlparser2's tree rules (its Parser.js), so the depth counted here is the depth it builds:
 * which open elements a start tag closes, and which elements never open.
 */
const FORM_TAGS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const P_TAG = new Set(['p']);
const TABLE_SECTIONS = new Set(['thead', 'tbody']);
const DD_DT = new Set(['dd', 'dt']);
const RT_RP = new Set(['rt', 'rp']);
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['select', FORM_TAGS],
  ['input', FORM_TAGS],
  ['output', FORM_TAGS],
  ['button', FORM_TAGS],
  ['datalist', FORM_TAGS],
  ['textarea', FORM_TAGS],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT],
  ['dt', DD_DT],
  ['rt', RT_RP],
  ['rp', RT_RP],
  ['tbody', TABLE_SECTIONS],
  ['tfoot', TABLE_SECTIONS],
]);
for (const t of 'p h1 h2 h3 h4 h5 h6 address article aside blockquote details div dl fieldset figcaption figure footer form header hr main nav ol pre section table ul'.split(
  ' ',
))
  IMPLIES_CLOSE.set(t, P_TAG);
const VOID = new Set(
  'area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr'.split(
    ' ',
  ),
);
/** What a <head> holds (and "body", which htmlparser2 closes it for itself); any other start tag ends it. */
const IN_HEAD = new Set([
  'base',
  'basefont',
  'bgsound',
  'link',
  'meta',
  'noframes',
  'noscript',
  'script',
  'style',
  'template',
  'title',
  'head',
  'html',
  'body',
]);
const FOREIGN = new Set(['math', 'svg']);
const INTEGRATION = new Set([
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
  'desc',
  'title',
]);

/*
 * What the scan needs to know of a tag name, looked up once per name and page (see
 * OpenName): the sets above were probed about ten times a tag, each probe hashing a
 * freshly sliced name.
 */
const STRIPPED = 1;
const KEPT = 2;
const IS_VOID = 4;
const HEAD_PART = 8;
const IS_FOREIGN = 16;
const IS_INTEGRATION = 32;
const IS_BLOCK = 64;
const TAG_FLAGS = new Map<string, number>();
for (const [set, flag] of [
  [STRIPPED_RAW, STRIPPED],
  [KEPT_RAW, KEPT],
  [VOID, IS_VOID],
  [IN_HEAD, HEAD_PART],
  [FOREIGN, IS_FOREIGN],
  [INTEGRATION, IS_INTEGRATION],
  [BLOCK_TAGS, IS_BLOCK],
] as const)
  for (const name of set) TAG_FLAGS.set(name, (TAG_FLAGS.get(name) ?? 0) | flag);

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const DASH = 0x2d;
const QUESTION = 0x3f;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
}

/** What ends a name inside a tag, by character code (a table: the attribute loops test every character). */
const C_SPACE = 1;
const C_SLASH = 2;
const C_GT = 4;
const C_EQ = 8;
const C_QUOTE = 16;
const CHAR_CLASS = new Uint8Array(128);
for (const c of [0x20, 0x0a, 0x09, 0x0c, 0x0d]) CHAR_CLASS[c] = C_SPACE;
CHAR_CLASS[0x2f] = C_SLASH;
CHAR_CLASS[0x3e] = C_GT;
CHAR_CLASS[0x3d] = C_EQ;
CHAR_CLASS[0x22] = C_QUOTE;
CHAR_CLASS[0x27] = C_QUOTE;
const NAME_END = C_SPACE | C_SLASH | C_GT;

function charClass(c: number): number {
  return c < 128 ? CHAR_CLASS[c]! : 0;
}

function isAlpha(c: number): boolean {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

/** `name` (lowercase ASCII) at s[i…], any case, followed by whitespace, `/` or `>` (or EOF). */
function nameAt(s: string, i: number, name: string): boolean {
  const n = name.length;
  if (i + n > s.length) return false;
  for (let k = 0; k < n; k++) if ((s.charCodeAt(i + k) | 0x20) !== name.charCodeAt(k)) return false;
  if (i + n === s.length) return true;
  const c = s.charCodeAt(i + n);
  return isSpace(c) || c === SLASH || c === GT;
}

/** Whether the tag tagEnd read last ended in "/>" (a module variable: no object per tag). */
let endedSelfClosing = false;

/**
 * End of a tag whose name starts at `i`: the index after its `>` (attribute values in
 * quotes may hold `>`), or -1 when EOF comes first (the tag is then dropped, as a
 * browser drops it).
 */
function tagEnd(s: string, i: number): number {
  const n = s.length;
  let j = i;
  while (j < n && !(charClass(s.charCodeAt(j)) & NAME_END)) j++;
  return attributesEnd(s, j);
}

/** tagEnd from the end of the tag's name. */
function attributesEnd(s: string, from: number): number {
  const n = s.length;
  let j = from;
  let selfClosing = false;
  while (j < n) {
    const k = charClass(s.charCodeAt(j));
    if (k === C_GT) {
      endedSelfClosing = selfClosing;
      return j + 1;
    }
    if (k === C_SLASH) {
      selfClosing = true;
      j++;
      continue;
    }
    selfClosing = false;
    if (k === C_SPACE) {
      j++;
      continue;
    }
    // Attribute name ("=" is part of it only as its first character), then an optional value.
    j++;
    while (j < n && !(charClass(s.charCodeAt(j)) & (NAME_END | C_EQ))) j++;
    while (j < n && charClass(s.charCodeAt(j)) === C_SPACE) j++;
    if (j < n && charClass(s.charCodeAt(j)) === C_EQ) {
      j++;
      while (j < n && charClass(s.charCodeAt(j)) === C_SPACE) j++;
      const q = s.charCodeAt(j);
      if (charClass(q) === C_QUOTE) {
        const close = s.indexOf(q === 0x22 ? '"' : "'", j + 1);
        if (close < 0) return -1;
        j = close + 1;
      } else while (j < n && !(charClass(s.charCodeAt(j)) & (C_SPACE | C_GT))) j++;
    }
  }
  return -1;
}

/** End of a comment opened at `i` (`<!--`): after its `-->`, `--!>`, `<!-->` or `<!--->`; EOF otherwise. */
function commentEnd(s: string, i: number): number {
  let p = i + 4;
  if (s.charCodeAt(p) === GT) return p + 1;
  if (s.charCodeAt(p) === DASH && s.charCodeAt(p + 1) === GT) return p + 2;
  for (;;) {
    const d = s.indexOf('--', p);
    if (d < 0) return s.length;
    const c = s.charCodeAt(d + 2);
    if (c === GT) return d + 3;
    if (c === BANG && s.charCodeAt(d + 3) === GT) return d + 4;
    p = d + 1;
  }
}

/** Where `</name` (+ whitespace, `/`, `>`) starts in raw text from `i`, or -1. */
function rawTextEnd(s: string, i: number, name: string): number {
  for (let p = i; ; ) {
    const lt = s.indexOf('</', p);
    if (lt < 0) return -1;
    if (nameAt(s, lt + 2, name)) return lt;
    p = lt + 2;
  }
}

/**
 * Where `</script` ends a script's content from `i`, or -1: the spec's script data
 * states, where `<!--` starts an escaped section in which `<script` opens a
 * double-escaped one that only `</script` or `-->` leaves.
 */
function scriptEnd(s: string, i: number): number {
  const n = s.length;
  let state = 0; // 0 data, 1 escaped, 2 double escaped
  let dashes = 0;
  for (let p = i; p < n; p++) {
    if (state === 0) {
      p = s.indexOf('<', p);
      if (p < 0) return -1;
      if (s.charCodeAt(p + 1) === SLASH && nameAt(s, p + 2, 'script')) return p;
      if (s.startsWith('<!--', p)) {
        state = 1;
        dashes = 2;
        p += 3;
      }
      continue;
    }
    const c = s.charCodeAt(p);
    if (c === DASH) {
      dashes++;
      continue;
    }
    if (c === GT && dashes >= 2) state = 0;
    else if (c === LT) {
      if (s.charCodeAt(p + 1) === SLASH && nameAt(s, p + 2, 'script')) {
        if (state === 1) return p;
        state = 1;
      } else if (state === 1 && nameAt(s, p + 1, 'script')) state = 2;
    }
    dashes = 0;
  }
  return -1;
}

/** Where the name readName read last ends (a module variable: no object per tag). */
let nameEnd = 0;

/** s[i…j) spells `name` (lowercase ASCII), in any case. */
function spells(s: string, i: number, j: number, name: string): boolean {
  if (j - i !== name.length) return false;
  for (let k = 0; k < name.length; k++) {
    let c = s.charCodeAt(i + k);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== name.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * The tag name starting at `i`, lowercased, as the name met before (a scan's own when
 * `own` has it, or the table's). A name of ASCII letters is found by a hash of its
 * characters and compared in place: no string is cut out of the page for a name met before.
 */
function readName(s: string, i: number, own: Map<string, OpenName>): OpenName {
  const n = s.length;
  let j = i;
  let h = 0;
  let ascii = true;
  while (j < n) {
    let c = s.charCodeAt(j);
    if (charClass(c) & NAME_END) break;
    if (c >= 0x80) ascii = false;
    else if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    h = (Math.imul(h, 31) + c) | 0;
    j++;
  }
  nameEnd = j;
  const slot = h & (NAME_SLOTS - 1);
  if (ascii) {
    const known = knownNames[slot];
    if (known) for (const o of known) if (spells(s, i, j, o.name)) return o;
  }
  const name = s.slice(i, j).toLowerCase();
  let o = own.get(name);
  if (o) return o;
  // Kept past this page (the table is shared): a copy, not a view into the page.
  o = nameOf(detached(name));
  if (ascii && knownCount < KNOWN_NAMES_LIMIT) {
    knownCount++;
    const known = knownNames[slot];
    if (known) known.push(o);
    else knownNames[slot] = [o];
  } else own.set(name, o);
  return o;
}

type Scan = {
  /**
   * The lean page as pieces: a kept range of the input is two numbers (start, end), a
   * replacement a string; null when nothing had to go.
   */
  pieces: Array<number | string> | null;
  /** Elements the parser will build. */
  elements: number;
  /** Tags dropped because of the depth or element cap. */
  flattened: number;
  /**
   * The content of the app-state script (`<script id="__NEXT_DATA__">`, see script-state.ts),
   * read as the scan passes it before cutting it out, or null.
   */
  stateScript: string | null;
};

export type LeanMarkup = Omit<Scan, 'pieces'> & { html: string };

/**
 * A tag name met by the scan: its TAG_FLAGS, its bit among the names a start tag may
 * close and the bits of those it closes (IMPLIES_CLOSE), and how many of it are open on
 * htmlparser2's stack in the scan under way (none between scans).
 */
type OpenName = { name: string; flags: number; bit: number; closes: number; open: number };

/** A bit for each name some start tag implies the end of (21 names). */
const CLOSABLE_BITS = new Map<string, number>();
for (const names of IMPLIES_CLOSE.values())
  for (const name of names) if (!CLOSABLE_BITS.has(name)) CLOSABLE_BITS.set(name, 1 << CLOSABLE_BITS.size);

function nameOf(name: string): OpenName {
  let closes = 0;
  for (const closed of IMPLIES_CLOSE.get(name) ?? []) closes |= CLOSABLE_BITS.get(closed)!;
  return { name, flags: TAG_FLAGS.get(name) ?? 0, bit: CLOSABLE_BITS.get(name) ?? 0, closes, open: 0 };
}

/** Names met so far, shared by every scan (pages use the same few dozen), by hash (see readName). */
const NAME_SLOTS = 1024;
const knownNames: Array<OpenName[] | undefined> = new Array(NAME_SLOTS);
let knownCount = 0;
/** Past this many distinct names (a hostile page makes up millions), new ones are a scan's own. */
const KNOWN_NAMES_LIMIT = 5000;

/**
 * The page without inert content, with its element tree bounded by `limits`.
 * Returns the input string itself when nothing had to go.
 */
export function leanMarkup(html: string, limits: MarkupLimits = DEFAULT_MARKUP_LIMITS): LeanMarkup {
  const { pieces, ...rest } = scan(html, limits);
  if (!pieces) return { html, ...rest };
  let out = '';
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!;
    out += typeof p === 'string' ? p : html.slice(p, pieces[++k] as number);
  }
  return { html: out, ...rest };
}

function scan(html: string, limits: MarkupLimits): Scan {
  const stack: OpenName[] = [];
  try {
    return scanWith(html, limits, stack);
  } finally {
    // The open counts are on shared names: what is still open goes back to none.
    for (const o of stack) o.open = 0;
  }
}

function scanWith(html: string, limits: MarkupLimits, stack: OpenName[]): Scan {
  const s = html;
  const n = s.length;
  const pieces: Array<number | string> = [];
  let kept = 0; // s[kept…] not yet in pieces
  let changed = false;
  const cut = (from: number, to: number, replacement = '') => {
    if (from > kept) pieces.push(kept, from);
    if (replacement) pieces.push(replacement);
    kept = to;
    changed = true;
  };

  // htmlparser2's open elements (top last; see scan), how many of each name, and its foreign-content flags.
  const ownNames = new Map<string, OpenName>();
  const head = readName('head', 0, ownNames);
  const foreign: boolean[] = [false];
  // Flattened elements still open inside the element at the cap, by name: their end tags go too.
  const flattenedOpen = new Map<string, number>();
  let elements = 0;
  let flattened = 0;
  let stateScript: string | null = null;

  const pop = () => {
    stack.pop()!.open--;
    if (flattenedOpen.size) flattenedOpen.clear();
  };
  const push = (o: OpenName) => {
    stack.push(o);
    o.open++;
  };
  // A flattened block tag still separates words: one space for a run of them.
  let spaceEndsAt = -1;
  const dropTag = (from: number, to: number, flags: number) => {
    flattened++;
    const space = (flags & IS_BLOCK) !== 0 && from !== spaceEndsAt;
    cut(from, to, space ? ' ' : '');
    if (space || from === spaceEndsAt) spaceEndsAt = to;
  };

  let i = 0;
  while (i < n) {
    const lt = s.indexOf('<', i);
    if (lt < 0 || lt + 1 >= n) break;
    const c = s.charCodeAt(lt + 1);

    if (c === BANG) {
      if (s.startsWith('<!--', lt)) {
        const end = commentEnd(s, lt);
        cut(lt, end);
        i = end;
        continue;
      }
      if (s.startsWith('[CDATA[', lt + 2)) {
        // Character data in SVG/MathML; a bogus comment ending at the first ">" anywhere else.
        let end: number;
        if (foreign[foreign.length - 1]) {
          const close = s.indexOf(']]>', lt + 9);
          end = close < 0 ? n : close + 3;
        } else {
          const gt = s.indexOf('>', lt + 2);
          end = gt < 0 ? n : gt + 1;
        }
        cut(lt, end);
        i = end;
        continue;
      }
      // <!DOCTYPE …> and other bogus comments: up to the first ">".
      const end = s.indexOf('>', lt + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === QUESTION) {
      const end = s.indexOf('>', lt + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }

    if (c === SLASH) {
      const c2 = s.charCodeAt(lt + 2);
      if (!isAlpha(c2)) {
        // "</>" is nothing, "</ …>" a bogus comment (htmlparser2 would read "</ div>" as "</div>").
        const gt = s.indexOf('>', lt + 2);
        const end = gt < 0 ? n : gt + 1;
        cut(lt, end);
        i = end;
        continue;
      }
      const o = readName(s, lt + 2, ownNames);
      const name = o.name;
      const end = attributesEnd(s, nameEnd);
      if (end < 0) {
        cut(lt, n);
        break;
      }
      i = end;
      const flags = o.flags;
      const canonical = end === lt + 3 + name.length;
      const pending = flattenedOpen.size ? flattenedOpen.get(name) : undefined;
      if (pending) {
        flattenedOpen.set(name, pending - 1);
        dropTag(lt, end, flags);
        continue;
      }
      if (o.open) {
        while (stack.length && stack[stack.length - 1] !== o) pop();
        pop();
        // htmlparser2 ends an end tag at its first ">", quotes or not: give it nothing else to read.
        if (!canonical) cut(lt, end, `</${name}>`);
      } else if (name === 'p' || name === 'br') {
        // htmlparser2 makes an empty element of these.
        if (elements >= limits.maxElements) {
          dropTag(lt, end, flags);
          continue;
        }
        elements++;
        if (!canonical) cut(lt, end, `</${name}>`);
      } else {
        // An end tag with nothing to close changes nothing, in a browser or in htmlparser2.
        cut(lt, end);
        continue;
      }
      // htmlparser2 leaves foreign content on the end tag of any of these names.
      if (flags & (IS_FOREIGN | IS_INTEGRATION) && foreign.length > 1) foreign.pop();
      continue;
    }

    if (!isAlpha(c)) {
      i = lt + 1;
      continue;
    }

    const tag = readName(s, lt + 1, ownNames);
    const name = tag.name;
    const end = attributesEnd(s, nameEnd);
    if (end < 0) {
      cut(lt, n);
      break;
    }
    const selfClosing = endedSelfClosing;
    const flags = tag.flags;

    if (flags & STRIPPED) {
      const contentEnd = name === 'script' ? scriptEnd(s, end) : rawTextEnd(s, end, name);
      const closeEnd = contentEnd < 0 ? n : tagEnd(s, contentEnd + 2);
      const blockEnd = closeEnd < 0 ? n : closeEnd;
      if (name === 'script' && isJsonLd(s, lt, end)) {
        // JSON-LD is evidence: kept, with "</script" escaped the JSON way so no parser ends it early.
        const body = s.slice(end, contentEnd < 0 ? n : contentEnd).replace(/<\/(script)/gi, '<\\/$1');
        if (elements < limits.maxElements && stack.length < limits.maxDepth) {
          elements++;
          cut(lt, blockEnd, `${s.slice(lt, end)}${body}</script>`);
        } else cut(lt, blockEnd);
      } else {
        if (name === 'script' && stateScript === null && isStateScript(s, lt, end))
          stateScript = stateScriptContent(s, end);
        cut(lt, blockEnd);
      }
      i = blockEnd;
      continue;
    }

    // A tag that cannot be in <head> ends it and opens the body, as in a browser (htmlparser2
    // would keep the page's content inside the head, which extraction skips). A <body> tag
    // later opens inside this one, so the first <body> holds all the content.
    if (head.open && !(flags & HEAD_PART)) {
      while (stack.length && stack[stack.length - 1] !== head) pop();
      pop();
      cut(lt, lt, '</head><body>');
    }
    // htmlparser2's implied end tags, then the caps.
    if (tag.closes) while (stack.length && tag.closes & stack[stack.length - 1]!.bit) pop();
    const foreignAfter =
      flags & IS_FOREIGN ? true : flags & IS_INTEGRATION ? false : foreign[foreign.length - 1];
    // In SVG/MathML "<x/>" closes itself; in HTML the slash means nothing.
    const voidLike = (flags & IS_VOID) !== 0 || (selfClosing && foreignAfter === true);
    const raw = (flags & KEPT) !== 0 && !voidLike;
    if (elements >= limits.maxElements || (!voidLike && stack.length >= limits.maxDepth)) {
      if (raw) {
        // Its text is raw: it goes with its tags, or htmlparser2 would read it as markup.
        flattened++;
        i = keptRawEnd(s, end, name).resume;
        cut(lt, i);
        continue;
      }
      if (!voidLike) flattenedOpen.set(name, (flattenedOpen.get(name) ?? 0) + 1);
      dropTag(lt, end, flags);
      i = end;
      continue;
    }
    elements++;
    // htmlparser2 tracks foreign content on every such start tag, even one that closes itself.
    if (flags & (IS_FOREIGN | IS_INTEGRATION)) foreign.push(foreignAfter === true);
    i = end;
    if (raw) {
      // The text and its end tag are read here: the element is closed again at once.
      const { contentEnd, resume, plain } = keptRawEnd(s, end, name);
      if (selfClosing) cut(lt, end, `<${name}>`);
      if (contentEnd >= 0 && !plain) cut(contentEnd, resume, `</${name}>`);
      i = resume;
      if (flags & IS_INTEGRATION && foreign.length > 1) foreign.pop();
      continue;
    }
    if (!voidLike) push(tag);
  }
  if (!changed) return { pieces: null, elements, flattened, stateScript };
  if (kept < n) pieces.push(kept, n);
  return { pieces, elements, flattened, stateScript };
}

/**
 * The text of a <title>, <textarea> or <xmp> opened before `from` ends at `</name` and
 * whitespace, `/` or `>` (htmlparser2 would not end it at `</title/`, so a non-plain
 * end tag is rewritten); unterminated, it runs to EOF, in a browser too.
 */
function keptRawEnd(
  s: string,
  from: number,
  name: string,
): { contentEnd: number; resume: number; plain: boolean } {
  const contentEnd = rawTextEnd(s, from, name);
  if (contentEnd < 0) return { contentEnd, resume: s.length, plain: true };
  const close = tagEnd(s, contentEnd + 2);
  return {
    contentEnd,
    resume: close < 0 ? s.length : close,
    plain: close === contentEnd + 3 + name.length,
  };
}

/** The script tag s[lt…end) has type application/ld+json. */
function isJsonLd(s: string, lt: number, end: number): boolean {
  const tag = s.slice(lt, end).toLowerCase();
  return tag.includes('ld+json');
}

export function stripInert(html: string, limits?: MarkupLimits): string {
  return leanMarkup(html, limits).html;
}

/**
 * UTF-16 pages (BOM or declared) cannot be stripped before decoding: their ASCII is
 * two bytes a character.
 */
export function isUtf16Page(bytes: Uint8Array, contentType?: string): boolean {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  )
    return true;
  if (contentType && /charset\s*=\s*["']?utf-?16/i.test(contentType)) return true;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  return /charset\s*=\s*["']?utf-?16/i.test(head);
}

/**
 * The same on undecoded bytes of an ASCII-compatible charset (UTF-8, windows-1252,
 * ISO-8859-x…): read as latin1, every byte is one char, multi-byte sequences never
 * match the ASCII tokens, and the bytes kept are exactly the input's. The app-state
 * script comes back decoded: it is JSON, and JSON is UTF-8. Not for UTF-16 pages
 * (see isUtf16Page): strip them once decoded.
 */
export function leanBytes(
  bytes: Uint8Array,
  limits?: MarkupLimits,
): { bytes: Uint8Array; stateScript: string | null } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { pieces, stateScript } = scan(buf.toString('latin1'), limits ?? DEFAULT_MARKUP_LIMITS);
  return {
    bytes: pieces ? joinBytes(buf, pieces) : bytes,
    stateScript: stateScript === null ? null : Buffer.from(stateScript, 'latin1').toString('utf8'),
  };
}

/** The scan's pieces as bytes: kept ranges copied from the input, replacements written as latin1 (one byte a char). */
function joinBytes(input: Buffer, pieces: Array<number | string>): Buffer {
  let size = 0;
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!;
    size += typeof p === 'string' ? p.length : (pieces[++k] as number) - p;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!;
    if (typeof p === 'string') at += out.write(p, at, 'latin1');
    else at += input.copy(out, at, p, pieces[++k] as number);
  }
  return out;
}

/** leanBytes' bytes, and UTF-16 pages returned as they are. */
export function stripInertBytes(bytes: Uint8Array, contentType?: string, limits?: MarkupLimits): Uint8Array {
  return isUtf16Page(bytes, contentType) ? bytes : leanBytes(bytes, limits).bytes;
}
