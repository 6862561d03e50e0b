import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { rankGroupMoments } from './initialization.js';
import { valuesAtRanks } from './rank-select.js';

const rng = createRng(5);
/** returns rounded to a few ticks: long runs of equal values, like real prices' zero returns */
const ticks = (n: number) => Float64Array.from({ length: n }, () => Math.round(3 * rng.normal()) / 1000);

describe('rank selection and rank groups for the starts', () => {
  it('valuesAtRanks equals indexing a sorted copy, with ties, sorted and reversed input', () => {
    const inputs = [ticks(5000), Float64Array.from({ length: 3000 }, () => rng.normal()), Float64Array.from({ length: 4000 }, (_, i) => i), Float64Array.from({ length: 4000 }, (_, i) => -i), new Float64Array(100)];
    for (const a of inputs) {
      const sorted = a.slice().sort();
      const ranks = [0, 1, a.length >> 1, a.length - 1, ...Array.from({ length: 5 }, () => rng.int(0, a.length - 1))];
      const got = valuesAtRanks(a, ranks);
      // (−0 and +0 are one value here, as for the ranking's comparisons)
      for (const r of ranks) expect(got.get(r) === sorted[r]).toBe(true);
    }
  });

  it('group moments equal those of a stable argsort cut at the same ranks', () => {
    const rows = 4000;
    const y = Float64Array.from({ length: rows * 2 }, () => rng.normal());
    const key = ticks(rows);
    const groups: Array<[number, number]> = [[0, 1700], [1700, 3990], [3990, rows], [1000, 1002]];
    const order = Array.from({ length: rows }, (_, t) => t).sort((a, b) => key[a]! - key[b]! || a - b);
    const { means, variances } = rankGroupMoments(y, rows, 2, key, groups);
    groups.forEach(([lo, hi], g) => {
      for (let f = 0; f < 2; f++) {
        const xs = order.slice(lo, hi).map((t) => y[t * 2 + f]!);
        const m = xs.reduce((s, v) => s + v, 0) / xs.length;
        const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
        expect(means[g * 2 + f]).toBeCloseTo(m, 12);
        expect(variances[g * 2 + f]).toBeCloseTo(v, 12);
      }
    });
  });
});
