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
import type { Keys } from './keys.js';
import { loadLua } from './lua/load-lua.js';

export type BoilerplateLearning = {
  minStories: number;
  maxLinesPerDomain: number;
  maxLineChars: number;
  ttlDays: number;
};

const RECORD_CMD = 'wiresiftRecordBoilerplate';
type ScriptedRedis = Redis & {
  [RECORD_CMD](lines: string, stories: string, params: string, ...members: string[]): Promise<number>;
};

/**
 * Count the lines of one page's body for its domain under its story (`storyKey`:
 * the dedup cluster the page went to). `lines` are the body's distinct candidate
 * lines as match keys (src/extract/learned-lines.ts). Returns false when there
 * is none.
 */
export async function recordStoryLines(
  redis: Redis,
  keys: Keys,
  domain: string,
  storyKey: string,
  lines: string[],
  cfg: Pick<BoilerplateLearning, 'minStories' | 'maxLinesPerDomain' | 'ttlDays'>,
): Promise<boolean> {
  if (!lines.length) return false;
  if (storyKey.includes(',')) throw new Error(`store: story key must not contain a comma: ${storyKey}`);
  const scripted = redis as ScriptedRedis;
  if (typeof scripted[RECORD_CMD] !== 'function')
    redis.defineCommand(RECORD_CMD, { numberOfKeys: 2, lua: loadLua('boilerplate-record') });
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
