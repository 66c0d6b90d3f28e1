import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface RegexSite {
  file: string;
  line: number;
  source: string;
  flags: string;
}

// After these tokens a `/` starts a regular expression, not a division.
const BEFORE_REGEX = new Set('(,=:[!&|?{};+-*%<>~^'.split(''));
const KEYWORDS_BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'case',
  'in',
  'of',
  'void',
  'throw',
  'else',
  'do',
]);

/**
 * Every regular-expression literal of a TypeScript file, found by a small lexer that
 * skips comments, strings and template text (so a `/` inside them is not taken for a
 * regex). Regexes built with `new RegExp(...)` are collected at run time instead.
 */
export function regexLiteralsOf(text: string, file: string): RegexSite[] {
  const out: RegexSite[] = [];
  let i = 0;
  let line = 1;
  let prev = ';'; // last significant token: a punctuator, or the last word
  const templateDepth: number[] = []; // brace depth at which each open `${` resumes a template
  let braces = 0;
  const n = text.length;
  const skipString = (q: string) => {
    i++;
    while (i < n && text[i] !== q) {
      if (text[i] === '\\') i++;
      else if (text[i] === '\n') line++;
      i++;
    }
    i++;
  };
  const skipTemplate = () => {
    // From just after a backtick or a closing `}` of `${…}`: to the end or the next `${`.
    while (i < n) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        return;
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2;
        templateDepth.push(braces);
        braces++;
        return;
      } else {
        if (c === '\n') line++;
        i++;
      }
    }
  };
  while (i < n) {
    const c = text[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
    } else if (c === "'" || c === '"') {
      skipString(c);
      prev = 'str';
    } else if (c === '`') {
      i++;
      skipTemplate();
      prev = 'str';
    } else if (c === '/' && (BEFORE_REGEX.has(prev) || KEYWORDS_BEFORE_REGEX.has(prev))) {
      const start = i + 1;
      let j = start;
      let inClass = false;
      while (j < n && text[j] !== '\n') {
        const d = text[j];
        if (d === '\\') j += 2;
        else if (d === '[') {
          inClass = true;
          j++;
        } else if (d === ']') {
          inClass = false;
          j++;
        } else if (d === '/' && !inClass) break;
        else j++;
      }
      const source = text.slice(start, j);
      let k = j + 1;
      while (k < n && /[a-z]/.test(text[k] as string)) k++;
      out.push({ file, line, source, flags: text.slice(j + 1, k) });
      i = k;
      prev = 'regex';
    } else if (/[A-Za-z_$0-9]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z_$0-9]/.test(text[j] as string)) j++;
      prev = text.slice(i, j);
      i = j;
    } else {
      if (c === '{') braces++;
      else if (c === '}') {
        braces--;
        if (templateDepth.length && templateDepth[templateDepth.length - 1] === braces) {
          templateDepth.pop();
          i++;
          skipTemplate();
          prev = 'str';
          continue;
        }
      }
      prev = c;
      i++;
    }
  }
  return out;
}

export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const p = join(root, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

export function regexLiteralsUnder(root: string, base: string): RegexSite[] {
  return sourceFiles(root).flatMap((f) => regexLiteralsOf(readFileSync(f, 'utf8'), relative(base, f)));
}
