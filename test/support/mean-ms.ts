/** Mean milliseconds per call of fn over reps calls, after three warm-up calls: for same-run speed ratios. */
export function meanMs(fn: () => unknown, reps: number): number {
  for (let i = 0; i < 3; i++) fn();
  const start = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - start) / reps;
}
