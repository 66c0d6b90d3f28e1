/**
 * What learned boilerplate counts of a page (src/store/boilerplate-stats.ts
 * keeps the counts): its domain, and the distinct lines of its extracted body
 * as the boilerplate matcher compares them.
 */
import { matchKey } from './text-normalize.js';

/** The key a domain's counts live under: the host, lowercased, without "www.". */
export function boilerplateDomain(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/** Distinct candidate lines of an extracted body, as match keys; longer lines are never template. */
export function candidateLines(text: string, maxLineChars: number): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.length > maxLineChars) continue;
    const key = matchKey(trimmed);
    if (key) out.add(key);
  }
  return [...out];
}
