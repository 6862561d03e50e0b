import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { eventsFromPositions, windowReturns } from '@regimen/kernel';
import { blockStats, blockStatsFromSums } from '@regimen/optimizer';
import { eventBlockSums, marketSums } from './block-sums.js';

describe('block sums from change events', () => {
  it('equal the sums of the returns bar by bar, for windows cut anywhere and events before them', () => {
    const rng = createRng(9);
    const n = 5000;
    const close = new Float64Array(n);
    close[0] = 100;
    for (let t = 1; t < n; t++) close[t] = close[t - 1]! * (1 + 0.01 * rng.normal());
    // positions that hold for random stretches, some flat, some fractional, some short
    const pos = new Float64Array(n);
    for (let t = 1, p = 0; t < n; t++) {
      if (rng.next() < 0.05) p = [0, 1, -1, 0.5, -0.25][rng.int(0, 4)]!;
      pos[t] = p;
    }
    const costs = { fee: 0.001, slippage: 0.0005 };
    // signals captured over the whole series, as a walk-forward shares them between folds
    const events = eventsFromPositions(pos, { start: 0, end: n });
    for (const window of [{ start: 0, end: n }, { start: 1234, end: 4321 }, { start: 17, end: 100 }]) {
      for (const S of [2, 10, 16]) {
        const want = windowReturns(close, pos, window, costs);
        const sums = eventBlockSums(events, marketSums(close, window), costs, S);
        const m = want.length;
        const size = Math.floor(m / S);
        expect(sums.size).toBe(size);
        for (let b = 0; b < S; b++) {
          const block = want.subarray(m - size * S + b * size, m - size * S + (b + 1) * size);
          expect(sums.s1[b]).toBeCloseTo(block.reduce((a, r) => a + r, 0), 12);
          expect(sums.s2[b]).toBeCloseTo(block.reduce((a, r) => a + r * r, 0), 12);
        }
        // and the PBO's centred summaries agree with those taken from the returns themselves
        const a = blockStatsFromSums(sums.size, sums.s1, sums.s2);
        const b = blockStats(want, S);
        for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(b[k]!, 12);
      }
    }
  });
});
