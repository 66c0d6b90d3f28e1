/**
 * Extraction caches what class and tag names say, across pages. A name cut from a page
 * is, to V8, a view into that page's string: kept as it is, the cache would keep every
 * page it met alive. This test extracts pages that each bring new long names and checks
 * that the heap does not keep them.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract-page.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function page(n: number): Buffer {
  const filler = `<p class="filler-paragraph-of-page-${n}">${'Some words of the story, repeated to make a large page. '.repeat(8)}</p>`;
  return Buffer.from(
    `<html><body><x-story-element-number-${n} class="story-container-variant-${n}"><article>${filler.repeat(1200)}</article></x-story-element-number-${n}></body></html>`,
  );
}

describe('name caches', () => {
  it('keep no page alive: the names they hold are copies', () => {
    extractPage(page(0), { boilerplate: [] });
    gc();
    const before = process.memoryUsage().heapUsed;
    let size = 0;
    for (let n = 1; n <= 40; n++) {
      const bytes = page(n);
      size += bytes.length;
      expect(extractPage(bytes, { boilerplate: [] }).status).toBe('ok');
    }
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    // 40 pages of ~0.6 MB each, held twice over (raw and decoded) if the caches kept them.
    expect(size).toBeGreaterThan(20e6);
    expect(kept).toBeLessThan(size / 10);
  });
});
