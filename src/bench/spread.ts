/** A bench figure over its rounds: the median, and the range as its spread. */
export type Spread = { median: number; min: number; max: number };

export function spreadOf(samples: number[], decimals = 1): Spread {
  if (samples.length === 0) throw new Error('bench: a spread needs at least one round');
  const sorted = [...samples].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const round = (x: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;
  return { median: round(median), min: round(sorted[0]!), max: round(sorted.at(-1)!) };
}

/** Round by round ratios of two figures measured in the same rounds. */
export function ratiosOf(numerators: number[], denominators: number[]): number[] {
  return numerators.map((n, r) => n / denominators[r]!);
}

/**
 * The contenders' order in round (or page) r: rotated each time, so none
 * always runs right after the same one (and pays for its garbage).
 */
export function rotated<T>(items: readonly T[], r: number): T[] {
  const s = r % items.length;
  return [...items.slice(s), ...items.slice(0, s)];
}
