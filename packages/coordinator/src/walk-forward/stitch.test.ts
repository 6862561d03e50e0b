import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PYTHON, pythonMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { evaluatePositions } from '@regimen/kernel';
import { pooledCagr, stitchFolds, walkForwardEfficiency } from './stitch.js';

/**
 * The stitching and the walk-forward efficiency against an independent reference: the numpy
 * script reference/walk_forward.py computed walk-forward-expected.json from a fixture exported
 * from a real walk-forward workspace (reference/README.md). The TypeScript here must give the same.
 */
const REFERENCE = new URL('../../reference/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, REFERENCE), 'utf8'));

interface Fixture {
  bars_per_year: number;
  costs: { fee: number; slippage: number };
  start: number;
  close: number[];
  folds: Array<{ out_of_sample: { start: number; end: number }; adaptive_changes: Array<[number, number]>; in_sample: { returns: number; total_return: number } }>;
}
const fixture: Fixture = read('walk-forward-fixture.json');
const expected = read('walk-forward-expected.json');

/** relative agreement: numpy sums pairwise, the kernel left to right */
const near = (a: number, b: number, rel = 1e-10) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

function inputs() {
  const end = fixture.start + fixture.close.length;
  const close = new Float64Array(end).fill(1);
  close.set(fixture.close, fixture.start);
  const folds = fixture.folds.map((f) => {
    const adaptive = new Float64Array(end);
    for (const [bar, position] of f.adaptive_changes) adaptive.fill(position, bar, f.out_of_sample.end);
    return { test: f.out_of_sample, positions: { adaptive, buy_and_hold: new Float64Array(end).fill(1) } };
  });
  const costs = { fee: fixture.costs.fee, slippage: fixture.costs.slippage };
  return { close, folds, costs };
}

describe('the stitched out-of-sample series, against the numpy reference', () => {
  const { close, folds, costs } = inputs();
  const s = stitchFolds(close, folds, ['adaptive', 'buy_and_hold'], costs, fixture.bars_per_year);

  it('counts every return of the span once: buy-and-hold is the price ratio', () => {
    expect(s.window.end - s.window.start).toBe(expected.bars);
    expect(s.equity.buy_and_hold!.length).toBe(expected.bars);
    near(s.metrics.buy_and_hold!.total_return, expected.price_ratio - 1, 1e-12);
    near(s.equity.buy_and_hold!.at(-1)!, close[s.window.end - 1]! / close[s.window.start]!, 1e-12);
  });

  it('gives the reference\'s metrics and equity for the adaptive strategy and buy-and-hold', () => {
    for (const run of ['adaptive', 'buy_and_hold'] as const) {
      const m = s.metrics[run]!;
      for (const key of Object.keys(expected.stitched[run]) as Array<keyof typeof m>) near(m[key], expected.stitched[run][key]);
      const want: number[] = expected.equity[run];
      expect(s.equity[run]!.length).toBe(want.length);
      want.forEach((v, i) => near(s.equity[run]![i]!, v));
    }
  });

  it('gives the reference\'s walk-forward efficiency, per fold and overall', () => {
    const bpy = fixture.bars_per_year;
    fixture.folds.forEach((f, k) => {
      const oos = evaluatePositions(close, folds[k]!.positions.adaptive, f.out_of_sample, costs, bpy, []).metrics;
      const isCagr = pooledCagr([f.in_sample], bpy);
      near(oos.cagr, expected.folds[k].out_of_sample_cagr);
      near(isCagr, expected.folds[k].in_sample_cagr);
      const wfe = walkForwardEfficiency(oos.cagr, isCagr);
      if (expected.folds[k].walk_forward_efficiency === null) expect(wfe).toBeNull();
      else near(wfe!, expected.folds[k].walk_forward_efficiency);
    });
    const pooled = pooledCagr(fixture.folds.map((f) => f.in_sample), bpy);
    near(pooled, expected.in_sample_cagr);
    near(walkForwardEfficiency(s.metrics.adaptive!.cagr, pooled)!, expected.walk_forward_efficiency);
  });
});

describe('walk-forward efficiency by hand', () => {
  it('is the stitched cagr over the pooled in-sample cagr, losing folds included; undefined when that is ≤ 0', () => {
    // two folds of 252 returns: +21 % and −10 % in sample → pooled (1.21·0.9)^(252/504) − 1 = √1.089 − 1
    const pooled = pooledCagr([{ returns: 252, total_return: 0.21 }, { returns: 252, total_return: -0.1 }], 252);
    expect(pooled).toBeCloseTo(Math.sqrt(1.089) - 1, 14);
    expect(walkForwardEfficiency(0.02, pooled)).toBeCloseTo(0.02 / (Math.sqrt(1.089) - 1), 12);
    // a fold of 126 returns at +10 % and one of 378 at −10 %: (1.1·0.9)^(252/504) − 1 < 0 → undefined
    const losing = pooledCagr([{ returns: 126, total_return: 0.1 }, { returns: 378, total_return: -0.1 }], 252);
    expect(losing).toBeCloseTo(Math.sqrt(0.99) - 1, 14);
    expect(walkForwardEfficiency(0.05, losing)).toBeNull();
    expect(walkForwardEfficiency(0.05, 0)).toBeNull();
    expect(pooledCagr([{ returns: 10, total_return: -1 }], 252)).toBe(-1);
  });

  it('charges the switch at the hand-over bar and counts it as a trade', () => {
    // fold 0 holds +1 over bars 0–2, fold 1 takes −1 from bar 3: the return at bar 3 is earned
    // by fold 0's +1, minus the cost of |−1 − 1| = 2
    const close = Float64Array.from([100, 101, 102, 103, 104, 105]);
    const pos0 = Float64Array.from([1, 1, 1, 0, 0, 0]);
    const pos1 = Float64Array.from([0, 0, 0, -1, -1, -1]);
    const s = stitchFolds(close, [{ test: { start: 0, end: 3 }, positions: { a: pos0 } }, { test: { start: 3, end: 6 }, positions: { a: pos1 } }], ['a'], { fee: 0.001, slippage: 0 }, 252);
    const r = [101 / 100 - 1, 102 / 101 - 1, 103 / 102 - 1 - 0.002, -(104 / 103 - 1), -(105 / 104 - 1)];
    const e = r.reduce((acc, x) => [...acc, acc.at(-1)! * (1 + x)], [1]);
    s.equity.a!.forEach((v, i) => expect(v).toBeCloseTo(e[i]!, 14));
    expect(s.metrics.a!.trades).toBe(1);
    expect(() => stitchFolds(close, [{ test: { start: 0, end: 3 }, positions: { a: pos0 } }, { test: { start: 4, end: 6 }, positions: { a: pos1 } }], ['a'], { fee: 0, slippage: 0 }, 252)).toThrow(/must be consecutive/);
  });
});

// the committed expected values are the script's output: rerun it where python3 and numpy are
// (Debian's, as .ci/run installs it; always under CI=true, where its absence fails the suite)
describe.skipIf(requireOrSkip('python3 with numpy', pythonMissing('numpy')))('the reference script', () => {
  it('reproduces walk-forward-expected.json from the fixture', () => {
    const out = execFileSync(PYTHON, [fileURLToPath(new URL('walk_forward.py', REFERENCE)), 'compute', fileURLToPath(new URL('walk-forward-fixture.json', REFERENCE))], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(expected);
  });
});
