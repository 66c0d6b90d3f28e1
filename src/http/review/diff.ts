import type { Similarity } from '../../dedup/exact-similarity.js';

export type DiffOp = { op: 'same' | 'add' | 'del'; text: string };

/** Words with their trailing whitespace, so joining the parts gives the text back. */
function words(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** LCS table cells above this fall back to "all removed, all added" for the middle part. */
const MAX_CELLS = 4_000_000;

/**
 * Word-level diff of `other` against `base`: common prefix and suffix first
 * (copies of one dispatch usually differ in a few places), then an LCS over
 * what is left. Words compare without their trailing whitespace.
 */
export function wordDiff(base: string, other: string): DiffOp[] {
  const a = words(base);
  const b = words(other);
  const key = (w: string) => w.trimEnd();
  let pre = 0;
  while (pre < a.length && pre < b.length && key(a[pre]!) === key(b[pre]!)) pre++;
  let suf = 0;
  while (
    suf < a.length - pre &&
    suf < b.length - pre &&
    key(a[a.length - 1 - suf]!) === key(b[b.length - 1 - suf]!)
  )
    suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const ops: DiffOp[] = [];
  const push = (op: DiffOp['op'], text: string) => {
    const last = ops.at(-1);
    if (last && last.op === op) last.text += text;
    else if (text) ops.push({ op, text });
  };
  push('same', b.slice(0, pre).join(''));
  if (am.length * bm.length > MAX_CELLS) {
    push('del', am.join(''));
    push('add', bm.join(''));
  } else {
    const n = am.length;
    const m = bm.length;
    // lcs[i][j] = LCS length of am[i..] and bm[j..]
    const lcs = new Uint32Array((n + 1) * (m + 1));
    const at = (i: number, j: number) => i * (m + 1) + j;
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[at(i, j)] =
          key(am[i]!) === key(bm[j]!)
            ? lcs[at(i + 1, j + 1)]! + 1
            : Math.max(lcs[at(i + 1, j)]!, lcs[at(i, j + 1)]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (key(am[i]!) === key(bm[j]!)) {
        push('same', bm[j]!);
        i++;
        j++;
      } else if (lcs[at(i + 1, j)]! >= lcs[at(i, j + 1)]!) push('del', am[i++]!);
      else push('add', bm[j++]!);
    }
    while (i < n) push('del', am[i++]!);
    while (j < m) push('add', bm[j++]!);
  }
  push('same', b.slice(b.length - suf).join(''));
  return ops;
}

export type CopyKind = 'representative' | 'same' | 'short' | 'updated' | 'different';

/**
 * How a member relates to the representative: a short copy is much shorter
 * and mostly contained in it; an updated one came later and adds to it.
 */
export function copyKind(
  sim: Similarity,
  repTokens: number,
  laterThanRep: boolean,
  isRep: boolean,
): CopyKind {
  if (isRep) return 'representative';
  if (sim.jaccard >= 0.95) return 'same';
  if (sim.tokens < repTokens * 0.8 && sim.containment >= 0.5) return 'short';
  if (laterThanRep && sim.tokens >= repTokens && sim.containment >= 0.5) return 'updated';
  if (sim.containment >= 0.5) return laterThanRep ? 'updated' : 'same';
  return 'different';
}
