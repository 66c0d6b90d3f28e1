import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

/** Runs a TypeScript file from source with tsx in a child process. */
export function spawnTsx(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), [file, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Spawns the CLI from source with tsx. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawnTsx(join(repoRoot, 'test', 'support', 'cli-entry.ts'), args, env);
}

/** Everything a child wrote, once it has exited. */
export function outputOf(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((res) => child.on('exit', (code) => res({ code, stdout, stderr })));
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return outputOf(spawnCli(args, env));
}
