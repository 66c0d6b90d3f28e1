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
  [RECORD_CMD](
    lines: string,
    stories: string,
    params: string,
    story: string,
    ...members: string[]
  ): Promise<number>;
};

/**
 * One page's count for its domain, ready for a script: the domain's two keys, the
 * count's parameters (JSON, without the story) and the line keys. The dedup commit
 * takes it to count the lines under the cluster it places the page in, in its own
 * step (one Redis only: on Redis Cluster the domain's keys have a slot of their own).
 */
export type StoryLines = { keys: [lines: string, stories: string]; params: string; lines: string[] };

/** `lines` are the body's distinct candidate lines as match keys (src/extract/learned-lines.ts); null when there is none. */
export function storyLinesOf(
  keys: Keys,
  domain: string,
  lines: string[],
  cfg: Pick<BoilerplateLearning, 'minStories' | 'maxLinesPerDomain' | 'ttlDays'>,
): StoryLines | null {
  if (!lines.length) return null;
  return {
    keys: [keys.boilerplateLines(domain), keys.boilerplateStories(domain)],
    params: JSON.stringify({
      ttl: cfg.ttlDays * 86_400,
      cap: cfg.maxLinesPerDomain,
      minStories: cfg.minStories,
    }),
    lines,
  };
}

/**
 * Count the lines of one page under its story (`storyKey`: the dedup cluster the
 * page went to), as storyLinesOf made them ready, in a step of its own.
 */
export async function recordStoryLines(redis: Redis, storyKey: string, count: StoryLines): Promise<void> {
  if (storyKey.includes(',')) throw new Error(`store: story key must not contain a comma: ${storyKey}`);
  const scripted = redis as ScriptedRedis;
  if (typeof scripted[RECORD_CMD] !== 'function')
    redis.defineCommand(RECORD_CMD, { numberOfKeys: 2, lua: loadLua('boilerplate-record') });
  await scripted[RECORD_CMD](count.keys[0], count.keys[1], count.params, storyKey, ...count.lines);
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
