/**
 * The import rules of docs/architecture.md, checked over source text. The doc's
 * tables are the rules (read between its import-rules markers), so the page
 * and the check cannot drift apart.
 */
import { posix } from 'node:path';

export type ImportRules = {
  /** Room -> the rooms its files may import. */
  mayImport: Map<string, Set<string>>;
  /** "from -> to" edges allowed for now, each with why. */
  allowedForNow: Map<string, string>;
};

export type Violation = { from: string; to: string; file: string; specifier: string };

const ARROW = /^`([\w-]+)`\s*(?:→|->)\s*`([\w-]+)`$/;

/** Reads the two tables between `<!-- import-rules:start -->` and `<!-- import-rules:end -->`. */
export function parseRules(markdown: string): ImportRules {
  const start = markdown.indexOf('<!-- import-rules:start -->');
  const end = markdown.indexOf('<!-- import-rules:end -->');
  if (start < 0 || end < start) throw new Error('docs/architecture.md: import-rules markers not found');
  const mayImport = new Map<string, Set<string>>();
  const allowedForNow = new Map<string, string>();
  for (const line of markdown.slice(start, end).split('\n')) {
    if (!line.startsWith('|') || /^\|\s*(:?-{3,}|Room\b|Edge\b)/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const edge = ARROW.exec(cells[0] ?? '');
    if (edge) {
      allowedForNow.set(`${edge[1]} -> ${edge[2]}`, cells[1] ?? '');
      continue;
    }
    const room = /^`([\w-]+)`$/.exec(cells[0] ?? '')?.[1];
    if (!room) throw new Error(`docs/architecture.md: cannot read the rule row ${line}`);
    const targets = [...(cells[cells.length - 1] ?? '').matchAll(/`([\w-]+)`/g)].map((m) => m[1]!);
    mayImport.set(room, new Set(targets));
  }
  return { mayImport, allowedForNow };
}

/** The room of a repository path: src/<folder>/…, src/<file>.ts (src/cli.ts is cli's), workers/*.ts. */
export function roomOf(path: string): string | null {
  const parts = path.split('/');
  if (parts[0] === 'workers' && parts.length === 2) return 'workers';
  if (parts[0] !== 'src' || parts.length < 2) return null;
  if (parts.length > 2) return parts[1]!;
  return parts[1]!.replace(/\.[jt]s$/, '');
}

const IMPORT =
  /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]*)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)|^\s*import\s*['"](\.{1,2}\/[^'"]*)['"]/gm;

/** Relative specifiers a file imports: import … from, export … from, import('…'), import '…'. */
export function relativeImports(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** Every import from one room into another the rules do not allow; `files` maps repository paths to source. */
export function checkImports(files: Map<string, string>, rules: ImportRules): Violation[] {
  const out: Violation[] = [];
  for (const [file, source] of files) {
    const from = roomOf(file);
    if (!from) continue;
    for (const specifier of relativeImports(source)) {
      const target = posix.normalize(posix.join(posix.dirname(file), specifier));
      const to = roomOf(target) ?? `outside (${target})`;
      if (to === from) continue;
      if (rules.mayImport.get(from)?.has(to)) continue;
      if (rules.allowedForNow.has(`${from} -> ${to}`)) continue;
      out.push({ from, to, file, specifier });
    }
  }
  return out;
}

export function describeViolations(violations: Violation[]): string {
  return violations.map((v) => `${v.from} -> ${v.to}: ${v.file} imports '${v.specifier}'`).join('\n');
}
