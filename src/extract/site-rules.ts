import type { SiteRule } from './types.js';

/** The rule for a URL's host: an exact key, else the longest key it is a subdomain of. */
export function siteRuleFor(
  url: string | undefined,
  rules: Record<string, SiteRule> | undefined,
): SiteRule | null {
  if (!url || !rules) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
  let best: { key: string; rule: SiteRule } | null = null;
  for (const [rawKey, rule] of Object.entries(rules)) {
    const key = rawKey
      .trim()
      .toLowerCase()
      .replace(/^\*?\./, '');
    if (!key) continue;
    if ((host === key || host.endsWith(`.${key}`)) && (!best || key.length > best.key.length))
      best = { key, rule };
  }
  return best?.rule ?? null;
}
