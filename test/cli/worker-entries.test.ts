import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/app/roles.js';
import { outputOf, repoRoot, spawnTsx } from '../support/cli.js';

describe('workers/<role>.ts entry points', () => {
  const entries = readdirSync(join(repoRoot, 'workers')).filter((f) => f.endsWith('.ts'));

  it('there is one per role a process can run alone, and no other', () => {
    expect(entries.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(
      ROLES.filter((r) => r !== 'all').sort(),
    );
  });

  it('each is `wiresift run --role <role>`: it takes the run options, and a bad one is refused', async () => {
    const help = await outputOf(spawnTsx(join(repoRoot, 'workers', 'dedup.ts'), ['--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/wiresift run \[--role R\]/);
    const bad = await outputOf(spawnTsx(join(repoRoot, 'workers', 'feeds.ts'), ['--no-such-option']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no-such-option/);
  }, 60_000);
});
