import { describe, expect, it } from 'vitest';
import { createRng, seededPermutation } from '@regimen/core';

describe('seededPermutation', () => {
  it('visits every index below n exactly once, in a seed-fixed order', () => {
    for (const n of [1, 2, 3, 7, 64, 100, 1000, 4097]) {
      const xs = [...seededPermutation(n, createRng(n))];
      expect(xs).toHaveLength(n);
      expect(new Set(xs).size).toBe(n);
      expect(Math.min(...xs)).toBe(0);
      expect(Math.max(...xs)).toBe(n - 1);
    }
    const a = [...seededPermutation(1000, createRng(1))];
    expect([...seededPermutation(1000, createRng(1))]).toEqual(a);
    expect([...seededPermutation(1000, createRng(2))]).not.toEqual(a);
    // not the identity, nor close to it
    expect(a.filter((x, i) => x === i).length).toBeLessThan(20);
  });
});
