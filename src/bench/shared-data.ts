import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared corpora sit beside the project checkout (`../shared`). WIRESIFT_SHARED
 * points elsewhere; the benches say clearly when neither exists.
 */
export function sharedDir(): string | null {
  const candidates = [
    process.env.WIRESIFT_SHARED,
    resolve(process.cwd(), '..', 'shared'),
    resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..', 'shared'),
    resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'shared'),
  ].filter((c): c is string => Boolean(c));
  return candidates.find((c) => existsSync(resolve(c, 'corpus'))) ?? null;
}

export function requireShared(what: string): string {
  const dir = sharedDir();
  if (!dir)
    throw new Error(`bench: ${what} needs the shared corpora (../shared or WIRESIFT_SHARED); none found`);
  return dir;
}
