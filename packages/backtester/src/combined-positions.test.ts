import { describe, expect, it } from 'vitest';
import { NO_REGIME, createRng, type ReplayBatch, type SignalEvents } from '@regimen/core';
import { prepareReplay, replayPositions } from '@regimen/kernel';
import { combinedPositions } from './combined-positions.js';

/** Events with bars before, at and inside the window, repeated positions and fractional ones. */
function events(seed: number, bars: number): SignalEvents {
  const rng = createRng(seed);
  const bar: number[] = [];
  const position: number[] = [];
  for (let t = rng.int(0, 50); t < bars; t += rng.int(1, 30)) {
    bar.push(t);
    position.push([1, -1, 0, 0.5, -0.25][rng.int(0, 4)]!);
  }
  return { bar: Int32Array.from(bar), position: Float64Array.from(position) };
}

describe('combinedPositions equals the reference replayPositions bit for bit', () => {
  it('on random legs, regimes with NO_REGIME bars, shared and null legs, weights that clamp', () => {
    const bars = 3000;
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      const labels = new Uint8Array(bars);
      for (let t = 0; t < bars; t++) labels[t] = rng.next() < 0.05 ? NO_REGIME : rng.int(0, 2);
      const e = [events(seed * 10, bars), events(seed * 10 + 1, bars), events(seed * 10 + 2, bars), { bar: new Int32Array(0), position: new Float64Array(0) }];
      const legs: ReplayBatch['legs'] = [
        { strategy: 'a', byRegime: [e[0]!, e[1]!, null] },
        { strategy: 'b', byRegime: [e[2]!, e[0]!, e[3]!] },
        { strategy: 'c', byRegime: [null, e[2]!, e[1]!] },
      ];
      const weightSets = [0, 1].map(() => Array.from({ length: 3 }, () => Float64Array.from({ length: 3 }, () => rng.next() * 1.6 - 0.3)));
      for (const window of [{ start: 0, end: bars }, { start: 700, end: 2400 }, { start: 2999, end: 3000 }]) {
        const batch: ReplayBatch = { close: new Float64Array(bars).fill(1), window, regime: { classifier: 'h', names: ['x', 'y', 'z'], labels }, breakdown: [], legs, weightSets, costs: { fee: 0, slippage: 0 }, barsPerYear: 252 };
        for (const w of weightSets) {
          const want = replayPositions(prepareReplay(batch), w);
          const got = combinedPositions(batch, w);
          expect(got).toEqual(want);
          if (window.end - window.start > 1000) expect(new Set(got).size).toBeGreaterThan(5);
        }
      }
    }
  });
});
