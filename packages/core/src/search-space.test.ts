import { describe, expect, it } from 'vitest';
import { createRng, dimensionSize, dimensionValue, gridPoint, gridSize, normaliseWeights, simplexWeights, type Dimension } from '@regimen/core';

const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0);

describe('dimensions and grid points', () => {
  it('enumerates float steps without drift and keeps the last point', () => {
    const d: Dimension = { name: 'x', kind: 'float', min: 0, max: 1, step: 0.1 };
    expect(dimensionSize(d)).toBe(11);
    const xs = Array.from({ length: 11 }, (_, i) => dimensionValue(d, i));
    expect(xs).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  });
  it('spaces log points geometrically with exact ends', () => {
    const d: Dimension = { name: 'x', kind: 'float', min: 1, max: 1000, count: 4, log: true };
    expect(Array.from({ length: 4 }, (_, i) => dimensionValue(d, i))).toEqual([1, 10, 100, 1000]);
  });
  it('decodes indices mixed-radix with the last dimension fastest', () => {
    const space = { dimensions: [{ name: 'a', kind: 'int', min: 1, max: 3, step: 1 }, { name: 'b', kind: 'values', values: ['x', 'y'] }] as Dimension[] };
    expect(gridSize(space)).toBe(6);
    expect([0, 1, 2, 5].map((i) => gridPoint(space, i))).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 3, b: 'y' }]);
  });
});

describe('simplex weights', () => {
  it('sum exactly to 1 and respect min_weight for random points', () => {
    const rng = createRng(3);
    for (let t = 0; t < 3000; t++) {
      const n = rng.int(1, 6);
      const m = [0, 0, 0.05, 0.1, 0.2, 1 / 7][rng.int(0, 5)]!;
      if (n * m > 1 - 1e-12) continue;
      const u = Array.from({ length: n }, () => (rng.next() < 0.3 ? 0 : rng.next()));
      const w = simplexWeights(u, m)!;
      expect(sum(w)).toBe(1);
      for (const x of w) expect(x).toBeGreaterThanOrEqual(m);
    }
  });
  it('normalises a raw grid point and drops the all-zero one', () => {
    expect(normaliseWeights([0.5, 1], 0)![0]).toBeCloseTo(1 / 3, 6);
    expect(normaliseWeights([0, 0], 0)).toBeNull();
    expect(normaliseWeights([0, 1], 0.1)).toBeNull();
    expect(simplexWeights([1, 1], 0.6)).toBeNull();
    expect(simplexWeights([3, 1, 0, 2, 5], 0.2)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
  });
});
