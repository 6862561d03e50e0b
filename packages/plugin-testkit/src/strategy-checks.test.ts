import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { BarColumns, StrategyPlugin } from '@regimen/core';
import { sliceBars, syntheticBars } from './bars.js';
import {
  checkStrategyCausality,
  checkStrategyDeterminism,
  checkStrategyPositions,
  checkStrategySchema,
  strategyCuts,
  strategyParams,
  strategyPositions,
} from './strategy-checks.js';

/**
 * A toy rule: the sign of the last return, from bar `lag`. `peek` makes it read one bar ahead
 * where there is one (falling back to the current bar at the end of the data, the way a careless
 * rolling window does) — the look-ahead bug the kit exists to catch.
 */
function toy(over: Partial<StrategyPlugin> & { peek?: boolean } = {}): StrategyPlugin<{ lag: number }> {
  const { peek = false, ...rest } = over;
  return {
    kind: 'strategy',
    name: peek ? 'peeker' : 'toy',
    params: z.strictObject({ lag: z.number().int().min(1).default(1) }),
    warmup: (p) => p.lag,
    positions(bars: BarColumns, p, out) {
      const c = bars.close;
      for (let t = p.lag; t < c.length; t++) {
        const j = peek ? Math.min(t + 1, c.length - 1) : t;
        out[t] = Math.sign(c[j]! - c[j - p.lag]!);
      }
    },
    ...rest,
  };
}

const data = syntheticBars(600, 4);
const both = (p: StrategyPlugin) => strategyParams(p, { side: 'long_short' });

describe('strategy checks', () => {
  it('an honest rule passes causality, determinism and the position rules', () => {
    const p = toy();
    expect(checkStrategyCausality(p, both(p), data).message).toBeUndefined();
    expect(checkStrategyDeterminism(p, both(p), data).message).toBeUndefined();
    expect(checkStrategyPositions(p, both(p), data).message).toBeUndefined();
    expect(checkStrategySchema(p).message).toBeUndefined();
  });

  it('a rule that peeks one bar ahead fails, naming the first bar where its positions differ', () => {
    const p = toy({ peek: true });
    const params = both(p);
    const full = strategyPositions(p, data, params);
    const r = checkStrategyCausality(p, params, data);
    expect(r.ok).toBe(false);
    const m = r.firstMismatch!;
    expect(r.message).toContain(`looks ahead: bar ${m.bar}:`);
    // independently: on the data cut after m.cut the position at m.bar differs, and no earlier bar does
    const cut = strategyPositions(p, sliceBars(data, m.cut + 1), params);
    expect(cut[m.bar]).not.toBe(full[m.bar]);
    expect(Array.from(cut.subarray(0, m.bar))).toEqual(Array.from(full.subarray(0, m.bar)));
    // the cuts at the position changes catch it: the peeker's first change is where it is first caught
    const firstChange = full.findIndex((v, t) => t > 0 && v !== full[t - 1]);
    expect(m.bar).toBeLessThanOrEqual(firstChange);
  });

  it('with given cuts, the earliest differing bar over all cuts is named', () => {
    const p = toy({ peek: true });
    // the peeker's last position on a cut uses the cut's last bar twice: it differs there unless the sign agrees
    const r = checkStrategyCausality(p, both(p), data, [400, 200, 300]);
    expect(r.ok).toBe(false);
    expect(r.firstMismatch!.bar).toBeLessThanOrEqual(400);
    expect(r.firstMismatch!.bar).toBe(r.firstMismatch!.cut);
  });

  it('cuts fall at random points and at (and just before) position changes, inside the series', () => {
    const full = Float64Array.from([0, 0, 1, 1, 1, -1, -1, 0, 0, 0]);
    const cuts = strategyCuts(full, { random: 0 });
    expect(cuts).toEqual([1, 2, 4, 5, 6, 7]);
    const random = strategyCuts(new Float64Array(100), { random: 20, seed: 3 });
    expect(random.length).toBeGreaterThan(5);
    expect(random.every((c) => c >= 0 && c < 99)).toBe(true);
    expect(strategyCuts(new Float64Array(100), { random: 20, seed: 3 })).toEqual(random);
  });

  it('names the bar of a position during warm-up, outside [−1, 1] or NaN, and a wrong length', () => {
    const early = toy({ warmup: () => 5, positions: (b, _p, out) => void out.fill(1) });
    expect(checkStrategyPositions(early, both(early), data).message).toMatch(/gave 1 at bar 0, but the first 5 bars \(its warm-up\) must be 0/);
    const big = toy({ positions: (b, _p, out) => void (out[7] = 2) });
    expect(checkStrategyPositions(big, both(big), data).message).toMatch(/gave 2 at bar 7: positions must be finite and in \[−1, 1\]/);
    const nan = toy({ positions: (b, _p, out) => void (out[9] = NaN) });
    expect(checkStrategyPositions(nan, both(nan), data).message).toMatch(/gave NaN at bar 9/);
    const short = toy({ positions: () => new Float64Array(3) });
    expect(checkStrategyPositions(short, both(short), data).message).toMatch(/returned 3 positions for 600 bars/);
    const throws = toy({ positions: () => { throw new RangeError('lag too long'); } });
    expect(checkStrategyPositions(throws, both(throws), data).message).toMatch(/"toy" failed in positions\(\): lag too long/);
  });

  it('long_only maps short positions to flat; long_short keeps them', () => {
    const p = toy();
    const ls = strategyPositions(p, data, both(p));
    const lo = strategyPositions(p, data, strategyParams(p, {}));
    expect(ls.some((v) => v < 0)).toBe(true);
    expect(Array.from(lo)).toEqual(Array.from(ls, (v) => (v < 0 ? 0 : v)));
  });

  it('catches randomness, state between calls and a rule that writes into the bars', () => {
    // a coin per bar: two runs over 599 bars agree with probability 2^−599
    const noisy = toy({ positions: (b, _p, out) => { for (let t = 1; t < out.length; t++) out[t] = Math.random() < 0.5 ? 1 : 0; } });
    expect(checkStrategyDeterminism(noisy, both(noisy), data).message).toMatch(/not deterministic/);
    let calls = 0;
    const stateful = toy({ positions: (b, _p, out) => void out.fill(calls++ % 2, 1) });
    expect(checkStrategyDeterminism(stateful, both(stateful), data).message).toMatch(/not deterministic: bar 1/);
    const vandal = toy({ positions: (b) => void (b.close[3] = 0) });
    expect(checkStrategyDeterminism(vandal, both(vandal), syntheticBars(50, 1)).message).toMatch(/modified bars\.close at bar 3/);
  });

  it('checks the schema: defaults, strictness, no side', () => {
    expect(checkStrategySchema(toy({ params: z.strictObject({ lag: z.number() }) })).message).toMatch(/give every parameter a default/);
    expect(checkStrategySchema(toy({ params: z.object({ lag: z.number().default(1) }) })).message).toMatch(/strict/);
    expect(checkStrategySchema(toy({ params: z.strictObject({ lag: z.number().default(1), side: z.string().default('x') }) })).message).toMatch(/side/);
  });
});
