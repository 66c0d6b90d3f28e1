import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

type Version = [number, number, number];

function parse(v: string): Version {
  const [a = 0, b = 0, c = 0] = v
    .replace(/^[v=]/, '')
    .split('.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : 0));
  return [a, b, c];
}

function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Enough of npm's range grammar for `engines` fields: `>=`, `<`, `^`, `~`, `x`, `||`, hyphen-free. */
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alt) =>
    alt
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter((c) => c && c !== '*' && c !== 'x')
      .every((c) => {
        const m = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(c)!;
        const op = m[1] ?? '';
        const v = parse(m[2] ?? '0');
        const d = cmp(version, v);
        if (op === '>=') return d >= 0;
        if (op === '>') return d > 0;
        if (op === '<=') return d <= 0;
        if (op === '<') return d < 0;
        if (op === '^') return d >= 0 && version[0] === v[0];
        if (op === '~') return d >= 0 && version[0] === v[0] && version[1] === v[1];
        // a bare "20" or "20.x" means that major
        const parts = (m[2] ?? '').split('.').filter((p) => /^\d+$/.test(p)).length;
        return parts >= 3 ? d === 0 : version[0] === v[0] && (parts < 2 || version[1] === v[1]);
      }),
  );
}

describe('dependencies run on the Node.js the README names', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  const minimum = parse(String(pkg.engines.node).replace(/^>=\s*/, ''));

  it('the range check reads npm ranges as npm does', () => {
    expect(satisfies([20, 19, 0], '>=22')).toBe(false);
    expect(satisfies([20, 19, 0], '>=18')).toBe(true);
    expect(satisfies([20, 19, 0], '^18.17.0 || >=20.5.0')).toBe(true);
    expect(satisfies([20, 19, 0], '^20.19.0 || ^22.12.0 || >=23')).toBe(true);
    expect(satisfies([20, 10, 0], '^20.19.0 || ^22.12.0 || >=23')).toBe(false);
    expect(satisfies([20, 19, 0], '>= 14')).toBe(true);
    expect(satisfies([20, 19, 0], '20 || >=22')).toBe(true);
  });

  it(`every package in package-lock.json accepts Node ${minimum.join('.')} (no EBADENGINE at npm ci)`, () => {
    const refused: string[] = [];
    for (const [path, entry] of Object.entries<{ engines?: { node?: string } | string[]; dev?: boolean }>(
      lock.packages,
    )) {
      const node = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (path && node && !satisfies(minimum, node)) refused.push(`${path} wants node ${node}`);
    }
    expect(refused).toEqual([]);
  });
});
