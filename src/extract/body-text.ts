/**
 * Turn the main content's blocks into article paragraphs: drop link lists, configured
 * boilerplate, agency credits and sign-offs, the headline and byline repeated in the
 * body, publication stamps and headings left with nothing under them.
 */

import type { AnyNode, Element } from 'domhandler';
import { creditAgency, datelineAgency, isSignOff, stampAgency } from './agency.js';
import type { BoilerplateMatcher } from './boilerplate.js';
import { isElement, isLink } from './dom.js';
import { listOfText } from './list-items.js';
import { isPageNote, isReaderPrompt } from './reader-prompts.js';
import type { TextBlock } from './text-blocks.js';
import { matchKey } from './text-normalize.js';

export type BodyText = {
  paragraphs: string[];
  /** Agencies named by the credit lines that were removed, in order. */
  creditedAgencies: string[];
};

/**
 * A publication or update stamp: its word opens the line, a date or time follows. English,
 * French, German, Spanish, Italian, Portuguese and Dutch.
 */
const STAMP =
  /^(?:published|updated|posted|last updated|publié|publiée|mis à jour|mis en ligne|modifié|actualisé|veröffentlicht|aktualisiert|zuletzt aktualisiert|publicado|publicada|actualizado|actualizada|atualizado|atualizada|pubblicato|pubblicata|aggiornato|aggiornata|gepubliceerd|bijgewerkt)(?![\p{L}\p{N}]).{0,70}\d.{0,30}$/iu;
/** "5 min read", "Lecture : 3 min", "Lesezeit: 4 Minuten", "Tiempo de lectura: 2 minutos", "Lettura 3 min". */
const READING_TIME =
  /^(?:(?:temps de )?lecture|reading time|read time|lesezeit|(?:tiempo de )?lectura|(?:tempo di )?lettura|(?:tempo de )?leitura|leestijd)?\s*:?\s*\d{1,2}\s*min(?:utes?|uten|utos?|uti|\.)?(?:\s*(?:read|de lecture|de lectura|di lettura|de leitura|lesezeit|leestijd))?\.?$/iu;

