/**
 * Hand-written forward scanners for the few XML structures the feed code
 * looks at before the real parser runs: the prolog (declaration, comments,
 * processing instructions, DOCTYPE with its internal subset), the root element
 * and one start tag's attributes. Regexes did this before, and on
 * attacker-controlled text their lazy, repeated groups backtracked for minutes
 * on a few hundred bytes. Every scan here moves forward only, each character is
 * looked at a bounded number of times, and an unterminated construct ends the
 * scan instead of being retried from every later position.
 */

const NAME_AT = /[A-Za-z_][\w:.-]*/y;

/** The XML name starting exactly at `pos`, or undefined. */
export function nameAt(text: string, pos: number): string | undefined {
  NAME_AT.lastIndex = pos;
  return NAME_AT.exec(text)?.[0];
}

function startsWithIgnoreCase(text: string, prefix: string, pos: number): boolean {
  return text.slice(pos, pos + prefix.length).toUpperCase() === prefix;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Index just past `terminator` found from `from`, or -1. */
function pastNext(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at < 0 ? -1 : at + terminator.length;
}

/** Index just past the closing quote of the literal opening at `pos`, or -1. */
function pastQuoted(text: string, pos: number): number {
  const close = text.indexOf(text.charAt(pos), pos + 1);
  return close < 0 ? -1 : close + 1;
}

export function isDoctypeAt(text: string, pos: number): boolean {
  return startsWithIgnoreCase(text, '<!DOCTYPE', pos);
}

/**
 * Index just past the `>` that closes the DOCTYPE opening at `start`, or -1
 * when it never closes. Quoted literals (public and system ids, entity values),
 * comments and processing instructions of the internal subset are skipped
 * whole, so a `]` or `>` inside `<!ENTITY x "a]b">` does not end it.
 */
export function doctypeEnd(text: string, start: number): number {
  let i = start + '<!DOCTYPE'.length;
  let inSubset = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let next = i + 1;
    if (c === 0x22 || c === 0x27) next = pastQuoted(text, i);
    else if (inSubset && text.startsWith('<!--', i)) next = pastNext(text, '-->', i + 4);
    else if (inSubset && text.startsWith('<?', i)) next = pastNext(text, '?>', i + 2);
    else if (c === 0x5b) inSubset = true;
    else if (c === 0x5d) inSubset = false;
    else if (c === 0x3e && !inSubset) return i + 1;
    if (next < 0) return -1;
    i = next;
  }
  return -1;
}

export type RootElement = {
  /** As written, prefix included (`rdf:RDF`). */
  name: string;
  /** Index of its `<`. */
  start: number;
  /** The DOCTYPE's name when the prolog had one (`html` for `<!DOCTYPE html>`). */
  doctype?: string;
};

/**
 * The first element of the document, past the XML declaration, comments,
 * processing instructions, a DOCTYPE and stray text; null when there is none
 * or the prolog never ends (an unterminated comment, PI or DOCTYPE).
 */
export function findRootElement(text: string): RootElement | null {
  let doctype: string | undefined;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return null;
    let next: number;
    if (text.startsWith('<?', lt)) next = pastNext(text, '?>', lt + 2);
    else if (text.startsWith('<!--', lt)) next = pastNext(text, '-->', lt + 4);
    else if (isDoctypeAt(text, lt)) {
      let n = lt + '<!DOCTYPE'.length;
      while (n < text.length && isSpace(text.charCodeAt(n))) n++;
      doctype = nameAt(text, n) ?? doctype;
      next = doctypeEnd(text, lt);
    } else {
      const name = nameAt(text, lt + 1);
      if (name) return { name, start: lt, ...(doctype === undefined ? {} : { doctype }) };
      next = lt + 1;
    }
    if (next < 0) return null;
    i = next;
  }
  return null;
}

/** The name after its prefix, lowercased: `rdf:RDF` → `rdf`. */
export function localName(name: string): string {
  return (name.slice(name.lastIndexOf(':') + 1) || name).toLowerCase();
}

/** Index of the `>` closing the start tag opening at `start` (quoted values may hold `>`), or -1. */
export function startTagEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x3e) return i;
    if (c === 0x3c) return -1;
    if (c === 0x22 || c === 0x27) {
      const next = pastQuoted(text, i);
      if (next < 0) return -1;
      i = next;
    } else i++;
  }
  return -1;
}

export type Attribute = {
  name: string;
  /** Raw, entity references not decoded. */
  value: string;
  /** Offsets of the whole `name="value"` within the tag. */
  start: number;
  end: number;
};

/** The attributes of one start tag (`<name a="1" b='2'>`), in order; unquoted values are taken up to a space. */
export function attributesOf(tag: string): Attribute[] {
  const attrs: Attribute[] = [];
  const end = tag.endsWith('/>') ? tag.length - 2 : tag.endsWith('>') ? tag.length - 1 : tag.length;
  let i = 1 + (nameAt(tag, 1)?.length ?? 0);
  while (i < end) {
    while (i < end && isSpace(tag.charCodeAt(i))) i++;
    const start = i;
    while (i < end && !isSpace(tag.charCodeAt(i)) && tag[i] !== '=') i++;
    const name = tag.slice(start, i);
    while (i < end && isSpace(tag.charCodeAt(i))) i++;
    if (tag[i] !== '=') {
      if (name) attrs.push({ name, value: '', start, end: start + name.length });
      if (i === start) i++;
      continue;
    }
    i++;
    while (i < end && isSpace(tag.charCodeAt(i))) i++;
    let value: string;
    const q = tag.charCodeAt(i);
    if (q === 0x22 || q === 0x27) {
      const close = tag.indexOf(tag.charAt(i), i + 1);
      const stop = close < 0 || close > end ? end : close;
      value = tag.slice(i + 1, stop);
      i = Math.min(stop + 1, end);
    } else {
      const from = i;
      while (i < end && !isSpace(tag.charCodeAt(i))) i++;
      value = tag.slice(from, i);
    }
    if (name) attrs.push({ name, value, start, end: i });
  }
  return attrs;
}
