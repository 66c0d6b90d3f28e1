/**
 * Query parameters that only say how a reader arrived (campaigns, click ids,
 * newsletter ids). Two URLs that differ only by these are the same article.
 */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  '_ga',
  '_gl',
  'xtor',
  'xtref',
  'ito',
  'cmpid',
  'ocid',
  's_cid',
  'wt.mc_id',
  'ns_mchannel',
  'ns_source',
  'ns_campaign',
  'ns_linkname',
  'ns_fee',
  'at_medium',
  'at_campaign',
  'at_content',
  'at_term',
  'at_platform',
  'at_creation',
  'at_send_date',
  'at_link',
  'at_recipient_id',
  'at_recipient_list',
  'at_ptr_name',
  'at_custom1',
  'at_custom2',
  'at_custom3',
  'at_custom4',
]);

const TRACKING_PREFIXES = ['utm_'];

function paramName(pair: string): string {
  const raw = pair.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isTracking(name: string): boolean {
  return TRACKING_PARAMS.has(name) || TRACKING_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * One spelling per article URL, so the same story reached through different
 * feeds or campaigns gets one id: lower-case scheme and host, no default port,
 * no credentials, no fragment, no tracking parameters, remaining parameters
 * sorted. The path is kept as published; servers disagree on what is equivalent
 * there. Parameters keep their original encoding (URLSearchParams would rewrite it).
 */
export function canonicalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new Error(`feeds: invalid URL ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`feeds: not an http(s) URL: ${JSON.stringify(url)}`);
  }
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  const pairs = parsed.search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && !isTracking(paramName(pair)));
  // Sort by name first so "a=2&a=1" and "a=1&a=2" differ only if values do.
  // Code-unit order, not locale order: the result must not depend on the ICU build.
  pairs.sort((x, y) => compare(paramName(x), paramName(y)) || compare(x, y));
  parsed.search = pairs.length > 0 ? `?${pairs.join('&')}` : '';
  return parsed.href;
}
