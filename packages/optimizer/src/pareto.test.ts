import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { dominates, paretoFront, selectFromFront, type Scored } from './pareto.js';

const pt = (id: string, ...scores: number[]): Scored => ({ id, scores });

describe('Pareto fronts', () => {
  it('equals the brute-force non-dominated set on random points, ties and NaN included', () => {
    const rng = createRng(4);
    for (let t = 0; t < 200; t++) {
      const k = rng.int(2, 3);
      const items = Array.from({ length: rng.int(1, 60) }, (_, i) => pt(`t${i}`, ...Array.from({ length: k }, () => (rng.next() < 0.05 ? NaN : rng.int(0, 9)))));
      const brute = items.filter((x) => x.scores.every(Number.isFinite) && !items.some((y) => y.scores.every(Number.isFinite) && dominates(y.scores, x.scores)));
      const front = paretoFront(items);
      expect(front.map((x) => x.id).sort()).toEqual(brute.map((x) => x.id).sort());
      for (let i = 1; i < front.length; i++) expect(front[i - 1]!.scores[0]).toBeGreaterThanOrEqual(front[i]!.scores[0]!);
    }
  });

  it('picks by the stated rule: first objective, knee (nearest the scaled ideal), weighted', () => {
    // sharpe and −max_drawdown: a convex trade-off with a clear knee at (1.0, −0.10)
    const front = paretoFront([pt('a', 1.2, -0.4), pt('b', 1.0, -0.1), pt('c', 0.3, -0.05), pt('d', 0.9, -0.3)]);
    expect(front.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(selectFromFront(front, 'first_objective').id).toBe('a');
    // scaled: a (1, 0), b (0.78, 0.86), c (0, 1) → b is nearest (1, 1)
    expect(selectFromFront(front, 'knee').id).toBe('b');
    expect(selectFromFront(front, 'weighted', [1, 0]).id).toBe('a');
    expect(selectFromFront(front, 'weighted', [0, 1]).id).toBe('c');
    expect(selectFromFront(front, 'weighted', [1, 1]).id).toBe('b');
  });
});
