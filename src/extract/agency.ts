/**
 * Wire-agency credits. A credit-only line ("Avec AFP", "(Reuters)", "Source : AFP",
 * "— with Reuters", a Reuters sign-off, the AP copyright line) names the agency and is
 * not article text. A dateline ("PARIS, 13 sept 2024 (AFP) -") names it too but is part
 * of the dispatch, so it stays in the body.
 */

const AGENCIES: Array<[string, string]> = [
  ['AFP', 'AFP|Agence France[- ]Presse'],
  ['Reuters', 'Reuters|Thomson Reuters'],
  ['AP', 'AP|Associated Press|The Associated Press'],
  ['Bloomberg', 'Bloomberg'],
  ['dpa', 'dpa|DPA'],
  ['ANSA', 'ANSA'],
  ['EFE', 'EFE'],
  ['Xinhua', 'Xinhua'],
  ['Belga', 'Belga'],
  ['ATS', 'ATS|Keystone-ATS'],
  ['Kyodo', 'Kyodo'],
  ['Yonhap', 'Yonhap'],
  ['UPI', 'UPI'],
  ['AAP', 'AAP'],
];

const AG = AGENCIES.map(([, re]) => re).join('|');
/** One or several agencies: "AFP", "AFP et Reuters", "AP/Reuters". */
const AGS = String.raw`(?:l'|l’|the\s+)?(?:${AG})(?:\s*(?:,|/|&|\bet\b|\band\b)\s*(?:l'|l’|the\s+)?(?:${AG}))*`;

const CREDIT_PATTERNS: RegExp[] = [
  // "(AFP)", "AFP", "Reuters", "AFP/Reuters"
  new RegExp(`^(?:${AGS})$`, 'i'),
  // "Avec AFP", "Source : AFP", "with Reuters", "d'après AFP", "Sources : AFP, Reuters"
  new RegExp(
    String.raw`^(?:avec|with|source|sources|selon|d'après|d’après|via|par|by|credit|crédit|from|according to)\s*:?\s*(?:${AGS})(?:\s+(?:agency|agencies|agence|agences|wire|content))?$`,
    'iu',
  ),
  // "Ouest Littoral avec AFP", "The Daily Ledger staff with Reuters", "La rédaction avec AFP"
  new RegExp(String.raw`^[\p{L}\p{N}'’.&\- ]{2,45}\s(?:avec|with|and|et)\s+(?:${AGS})$`, 'iu'),
  // "Copyright 2025 The Associated Press. All rights reserved. This material may not…" (a bare
  // "© AFP" is a photo credit, below: it says who took the picture, not who wrote the text)
  new RegExp(
    String.raw`^(?:copyright\s*)?(?:©|\(c\))?\s*(?:\d{4}\s*)?(?:${AGS})\b.{0,40}(?:rights reserved|may not be|droits réservés|reproduction)`,
    'iu',
  ),
];

/** Lines credited to nobody in particular that are still sign-offs, not text. */
const SIGNOFF_PATTERNS: RegExp[] = [
  // Reuters: "(Reporting by Kari Lunde; Editing by Mark Heller)"
  /^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|edited|written|research|graphics)\s+by\b[^()]{0,250}\)?\.?$/i,
  // AP: "Associated Press writer Jane Doe in Lima contributed to this report."
  /^(?:the\s+)?associated press (?:writers?|reporters?|journalists?)\b.{0,150}\bcontributed\b.{0,60}$/i,
  // "© 2025 The Daily Ledger. All rights reserved."
  /^(?:©|copyright)\s*\d{4}\b.{0,120}$/i,
  /^(?:©|copyright)\b.{0,80}(?:all rights reserved|tous droits réservés)\.?$/i,
];

