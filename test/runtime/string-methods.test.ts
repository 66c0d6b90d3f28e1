import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputOf, repoRoot, spawnTsx } from '../support/cli.js';

async function measure(): Promise<{ slowdown: number }> {
  const { code, stdout, stderr } = await outputOf(
    spawnTsx(join(repoRoot, 'test', 'support', 'string-method-speed.ts')),
  );
  if (code !== 0) throw new Error(`string-method-speed exited ${code}: ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as { slowdown: number };
}

describe('the runtime our dependencies leave us', () => {
  // A ratio within one process, not a time: string.charCodeAt() against the
  // same builtin through .call(). Healthy: about 1. With ioredis 6 loaded: 5.
  it('keeps string method calls inlined once every module is loaded', async () => {
    const { slowdown } = await measure();
    expect(slowdown).toBeLessThan(2);
  }, 60_000);
});
