/**
 * Page dates come in many shapes: ISO with or without an offset, "27/01/2025 12h35",
 * "20250721". A time without an offset is read in the page's own time zone (Paris
 * for French pages), since that is how newsroom CMSes print local publication times.
 */

export type ParsedDate = { iso: string; precision: 'zoned' | 'local' | 'day' };

function offsetMinutes(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - utcMs) / 60000);
}

/** Wall-clock time in a zone -> UTC ms (two passes settle DST edges). */
function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, tz: string): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  let utc = naive - offsetMinutes(naive, tz) * 60000;
  utc = naive - offsetMinutes(utc, tz) * 60000;
  return utc;
}

function valid(y: number, mo: number, d: number, h = 0, mi = 0): boolean {
  return y >= 1990 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59;
}

function toIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

export function parseDate(raw: string | null | undefined, localZone: string): ParsedDate | null {
  const s = raw?.trim();
  if (!s) return null;

  // ISO 8601 (also "2025-03-05 10:16:00+01:00").
  let m = s.match(
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|UTC|GMT)?)?$/i,
  );
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[4] === undefined)
      return valid(y, mo, d) ? { iso: toIso(Date.UTC(y, mo - 1, d)), precision: 'day' } : null;
    const [h, mi, sec] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    if (!valid(y, mo, d, h, mi)) return null;
    const zone = m[7];
    if (zone) {
      let off = 0;
      if (!/^(?:z|utc|gmt)$/i.test(zone)) {
        const z = zone.replace(':', '');
        off = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5) || 0));
      }
      return { iso: toIso(Date.UTC(y, mo - 1, d, h, mi, sec) - off * 60000), precision: 'zoned' };
    }
    return { iso: toIso(zonedToUtc(y, mo, d, h, mi, sec, localZone)), precision: 'local' };
  }

  // European day-first: 27/01/2025, 27.01.2025 12h35, 27-01-2025 à 12:35
  m = s.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\D{1,4}(\d{1,2})\s*[h:]\s*(\d{2})?)?/i);
  if (m) {
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[4] === undefined)
      return valid(y, mo, d) ? { iso: toIso(Date.UTC(y, mo - 1, d)), precision: 'day' } : null;
    const [h, mi] = [Number(m[4]), Number(m[5] ?? 0)];
    if (!valid(y, mo, d, h, mi)) return null;
    return { iso: toIso(zonedToUtc(y, mo, d, h, mi, 0, localZone)), precision: 'local' };
  }

  // Compact 20250721 or 20250721T0745
  m = s.match(/^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2}))?$/);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!valid(y, mo, d)) return null;
    if (m[4] === undefined) return { iso: toIso(Date.UTC(y, mo - 1, d)), precision: 'day' };
    return { iso: toIso(zonedToUtc(y, mo, d, Number(m[4]), Number(m[5]), 0, localZone)), precision: 'local' };
  }

  // Anything else with an explicit zone that the JS parser understands (RFC 2822 and the like).
  if (/(?:GMT|UTC|[+-]\d{4}|\bZ\b)/.test(s)) {
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return { iso: toIso(ms), precision: 'zoned' };
  }
  return null;
}

const RANK = { zoned: 0, local: 1, day: 2 } as const;

/** The first candidate of the best precision: a zoned timestamp beats a local one beats a bare day. */
export function bestDate(candidates: Array<string | null | undefined>, localZone: string): string | null {
  let best: ParsedDate | null = null;
  for (const c of candidates) {
    const p = parseDate(c, localZone);
    if (p && (!best || RANK[p.precision] < RANK[best.precision])) best = p;
  }
  return best?.iso ?? null;
}