const SENTENCE_END = /[.!?…"”»)]$/;
/** Sections a round-up has, at least, when its headings link what they review. */
const MIN_LINKED_SECTIONS = 3;
const MONTHS = 'jan|feb|f[eé]v|mar|apr|avr|may|mai|jun|juin|jul|juil|aug|ao[uû]t|sep|oct|nov|dec|d[eé]c';
/**
 * Month names after the day ("13. März", "13 de marzo", "13 maart"): German, Spanish,
 * Italian, Portuguese and Dutch ones beside those, by the start they share. Only after a
 * number: alone, "ene" or "abr" open English words ("energy", "abroad"). Those that open
 * English words after a number too ("3 out of 5", "4 settings") count only with a year.
 */
const DAY_MONTHS = `${MONTHS}|m[äa]r|abr|mei|giu|lug|ago|okt|ott|dez|dic|ene|fev`;
const DAY_MONTHS_WITH_YEAR = 'gen|mag|set|out';
// (?<![\p{L}\p{N}]): a word edge that knows letters past ASCII.
const DATE = new RegExp(
  `\\d{1,4}[./-]\\d{1,2}[./-]\\d{2,4}|\\b\\d{1,2}[:h]\\d{2}\\b|\\b(?:${MONTHS})[a-zéû]*\\.?\\s+\\d{1,2}\\b|(?<![\\p{L}\\p{N}])\\d{1,2}(?:er|\\.)?\\s+(?:de\\s+)?(?:(?:${DAY_MONTHS})|(?:${DAY_MONTHS_WITH_YEAR})\\p{L}*\\.?\\s+(?:de\\s+)?\\d{4})`,
  'iu',
);

/**
 * A wire dateline on its own line ("TOULOUSE, 13 sept 2024 (AFP) -") also has a date
 * and no sentence, but it opens the dispatch: it names an agency, or ends with the
 * dash or colon that leads into the text.
 */
function isLeadingStamp(text: string): boolean {
  if (text.length > 100 || /[.!?]$/.test(text) || !DATE.test(text)) return false;
  return !/[-—–:]$/.test(text) && datelineAgency(text) === null;
}

// (?<!\s): a run of spaces is tried from its first one only, which keeps the scan linear.
const TITLE_PARTS = /(?<!\s)\s+(?:[|–—·•-]|::)\s+/;

/**
 * Keys of the lines that repeat the headline: the title, and the title without its first
 * or last part when a site name the metadata could not tell apart is left on it
 * ("Le Courrier – Headline" over a cell opening on "Headline").
 */
function headlineKeys(title: string | null): Set<string> {
  const keys = new Set<string>();
  if (!title) return keys;
  keys.add(matchKey(title));
  const parts = title.split(TITLE_PARTS);
  if (parts.length > 1) {
    for (const rest of [parts.slice(1), parts.slice(0, -1)]) {
      const key = matchKey(rest.join(' '));
      if (key.split(' ').length >= 3) keys.add(key);
    }
  }
  keys.delete('');
  return keys;
}

/** A stamp that credits an agency ("… – La rédaction avec AFP") says who wrote the text. */
function creditStamp(line: string, agencies: string[]): void {
  const agency = stampAgency(line);
  if (agency) agencies.push(agency);
}

export type BodyContext = { boilerplate: BoilerplateMatcher; title: string | null; byline: string | null };

export function bodyText(blocks: TextBlock[], ctx: BodyContext): BodyText {
  const titleKeys = headlineKeys(ctx.title);
  const bylineKey = ctx.byline ? matchKey(ctx.byline) : '';
  const creditedAgencies: string[] = [];
  const kept: Array<{ text: string; heading: boolean; linked: boolean }> = [];
  const itemOfText = listOfText(blocks);

  // Whether text has begun: an <h1> above it is the page's headline, one after it heads a
  // section (blog platforms set their section titles as <h1>).
  let textBegun = false;
  for (const b of blocks) {
    if (b.owner.name === 'h1' && !textBegun) continue;
    const len = b.text.length;
    const lines = b.text.split('\n');
    const keptLines: string[] = [];
    for (const line of lines) {
      const agency = creditAgency(line);
      if (agency) {
        creditedAgencies.push(agency);
        continue;
      }
      const key = matchKey(line);
      if (ctx.boilerplate.isBoilerplate(line, lines.length === 1 ? b.outsideLinks : undefined, key)) continue;
      if (isSignOff(line)) continue;
      if (line.length <= 120 && (STAMP.test(line) || READING_TIME.test(line))) {
        creditStamp(line, creditedAgencies);
        continue;
      }
      if (titleKeys.has(key)) continue;
      if (bylineKey && (key === bylineKey || key === `by ${bylineKey}` || key === `par ${bylineKey}`))
        continue;
      keptLines.push(line);
    }
    if (!keptLines.length) continue;
    // Link lists (related stories, tag clouds) are not text, however long; a heading that
    // links its subject ("<h3><a>The game</a> ($30)</h3>" in a round-up) heads the text
    // that follows it, and is kept when text does (see below).
    const linked =
      b.linkChars > len * 0.5 &&
      !linkedSentence(b) &&
      !linkedDataCell(b) &&
      !(b.heading ? false : itemOfText(b));
    if (linked && !b.heading) continue;
    kept.push({ text: keptLines.join('\n'), heading: b.heading, linked });
    if (!b.heading && !linked) textBegun = true;
  }
  // Linked headings head sections of a round-up when several of them have text under them;
  // one alone is a link to another story dropped in the text, and one with a heading or
  // nothing after it is a list of links.
  const heads = (i: number) => i + 1 < kept.length && !kept[i + 1]!.heading;
  let sections = 0;
  for (let i = 0; i < kept.length; i++) if (kept[i]!.linked && heads(i)) sections++;
  for (let i = kept.length - 1; i >= 0; i--) {
    const k = kept[i]!;
    if (k.linked && (sections < MIN_LINKED_SECTIONS || !heads(i))) kept.splice(i, 1);
  }

  // Dates on the lines above the text are the page's stamp ("By Jane Doe - 11/18/19 11:04 PM"),
  // however the site words it; a story never opens on a date without a sentence.
  for (let i = 0; i < 2 && i < kept.length; ) {
    const k = kept[i]!;
    if (!k.heading && isLeadingStamp(k.text)) {
      creditStamp(k.text, creditedAgencies);
      kept.splice(i, 1);
    } else i++;
  }
  // Past the opening paragraph, a prompt to the reader about the outlet is the template's;
  // a note about the page ("this story has been updated") is, wherever it sits.
  for (let i = kept.length - 1; i >= 0; i--) {
    const k = kept[i]!;
    if (!k.heading && (isPageNote(k.text) || (i >= 1 && isReaderPrompt(k.text)))) kept.splice(i, 1);
  }
  // A heading is only content when text follows it.
  while (kept.length && kept[kept.length - 1]!.heading) kept.pop();
  return { paragraphs: kept.map((k) => k.text), creditedAgencies };
}

/**
 * A sentence that links a few of its words ("X faces <a>a charge of …</a>.") is text,
 * however much of it the link covers; a link list or a "follow us on A, B, C and D"
 * line has many links and little prose between them.
 */
function linkedSentence(b: TextBlock): boolean {
  if (b.links > 3) return false;
  let words = 0;
  for (const w of b.outsideLinks.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(w)) words++;
  if (words < 3 * Math.max(1, b.links)) return false;
  if (SENTENCE_END.test(b.text)) return true;
  // Without its full stop (a bullet point, a changelog entry) a clause of its own around the
  // link still reads as text; "Write to <a>jane@example.com</a>" is a call to write, not a clause.
  return words >= UNPUNCTUATED_CLAUSE_WORDS * b.links && !b.text.includes('@');
}

/** Rows a table needs for its cells to be data (a list of works, results), not a layout. */
const MIN_DATA_ROWS = 3;

/**
 * A cell of a data table that links its subject (a film, a team, a bill: "<th><a>Title</a></th>"
 * beside its year and description) is data of the article. A layout table's menu cell holds
 * many links, and its row no text of its own.
 */
function linkedDataCell(b: TextBlock): boolean {
  if (b.links !== 1 || b.text.length > 120) return false;
  let cell: Element | null = b.owner;
  for (let i = 0; cell && i < 4 && cell.name !== 'td' && cell.name !== 'th'; i++)
    cell = cell.parent as Element | null;
  if (!cell || (cell.name !== 'td' && cell.name !== 'th')) return false;
  const row = cell.parent as Element | null;
  if (row?.name !== 'tr') return false;
  // Another cell of the row says something outside links.
  let prose = false;
  for (const c of row.children) {
    if (c === cell || !isElement(c) || (c.name !== 'td' && c.name !== 'th')) continue;
    if (plainTextOf(c).trim()) prose = true;
  }
  if (!prose) return false;
  let rows = 0;
  for (const sib of (row.parent as Element | null)?.children ?? [])
    if (isElement(sib) && sib.name === 'tr') rows++;
  return rows >= MIN_DATA_ROWS;
}

/** Text of an element outside its links (an explicit stack: a cell nests as deep as it likes). */
function plainTextOf(el: Element): string {
  let out = '';
  const pending: AnyNode[] = [...el.children];
  while (pending.length) {
    const n = pending.pop()!;
    if (n.type === 'text') out += n.data;
    else if (isElement(n) && !isLink(n)) pending.push(...n.children);
  }
  return out;
}

/** Words outside its links an unpunctuated line needs per link to be a sentence, not a call to follow them. */
const UNPUNCTUATED_CLAUSE_WORDS = 5;
