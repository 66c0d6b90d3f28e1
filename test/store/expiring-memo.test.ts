import { describe, expect, it } from 'vitest';
import { ExpiringMemo } from '../../src/store/expiring-memo.js';

describe('ExpiringMemo', () => {
  it('forgets values after ttl, keeps at most maxEntries (oldest out), and can be off', async () => {
    let now = 1000;
    const memo = new ExpiringMemo<number>(500, 2, () => now);
    memo.set('a', 1);
    memo.set('b', 2);
    expect(memo.get('a')).toBe(1);
    memo.set('c', 3);
    expect(memo.get('a')).toBeUndefined();
    expect(memo.get('b')).toBe(2);
    now += 500;
    expect(memo.get('b')).toBeUndefined();

    let loads = 0;
    const load = async () => ++loads;
    expect(await memo.getOrLoad('x', load)).toBe(1);
    expect(await memo.getOrLoad('x', load)).toBe(1);
    await expect(memo.getOrLoad('y', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(memo.get('y')).toBeUndefined();

    const off = new ExpiringMemo<number>(0);
    off.set('a', 1);
    expect(off.get('a')).toBeUndefined();
  });
});
