import { readFileSync } from 'node:fs';

const INCLUDE = /^--- @include "([\w-]+)"\s*$/gm;

/**
 * The text of one of this folder's .lua scripts, with its `--- @include "name"`
 * lines replaced by name.lua (BullMQ's convention), read once per process. The
 * build copies the .lua files next to the compiled modules (package.json
 * "build"), so the same relative URL works from src/ and dist/.
 */
export function loadLua(name: string, seen: Set<string> = new Set()): string {
  if (seen.has(name)) throw new Error(`store: Lua include cycle through ${name}.lua`);
  const cached = cache.get(name);
  if (cached) return cached;
  const text = readFileSync(new URL(`./${name}.lua`, import.meta.url), 'utf8');
  const next = new Set(seen).add(name);
  const out = text.replace(INCLUDE, (_, inc: string) => loadLua(inc, next));
  cache.set(name, out);
  return out;
}

const cache = new Map<string, string>();
