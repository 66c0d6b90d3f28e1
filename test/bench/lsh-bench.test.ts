/** `wiresift bench lsh`: the shape our checks read, and figures that follow from the layouts. */
import { describe, expect, it } from 'vitest';
import { benchLsh } from '../../src/bench/lsh-bench.js';
import { testConfig, uniquePrefix } from '../support/redis.js';

describe('bench lsh', () => {
  // Three windows: the reference window runs beside every round of the two larger ones.
  it('measures every layout on a Redis of its own and prints exactly {windows, baselines}', async () => {
    const config = testConfig(uniquePrefix('lsh-bench'));
    const result = await benchLsh(config, () => {}, { windows: [2000, 40000, 60000], rounds: 1 });
    expect(Object.keys(result).sort()).toEqual(['baselines', 'windows']);
    expect(result.windows.map((w) => Object.keys(w).sort())).toEqual([
      ['articles', 'bytesPerArticle', 'redisCpuMsPerArticle'],
      ['articles', 'bytesPerArticle', 'redisCpuMsPerArticle'],
      ['articles', 'bytesPerArticle', 'redisCpuMsPerArticle'],
    ]);
    expect(result.windows.map((w) => w.articles)).toEqual([2000, 40000, 60000]);
    for (const w of result.windows) {
      expect(w.redisCpuMsPerArticle).toBeGreaterThan(0);
      // 51 bands of 8-byte records and a 335-byte signature record: well under the 1.5 KB budget
      expect(w.bytesPerArticle).toBeGreaterThan(51 * 8 + 335);
      expect(w.bytesPerArticle).toBeLessThan(1500);
    }
    const { indexStep, redis } = result.baselines as {
      redis: { server: string };
      indexStep: Record<string, { articles: number; redisCpuMsPerArticle: number; shardBytes?: number }[]>;
    };
    expect(redis.server).toMatch(/private/);
    expect(Object.keys(indexStep).sort()).toEqual(['current', 'setPerBucket', 'strings19d51e0']);
    // 19d51e0's shard strings hold the window's records spread over 8192 shards
    expect(indexStep.strings19d51e0!.map((e) => e.shardBytes)).toEqual([
      Math.round((2000 * 51) / 8192) * 8,
      Math.round((40000 * 51) / 8192) * 8,
      Math.round((60000 * 51) / 8192) * 8,
    ]);
    // reading and rewriting shards 20x longer costs it more
    const [small, large] = indexStep.strings19d51e0!.map((e) => e.redisCpuMsPerArticle);
    expect(large!).toBeGreaterThan(small!);
  }, 120_000);
});
