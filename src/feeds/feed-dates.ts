const ISO_WITHOUT_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?$/;
const HAS_YEAR = /(?:^|\D)\d{4}(?:\D|$)/;

/**
 * A feed date (RFC 822 in RSS, W3C-DTF / RFC 3339 in Atom, RDF's dc:date and
 * JSON Feed) as ISO 8601 UTC, or null. A date-time without a zone is read as
 * UTC, not as this machine's local time, so the result never depends on where
 * the worker runs. Strings without a four-digit year are refused: V8 reads
 * "5" as a date in 2001.
 */
export function feedDate(value: string | undefined | null): string | null {
  const s = value?.trim().slice(0, 100);
  if (!s || !HAS_YEAR.test(s)) return null;
  const ms = Date.parse(ISO_WITHOUT_ZONE.test(s) ? `${s}Z` : s);
  if (!Number.isFinite(ms)) return null;
  try {
    return new Date(ms).toISOString();
  } catch {
    return null;
  }
}

/** The first of `values` that is a date. */
export function firstDate(...values: Array<string | undefined | null>): string | null {
  for (const v of values) {
    const d = feedDate(v);
    if (d) return d;
  }
  return null;
}
