import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

function measure(): Promise<{ slowdown: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), [
      join(repoRoot, 'test', 'support', 'string-method-speed.ts'),
    ]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`string-method-speed exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as { slowdown: number });
    });
  });
}

describe('the runtime our dependencies leave us', () => {
  // A ratio within one process, not a time: string.charCodeAt() against the
  // same builtin through .call(). Healthy: about 1. With ioredis 6 loaded: 5.
  it('keeps string method calls inlined once every module is loaded', async () => {
    const { slowdown } = await measure();
    expect(slowdown).toBeLessThan(2);
  }, 60_000);
});
