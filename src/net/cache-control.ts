/**
 * Seconds a response may be reused according to Cache-Control, or undefined
 * when it says nothing usable. no-store / no-cache mean "ask every time".
 */
export function maxAgeSeconds(cacheControl: string | undefined): number | undefined {
  if (!cacheControl) return undefined;
  let maxAge: number | undefined;
  for (const part of cacheControl.toLowerCase().split(',')) {
    const [name, value] = part
      .trim()
      .split('=', 2)
      .map((s) => s?.trim());
    if (name === 'no-store' || name === 'no-cache') return undefined;
    if (name === 'max-age' && value !== undefined) {
      const n = Number(value.replace(/^"|"$/g, ''));
      if (Number.isInteger(n) && n >= 0) maxAge = n;
    }
  }
  return maxAge;
}
