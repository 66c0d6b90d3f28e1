import { describe, expect, it } from 'vitest';
import { shingleHashes } from '../../src/dedup/shingles.js';

const words = (s: string) => s.split(' ');

describe('shingleHashes', () => {
  it('returns one sorted hash per distinct k-shingle', () => {
    const h = shingleHashes(words('a b c a b c a b c'), 3);
    // distinct 3-shingles: "a b c", "b c a", "c a b"
    expect(h.length).toBe(3);
    expect([...h]).toEqual([...h].sort((x, y) => x - y));
  });

  it('gives a shared shingle the same hash in different texts', () => {
    const a = new Set(shingleHashes(words('the mayor said on monday'), 3));
    const b = shingleHashes(words('officials said the mayor said on friday'), 3);
    const common = [...b].filter((x) => a.has(x));
    // "the mayor said" and "mayor said on"
    expect(common.length).toBe(2);
  });

  it('is order-sensitive within a shingle', () => {
    expect(shingleHashes(words('a b c'), 3)[0]).not.toBe(shingleHashes(words('c b a'), 3)[0]);
  });

  it('hashes a text shorter than k as one shingle, and nothing as nothing', () => {
    expect(shingleHashes(words('flash news'), 4).length).toBe(1);
    expect(shingleHashes([], 4).length).toBe(0);
    expect(shingleHashes(words('flash news'), 4)[0]).not.toBe(shingleHashes(words('flash'), 4)[0]);
  });

  it('does not confuse token boundaries', () => {
    expect(shingleHashes(['ab', 'c'], 2)[0]).not.toBe(shingleHashes(['a', 'bc'], 2)[0]);
  });

  it('rejects a bad shingle size', () => {
    expect(() => shingleHashes(['a'], 0)).toThrow(/^dedup: /);
  });
});
