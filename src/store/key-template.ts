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

/**
 * A key builder of the LSH index, (index tag, id) → key, as [prefix, middle]:
 * Lua builds prefix .. tag .. middle .. id.
 */
export function taggedTemplate(build: (tag: string, id: string) => string): [string, string] {
  const key = build('\u0001', '\u0002');
  const t = key.indexOf('\u0001');
  const i = key.indexOf('\u0002');
  if (t < 0 || i !== key.length - 1 || i < t) throw new Error('store: a tagged key must end with its id');
  return [key.slice(0, t), key.slice(t + 1, i)];
}
