/** The load bench's corpus: realistic pages are as big as asked, and their article is still the dispatch. */
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../src/bench/generated-corpus.js';
import { extractArticle } from '../../src/extract/extract-article.js';

const pageOf = (body: string | (() => string)) => (typeof body === 'function' ? body() : body);

describe('generated corpus', () => {
  it('serves pages of about pageBytes whose extracted article is the same as on the bare page', () => {
    const opts = { articles: 30, feeds: 4, seed: 3 };
    const bare = generateCorpus(opts);
    const real = generateCorpus({ ...opts, pageBytes: 100 * 1024 });
    const paths = [...real.truth.keys()];
    expect(paths).toEqual([...bare.truth.keys()]);
    for (const path of paths.slice(0, 10)) {
      const big = pageOf(real.files.get(path)!.body);
      const small = pageOf(bare.files.get(path)!.body);
      expect(big.length).toBeGreaterThan(95 * 1024);
      expect(big.length).toBeLessThan(110 * 1024);
      expect(small.length).toBeLessThan(5 * 1024);
      const a = extractArticle(big, { boilerplate: ['Avec AFP'] });
      const b = extractArticle(small, { boilerplate: ['Avec AFP'] });
      expect(a.text).toBe(b.text);
      expect(a.text.length).toBeGreaterThan(500);
    }
  });
});
