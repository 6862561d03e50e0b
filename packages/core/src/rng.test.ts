import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';

describe('createRng', () => {
  it('is reproducible for a seed and independent across forks', () => {
    const a = createRng(7), b = createRng(7);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const f1 = createRng(7).fork('hmm'), f2 = createRng(7).fork('genetic');
    expect(f1.next()).not.toEqual(f2.next());
    expect(createRng(7).fork('hmm').next()).toEqual(createRng(7).fork('hmm').next());
  });
  it('draws integers within bounds and normals with unit variance', () => {
    const r = createRng(1);
    const ints = Array.from({ length: 2000 }, () => r.int(3, 5));
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(5);
    const zs = Array.from({ length: 20000 }, () => r.normal());
    const m = zs.reduce((s, z) => s + z, 0) / zs.length;
    const v = zs.reduce((s, z) => s + (z - m) ** 2, 0) / (zs.length - 1);
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });
});
