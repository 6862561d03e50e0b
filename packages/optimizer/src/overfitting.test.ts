import { describe, expect, it } from 'vitest';
import { combinations, mean, sampleStandardDeviation } from 'simple-statistics';
import { createRng } from '@regimen/core';
import { blockStats, probabilityOfBacktestOverfitting } from './overfitting.js';

/** returns of one block: `size` values with the given mean and a fixed ±spread pattern (sd known) */
const block = (m: number, size = 4, spread = 0.01) => Array.from({ length: size }, (_, i) => m + (i % 2 ? spread : -spread));

const noise = (n: number, rng: ReturnType<typeof createRng>, drift = 0) => Float64Array.from({ length: n }, () => drift + 0.01 * rng.normal());

/** The paper's procedure from raw returns, written directly (no block summaries): the oracle. */
function bruteForcePbo(series: Float64Array[], S: number): { pbo: number; logits: number[]; winners: Array<[number, number]> } {
  const size = Math.floor(series[0]!.length / S);
  const skip = series[0]!.length - size * S;
  const rows = (t: Float64Array, set: number[]) => set.flatMap((b) => Array.from(t.subarray(skip + b * size, skip + (b + 1) * size)));
  const sharpe = (x: number[]) => {
    const sd = sampleStandardDeviation(x);
    return sd > 0 ? mean(x) / sd : 0;
  };
  const all = Array.from({ length: S }, (_, b) => b);
  const winners: Array<[number, number]> = [];
  const logits = combinations(all, S / 2).map((train) => {
    const test = all.filter((b) => !train.includes(b));
    const r = series.map((t) => sharpe(rows(t, train)));
    const rbar = series.map((t) => sharpe(rows(t, test)));
    const best = r.indexOf(Math.max(...r));
    winners.push([r[best]!, rbar[best]!]);
    const sorted = [...rbar].sort((a, b) => a - b);
    const rank = sorted.indexOf(rbar[best]!) + 1; // distinct values here: the plain rank
    const w = rank / (series.length + 1);
    return Math.log(w / (1 - w));
  });
  return { pbo: logits.filter((l) => l <= 0).length / logits.length, logits, winners };
}

describe('probability of backtest overfitting (CSCV)', () => {
  it('on a hand-worked case: each half\'s winner is the other half\'s loser, so PBO = 1', () => {
    // three trials, two blocks (S = 2: two splits). A wins block 0 and loses block 1, C the reverse.
    const a = [...block(0.02), ...block(-0.02)];
    const b = [...block(0.001), ...block(0.001)];
    const c = [...block(-0.02), ...block(0.02)];
    const r = probabilityOfBacktestOverfitting([a, b, c].map((x) => blockStats(x, 2)), { blocks: 2, bins: 2 })!;
    // split {0}: winner A, out of sample A ranks 1 of 3 → ω = 1/4, λ = ln(1/3); split {1}: C, the same
    expect(r).toMatchObject({ trials: 3, blocks: 2, splits: 2, bars_per_block: 4, pbo: 1, probability_of_loss: 1 });
    expect(r.logits.mean).toBeCloseTo(Math.log(1 / 3), 12);
    expect(r.logits.histogram.counts.reduce((s, x) => s + x, 0)).toBe(2);
  });

  it('on a hand-worked case: a trial better in every block gives PBO = 0', () => {
    const a = [...block(0.03), ...block(0.03)];
    const b = [...block(0.001), ...block(-0.002)];
    const c = [...block(-0.01), ...block(0.004)];
    const r = probabilityOfBacktestOverfitting([a, b, c].map((x) => blockStats(x, 2)), { blocks: 2 })!;
    // the winner is A both times and ranks 3 of 3 out of sample: ω = 3/4, λ = ln 3
    expect(r.pbo).toBe(0);
    expect(r.logits.quantiles[2]).toBeCloseTo(Math.log(3), 12);
    expect(r.probability_of_loss).toBe(0);
  });

  it('equals the procedure computed directly from the returns (no block summaries)', () => {
    const rng = createRng(3);
    const series = Array.from({ length: 9 }, (_, i) => noise(203, rng, i === 4 ? 0.002 : 0)); // 203 = 6·33 + 5 dropped
    const want = bruteForcePbo(series, 6);
    const got = probabilityOfBacktestOverfitting(series.map((s) => blockStats(s, 6)), { blocks: 6 })!;
    expect(got.splits).toBe(20);
    expect(got.pbo).toBe(want.pbo);
    expect(got.logits.mean).toBeCloseTo(mean(want.logits), 12);
    // 20 splits: every one is in the degradation sample, in split order, to 6 significant digits
    expect(got.degradation.sample).toHaveLength(20);
    got.degradation.sample!.forEach(([x, y], c) => {
      expect(x).toBe(Number(want.winners[c]![0].toPrecision(6)));
      expect(y).toBe(Number(want.winners[c]![1].toPrecision(6)));
    });
  });

  it('keeps at most 100 splits of the degradation cloud, evenly spaced', () => {
    const rng = createRng(8);
    const series = Array.from({ length: 3 }, () => noise(160, rng));
    const r = probabilityOfBacktestOverfitting(series.map((s) => blockStats(s, 16)), { blocks: 16 })!;
    expect(r.splits).toBe(12870);
    // every 129th of the 12,870 splits: 0, 129, …, 12771
    const want = bruteForcePbo(series, 16).winners.filter((_, c) => c % 129 === 0);
    expect(want).toHaveLength(100);
    expect(r.degradation.sample).toEqual(want.map(([x, y]) => [Number(x.toPrecision(6)), Number(y.toPrecision(6))]));
  });

  it('is near 0.5 for pure-noise trials and near 0 when one trial has a real edge', () => {
    const S = 10;
    const noiseOnly: number[] = [];
    const withEdge: number[] = [];
    const slopes: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const rng = createRng(seed);
      const trials = Array.from({ length: 40 }, () => blockStats(noise(2000, rng), S));
      const r = probabilityOfBacktestOverfitting(trials, { blocks: S })!;
      noiseOnly.push(r.pbo);
      slopes.push(r.degradation.slope);
      // trial 0 earns a per-bar Sharpe of 0.2 on top of the same noise: about 6 standard errors over a
      // half of the data, well clear of the best of 39 noise trials (≈ 2.2 standard errors)
      trials[0] = blockStats(noise(2000, rng, 0.002), S);
      withEdge.push(probabilityOfBacktestOverfitting(trials, { blocks: S })!.pbo);
    }
    expect(mean(noiseOnly)).toBeGreaterThan(0.4);
    expect(mean(noiseOnly)).toBeLessThan(0.6);
    expect(Math.max(...withEdge)).toBeLessThan(0.05);
    // selection on noise: a better in-sample score means a worse out-of-sample one
    expect(mean(slopes)).toBeLessThan(0);
  });

  it('needs two trials and an even number of blocks', () => {
    expect(probabilityOfBacktestOverfitting([blockStats(block(0.01, 8), 4)], { blocks: 4 })).toBeNull();
    expect(() => probabilityOfBacktestOverfitting([], { blocks: 5 })).toThrow(/even number of blocks/);
  });
});
