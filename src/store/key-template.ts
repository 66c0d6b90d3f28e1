/**
 * A key builder split around its id, for the Lua side: scripts given a
 * [prefix, suffix] pair build the keys of ids they only learn as they run.
 */
export function keyTemplate(build: (id: string) => string): [string, string] {
  const marker = '\u0000';
  const key = build(marker);
  const at = key.indexOf(marker);
  if (at < 0 || key.indexOf(marker, at + 1) >= 0)
    throw new Error('store: key builder must use its id exactly once');
  return [key.slice(0, at), key.slice(at + 1)];
}
