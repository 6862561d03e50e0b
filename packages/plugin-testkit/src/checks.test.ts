import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NO_REGIME, type BarColumns, type ClassifierPlugin } from '@regimen/core';
import { sliceBars, syntheticBars } from './bars.js';
import { checkCausality, checkDeterminism, checkLabelRange, checkProbabilities, checkRoundTrip } from './checks.js';

/** A toy classifier: up/down of the last return, optionally peeking at the next bar (a causality bug). */
function toy(peek: boolean): ClassifierPlugin {
  return {
    kind: 'classifier',
    name: peek ? 'peeker' : 'toy',
    options: z.object({}).strict(),
    fit: (train, _o, ctx) => ({ seed: ctx.seed, n: train.close.length }),
    regimes: () => ['up', 'down'],
    label(data: BarColumns) {
      const c = data.close;
      const out = new Uint8Array(c.length).fill(NO_REGIME);
      for (let t = 1; t < c.length; t++) {
        const j = peek && t + 1 < c.length ? t + 1 : t;
        out[t] = c[j]! >= c[j - 1]! ? 0 : 1;
      }
      return out;
    },
  };
}

describe('conformance checks catch broken plugins', () => {
  const bars = syntheticBars(500, 3);

  it('syntheticBars is seeded and OHLC-consistent; sliceBars copies', () => {
    expect(syntheticBars(50, 3).close).toEqual(sliceBars(bars, 50).close);
    expect(syntheticBars(50, 4).close).not.toEqual(sliceBars(bars, 50).close);
    for (let t = 0; t < 500; t++) {
      expect(bars.high[t]).toBeGreaterThanOrEqual(Math.max(bars.open[t]!, bars.close[t]!));
      expect(bars.low[t]).toBeLessThanOrEqual(Math.min(bars.open[t]!, bars.close[t]!));
    }
    const s = sliceBars(bars, 10);
    s.close[0] = -1;
    expect(bars.close[0]).not.toBe(-1);
  });

  it('causality: passes a causal labeller, names the first mismatch of a peeking one', () => {
    expect(checkCausality(toy(false), {}, {}, bars, [2, 50, 499]).ok).toBe(true);
    const r = checkCausality(toy(true), {}, {}, bars, [2, 50, 499]);
    expect(r.ok).toBe(false);
    // the last bar of a prefix cannot peek, so the first disagreement is there
    expect(r.firstMismatch?.bar).toBe(r.firstMismatch!.prefix - 1);
  });

  it('label range, probabilities, round trip and determinism', async () => {
    expect(checkLabelRange(Uint8Array.from([NO_REGIME, 0, 1]), 3, ['a', 'b']).ok).toBe(true);
    expect(checkLabelRange(Uint8Array.from([NO_REGIME, 0, 2]), 3, ['a', 'b']).ok).toBe(false);
    expect(checkLabelRange(Uint8Array.from([0]), 2, ['a']).ok).toBe(false);
    expect(checkProbabilities([Float64Array.from([0, 0]), Float64Array.from([0.25, 0.75])], 2, 2).ok).toBe(true);
    expect(checkProbabilities([Float64Array.from([NaN, 1])], 1, 2).ok).toBe(false);
    expect(checkProbabilities([Float64Array.from([0.5, 0.6])], 1, 2).ok).toBe(false);
    expect(checkRoundTrip(toy(false), { a: 1 }, {}, bars).ok).toBe(true);
    // models that would not survive JSON unchanged
    expect(checkRoundTrip(toy(false), { a: new Map([[1, 2]]) }, {}, bars).message).toMatch(/model\.a is a Map/);
    expect(checkRoundTrip(toy(false), { w: [[1, NaN]] }, {}, bars).message).toMatch(/model\.w\[0\]\[1\] is NaN/);
    expect(checkRoundTrip(toy(false), { b: undefined }, {}, bars).ok).toBe(false);
    expect(checkRoundTrip(toy(false), { m: Float64Array.of(1) }, {}, bars).ok).toBe(false);
    const timeDependent: ClassifierPlugin = { ...toy(false), fit: () => ({ at: Math.random() }) };
    expect((await checkDeterminism(timeDependent, bars, {}, 1)).ok).toBe(false);
    expect((await checkDeterminism(toy(false), bars, {}, 1)).ok).toBe(true);
    const later: ClassifierPlugin = { ...toy(false), fit: async () => ({ a: 1 }) };
    expect((await checkDeterminism(later, bars, {}, 1)).ok).toBe(true);
  });
});
