import { describe, it, expect } from 'vitest';
import { recentlyUsed } from './recently-used.js';

describe('recentlyUsed', () => {
  it('keeps the most recently found or added entries and drops the oldest', () => {
    const kept = recentlyUsed<number>(2);
    kept.add(1);
    kept.add(2);
    expect(kept.find((e) => e === 1)).toBe(1); // 1 is now the most recent
    kept.add(3); // drops 2, not 1
    expect(kept.find((e) => e === 2)).toBeUndefined();
    expect(kept.find((e) => e === 1)).toBe(1);
    expect(kept.find((e) => e === 3)).toBe(3);
  });

  it('grows to the size an entry is added with (a worker learns it from its tasks), never below one', () => {
    const kept = recentlyUsed<number>(2);
    for (let i = 0; i < 5; i++) kept.add(i, 4);
    expect([0, 1, 2, 3, 4].filter((i) => kept.find((e) => e === i) !== undefined)).toEqual([1, 2, 3, 4]);
    kept.add(9, 0);
    expect(kept.find((e) => e === 4)).toBeUndefined();
    expect(kept.find((e) => e === 9)).toBe(9);
    kept.clear();
    expect(kept.find((e) => e === 9)).toBeUndefined();
  });
});
