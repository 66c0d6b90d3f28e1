/**
 * Learned boilerplate: how many distinct pages of a domain each body line was on. A
 * site's own furniture ("Suivez toute l'actualité de … sur Google News", a signature,
 * a promo line) is on nearly every page; an article's sentences are on one, or on the
 * few versions an outlet publishes of one story. Past `minPages`, a line is dropped
 * from that domain's next pages.
 */
import type { Redis } from 'ioredis';
import { matchKey } from '../extract/text-normalize.js';
import type { Keys } from './keys.js';

export type BoilerplateLearning = {
  minPages: number;
  maxLinesPerDomain: number;
  maxLineChars: number;
  ttlDays: number;
};

/**
 * KEYS[1] lines ZSET, KEYS[2] page marker. ARGV: ttl seconds, cap, then line keys.
 * Atomic so two workers on one domain never lose an increment, and the marker makes a
 * retried job count its page once.
 */
const RECORD_LUA = `
local ttl = tonumber(ARGV[1])
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ttl) then return 0 end
for i = 3, #ARGV do redis.call('ZINCRBY', KEYS[1], 1, ARGV[i]) end
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if over > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1) end
redis.call('EXPIRE', KEYS[1], ttl)
return 1
`;

const RECORD_CMD = 'wiresiftRecordBoilerplate';
type ScriptedRedis = Redis & {
  [RECORD_CMD](lines: string, page: string, ttl: number, cap: number, ...members: string[]): Promise<number>;
};

/** The key a domain's counts live under: the host, lowercased, without "www.". */
export function boilerplateDomain(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/** Distinct candidate lines of an extracted body, as match keys. */
function candidateLines(text: string, maxLineChars: number): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.length > maxLineChars) continue;
    const key = matchKey(trimmed);
    if (key) out.add(key);
  }
  return [...out];
}

/**
 * Count the lines of one page's body for its domain. Returns false when this page was
 * already counted (a retried or duplicated job).
 */
export async function recordPageLines(
  redis: Redis,
  keys: Keys,
  domain: string,
  pageId: string,
  text: string,
  cfg: BoilerplateLearning,
): Promise<boolean> {
  const lines = candidateLines(text, cfg.maxLineChars);
  if (!lines.length) return false;
  const scripted = redis as ScriptedRedis;
  if (typeof scripted[RECORD_CMD] !== 'function')
    redis.defineCommand(RECORD_CMD, { numberOfKeys: 2, lua: RECORD_LUA });
  const counted = await scripted[RECORD_CMD](
    keys.boilerplateLines(domain),
    keys.boilerplatePage(domain, pageId),
    cfg.ttlDays * 86_400,
    cfg.maxLinesPerDomain,
    ...lines,
  );
  return counted === 1;
}

/** Lines seen on at least `minPages` pages of the domain, for extractArticle's `learnedBoilerplate`. */
export async function learnedBoilerplate(
  redis: Redis,
  keys: Keys,
  domain: string,
  cfg: Pick<BoilerplateLearning, 'minPages'>,
): Promise<string[]> {
  return redis.zrangebyscore(keys.boilerplateLines(domain), cfg.minPages, '+inf');
}
