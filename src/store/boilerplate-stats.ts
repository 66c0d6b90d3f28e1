/**
 * Learned boilerplate: under how many distinct stories each body line of a domain
 * was seen. A site's own furniture ("Suivez toute l'actualité de … sur Google News",
 * a promo line, a newsletter box) recurs under every story; a dispatch's sentences
 * recur only under its own story, however many copies, versions or updates the
 * outlet publishes of it. So lines are counted once per story (the dedup cluster the
 * page went to), not once per page: past `minStories` distinct stories a line is
 * dropped from that domain's next pages.
 */
import type { Redis } from 'ioredis';
import { matchKey } from '../extract/text-normalize.js';
import type { Keys } from './keys.js';

export type BoilerplateLearning = {
  minStories: number;
  maxLinesPerDomain: number;
  maxLineChars: number;
  ttlDays: number;
};

/**
 * KEYS[1] lines ZSET (line -> distinct stories), KEYS[2] stories HASH (line -> the
 * story keys seen under it, up to minStories). ARGV[1] JSON {ttl, cap, minStories,
 * story}, ARGV[2..] line keys. Atomic so two workers never lose a count; a story is
 * counted once per line, so a retried job or a second copy of one story adds nothing.
 */
const RECORD_LUA = `
local p = cjson.decode(ARGV[1])
local story = p.story
for i = 2, #ARGV do
  local line = ARGV[i]
  local seen = redis.call('HGET', KEYS[2], line) or ''
  if not string.find(',' .. seen .. ',', ',' .. story .. ',', 1, true) then
    local n = 0
    if seen ~= '' then n = select(2, string.gsub(seen, ',', ',')) + 1 end
    if n < p.minStories then
      redis.call('HSET', KEYS[2], line, seen == '' and story or (seen .. ',' .. story))
      redis.call('ZINCRBY', KEYS[1], 1, line)
    end
  end
end
local over = redis.call('ZCARD', KEYS[1]) - p.cap
if over > 0 then
  local gone = redis.call('ZRANGE', KEYS[1], 0, over - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
  redis.call('HDEL', KEYS[2], unpack(gone))
end
redis.call('EXPIRE', KEYS[1], p.ttl)
redis.call('EXPIRE', KEYS[2], p.ttl)
return 1
`;

const RECORD_CMD = 'wiresiftRecordBoilerplate';
type ScriptedRedis = Redis & {
  [RECORD_CMD](lines: string, stories: string, params: string, ...members: string[]): Promise<number>;
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
 * Count the lines of one page's body for its domain under its story (`storyKey`:
 * the dedup cluster the page went to). Returns false when the body has no
 * candidate line.
 */
export async function recordStoryLines(
  redis: Redis,
  keys: Keys,
  domain: string,
  storyKey: string,
  text: string,
  cfg: BoilerplateLearning,
): Promise<boolean> {
  const lines = candidateLines(text, cfg.maxLineChars);
  if (!lines.length) return false;
  if (storyKey.includes(',')) throw new Error(`store: story key must not contain a comma: ${storyKey}`);
  const scripted = redis as ScriptedRedis;
  if (typeof scripted[RECORD_CMD] !== 'function')
    redis.defineCommand(RECORD_CMD, { numberOfKeys: 2, lua: RECORD_LUA });
  await scripted[RECORD_CMD](
    keys.boilerplateLines(domain),
    keys.boilerplateStories(domain),
    JSON.stringify({
      ttl: cfg.ttlDays * 86_400,
      cap: cfg.maxLinesPerDomain,
      minStories: cfg.minStories,
      story: storyKey,
    }),
    ...lines,
  );
  return true;
}

/** Lines seen under at least `minStories` stories of the domain, for extractArticle's `learnedBoilerplate`. */
export async function learnedBoilerplate(
  redis: Redis,
  keys: Keys,
  domain: string,
  cfg: Pick<BoilerplateLearning, 'minStories'>,
): Promise<string[]> {
  return redis.zrangebyscore(keys.boilerplateLines(domain), cfg.minStories, '+inf');
}