/** Photo credits and captions that slip into text blocks: "Photo : X / AFP", "(Reuters Photo)". */
const PHOTO_CREDIT_PATTERNS: RegExp[] = [
  /^\(?(?:photos?|crédits?(?:\s+photos?)?|credits?|illustration|image|picture|pictured|vidéo|video|infographie|graphic)\s*(?:d'illustration)?\s*[:©/-].{0,100}$/iu,
  new RegExp(String.raw`^\(?(?:${AGS})\s+(?:photos?|pictures?|images?|video|graphic)\)?\.?$`, 'iu'),
  new RegExp(String.raw`^[^.!?]{0,60}\s/\s(?:${AGS})$`, 'iu'),
  /^©\s*[\p{L}\p{N} .,'’/&-]{1,60}$/u,
];

const DATELINE = new RegExp(
  String.raw`^\s*(?:\p{Lu}[^\n()]{0,70}?)?\((${AG})(?:[/,][^)]{0,30})?\)\s*(?:[-—–:]|$)`,
  'u',
);

const CANONICAL: Array<[string, RegExp]> = AGENCIES.map(([canon, re]) => [
  canon,
  new RegExp(`^(?:${re})$`, 'i'),
]);

function canonical(name: string): string | null {
  const n = name.trim();
  for (const [canon, re] of CANONICAL) if (re.test(n)) return canon;
  return null;
}

const FIRST_AGENCY = new RegExp(String.raw`(?<![\p{L}\p{N}])(${AG})(?![\p{L}\p{N}])`, 'iu');

function firstAgency(s: string): string | null {
  const m = s.match(FIRST_AGENCY);
  return m?.[1] ? canonical(m[1]) : null;
}

/** Strip decoration around a credit: dashes, bullets, brackets, italics markers, final dot. */
function bare(line: string): string {
  return dropTrailing(line.trim().replace(/^[\s\-—–•*_|]+/, ''))
    .replace(/^\((.*)\)$/s, '$1')
    .trim();
}

const TRAILING = /[\s*_.]/;

/** `s` without its trailing run of spaces, stars, underscores and dots: a scan from the end, no regex pass over every line. */
function dropTrailing(s: string): string {
  let end = s.length;
  while (end > 0 && TRAILING.test(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** The agency a credit-only line names, or null when the line is not an agency credit. */
export function creditAgency(line: string): string | null {
  if (line.length > 400) return null;
  const b = bare(line);
  if (!b || b.length > 300) return null;
  for (const re of CREDIT_PATTERNS) if (re.test(b)) return firstAgency(b);
  return null;
}

/** Credit-only, sign-off or photo-credit line: never article text. */
export function isCreditLine(line: string): boolean {
  return creditAgency(line) !== null || isSignOff(line);
}

/** A sign-off or photo-credit line ("(Reporting by …)", "Photo : X / AFP"): isCreditLine without the agency credits. */
export function isSignOff(line: string): boolean {
  if (line.length > 400) return false;
  const t = line.trim();
  if (SIGNOFF_PATTERNS.some((re) => re.test(t))) return true;
  return t.length <= 120 && PHOTO_CREDIT_PATTERNS.some((re) => re.test(t));
}

/** Photo credits name the agency of the picture, not of the text. */
export function isPhotoCredit(line: string): boolean {
  const t = line.trim();
  return t.length <= 120 && PHOTO_CREDIT_PATTERNS.some((re) => re.test(t));
}

/** The agency of a dateline opening the first paragraph: "OSLO, March 5 (Reuters) -". */
export function datelineAgency(firstParagraph: string): string | null {
  const m = firstParagraph.match(DATELINE);
  return m?.[1] ? canonical(m[1]) : null;
}

/**
 * The dateline opening the first paragraph, without its closing dash:
 * "PARIS, 13 sept 2024 (AFP)". It stays in the text (it is part of the dispatch);
 * this is the same string, for readers who want place and date apart.
 */
export function readDateline(firstParagraph: string): string | null {
  const m = firstParagraph.match(DATELINE);
  if (!m?.[1] || !canonical(m[1])) return null;
  const line = m[0].replace(/(?<!\s)\s*[-—–:]\s*$/, '').trim();
  // A bare "(AFP) -" opening names no place or date: nothing to report beyond the agency.
  return /^\(/.test(line) ? null : line;
}

const STAMP_CREDIT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:avec|with|source\s*:|sources\s*:|selon|via)\s*(?:l'|l’|the\s+)?(${AG})(?![\p{L}\p{N}])`,
  'iu',
);

/** The agency a page stamp credits: "Publié le 13/09/2024 – La rédaction avec AFP". */
export function stampAgency(line: string): string | null {
  const m = line.length <= 200 ? line.match(STAMP_CREDIT) : null;
  return m?.[1] ? canonical(m[1]) : null;
}

const AGENCY_STAFF = new RegExp(
  String.raw`^(?:${AGS})(?:\s+(?:staff|writers?|reporters?|journalists?))?$`,
  'i',
);

/** Agency named in a byline such as "Ouest Littoral avec AFP" or "By Reuters staff". */
export function bylineAgency(byline: string): string | null {
  const b = bare(byline.replace(/^(?:par|by)\s+/i, ''));
  if (CREDIT_PATTERNS.some((re) => re.test(b))) return firstAgency(b);
  return AGENCY_STAFF.test(b) ? firstAgency(b) : null;
}
