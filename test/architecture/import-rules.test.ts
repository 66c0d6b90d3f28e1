import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports, describeViolations, parseRules, relativeImports, roomOf } from './import-rules.js';

const root = join(import.meta.dirname, '..', '..');
const rules = parseRules(readFileSync(join(root, 'docs/architecture.md'), 'utf8'));

function tsFiles(dir: string, recursive: boolean): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return recursive ? tsFiles(path, true) : [];
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

function sources(): Map<string, string> {
  const paths = [...tsFiles('src', true), ...tsFiles('workers', false)];
  return new Map(paths.map((p) => [relative(root, join(root, p)), readFileSync(join(root, p), 'utf8')]));
}

describe('import rules (docs/architecture.md)', () => {
  it('every room has a row, and every row is a room', () => {
    const rooms = new Set([...sources().keys()].map((f) => roomOf(f)!));
    expect([...rules.mayImport.keys()].sort()).toEqual([...rooms].sort());
    for (const [room, targets] of rules.mayImport)
      for (const t of targets) expect(rooms.has(t), `${room} may import unknown room ${t}`).toBe(true);
  });

  it('no file imports a room its room may not import', () => {
    const violations = checkImports(sources(), rules);
    expect(violations, `forbidden imports:\n${describeViolations(violations)}`).toEqual([]);
  });

  it('every edge allowed for now is still there and says why (remove its row once the edge is gone)', () => {
    const files = sources();
    const none = {
      mayImport: new Map([...rules.mayImport.keys()].map((r) => [r, new Set<string>()])),
      allowedForNow: new Map(),
    };
    const seen = new Set(checkImports(files, none).map((v) => `${v.from} -> ${v.to}`));
    for (const [edge, why] of rules.allowedForNow) {
      expect(seen.has(edge), `${edge} is allowed for now but no file imports it`).toBe(true);
      expect(why.length, `${edge} says why`).toBeGreaterThan(10);
      const [from, to] = edge.split(' -> ');
      expect(rules.mayImport.get(from!)?.has(to!), `${edge} is both a rule and an exception`).toBe(false);
    }
  });

  it('fails on a deliberate violation, naming the edge and the file', () => {
    const files = new Map([
      ['src/store/leak.ts', "import { placementFor } from '../dedup/cluster-policy.js';\n"],
      ['src/net/leak.ts', "export type { Keys } from '../store/keys.js';\n"],
      ['src/bench/leak.ts', "const m = await import('../cli/usage-error.js');\n"],
      ['src/store/fine.ts', "import { keysFor } from './keys.js';\n"],
    ]);
    const violations = checkImports(files, rules);
    expect(describeViolations(violations).split('\n')).toEqual([
      "store -> dedup: src/store/leak.ts imports '../dedup/cluster-policy.js'",
      "net -> store: src/net/leak.ts imports '../store/keys.js'",
      "bench -> cli: src/bench/leak.ts imports '../cli/usage-error.js'",
    ]);
  });

  it('reads every form of relative import, and no package import', () => {
    const source = [
      "import type { A } from './a.js';",
      "import {\n  b,\n  c,\n} from '../b.js';",
      "export { d } from './d.js';",
      "export * from '../e.js';",
      "import './side-effect.js';",
      "const f = await import('./f.js');",
      "import { g } from 'ioredis';",
      'type J = typeof import("jsdom");',
    ].join('\n');
    expect(relativeImports(source)).toEqual([
      './a.js',
      '../b.js',
      './d.js',
      '../e.js',
      './side-effect.js',
      './f.js',
    ]);
  });

  it('maps files to rooms', () => {
    expect(roomOf('src/http/review/plugin.ts')).toBe('http');
    expect(roomOf('src/cli.ts')).toBe('cli');
    expect(roomOf('src/config.ts')).toBe('config');
    expect(roomOf('workers/feeds.ts')).toBe('workers');
    expect(roomOf('bench/dedup-corpus.ts')).toBeNull();
  });
});
