import { describe, expect, it } from 'vitest';
import { combinations, mean, sampleStandardDeviation } from 'simple-statistics';
import { createRng } from '@regimen/core';
import { candidateBlocks, extendStats, packBlocks, runningStats, type CandidateBlocks, type CandidateSeries } from './cscv-blocks.js';
import { probabilityOfBacktestOverfitting, SetMetrics } from './overfitting.js';
import { compileObjective } from './objective.js';

const sharpe = compileObjective('sharpe');
const drawdown = compileObjective('minimize_regime_drawdown');

/** returns of one block: `size` values with the given mean and a fixed ±spread pattern */
const block = (m: number, size = 4, spread = 0.01) => Array.from({ length: size }, (_, i) => m + (i % 2 ? spread : -spread));
const noise = (n: number, rng: ReturnType<typeof createRng>, drift = 0) => Float64Array.from({ length: n }, () => drift + 0.01 * rng.normal());
const blocksOf = (xs: ArrayLike<number>[], S: number) => xs.map((returns) => candidateBlocks({ returns }, S));

/** the metrics of blocks `set` of `c` concatenated in time order, from the running statistics */
function setMetrics(c: CandidateBlocks, set: number[], bpy: number) {
  const s = runningStats(set.length + 1);
  const packed = packBlocks([c]);
  set.forEach((b, d) => extendStats(s, d, d * c.size, packed, b * 8, b, c.size, d + 1, true));
  const m = new SetMetrics(s, bpy);
  m.slot = set.length;
  m.n = set.length * c.size;
  const { sharpe, sortino, max_drawdown, total_return, cagr, volatility, trades, exposure, bars } = m;
  return { sharpe, sortino, max_drawdown, total_return, cagr, volatility, trades, exposure, bars };
}

/** DESIGN §5 metrics of plain returns, bar by bar (the kernel's metricsOfReturns, written again) */
function plainMetrics(r: number[], bpy = 1) {
  let e = 1, peak = 1, mdd = 0, down = 0;
  for (const x of r) {
    e *= 1 + x;
    peak = Math.max(peak, e);
    mdd = Math.max(mdd, 1 - e / peak);
    if (x < 0) down += x * x;
  }
  const sd = r.length > 1 ? sampleStandardDeviation(r) : 0;
  return { sharpe: sd > 0 ? (mean(r) / sd) * Math.sqrt(bpy) : 0, max_drawdown: mdd, total_return: e - 1, sortino: down > 0 ? mean(r) / Math.sqrt(down / r.length) : 0 };
}

/** The paper's procedure over raw returns, by Sharpe, with mid-ranks and λ = 0 counted one half: the oracle. */
function bruteForcePbo(series: Float64Array[], S: number): { pbo: number; logits: number[]; winners: Array<[number, number]> } {
  const size = Math.floor(series[0]!.length / S);
  const skip = series[0]!.length - size * S;
  const rows = (t: Float64Array, set: number[]) => set.flatMap((b) => Array.from(t.subarray(skip + b * size, skip + (b + 1) * size)));
  const all = Array.from({ length: S }, (_, b) => b);
  const winners: Array<[number, number]> = [];
  let overfit = 0;
  const logits = combinations(all, S / 2).map((train) => {
    const test = all.filter((b) => !train.includes(b));
    const r = series.map((t) => plainMetrics(rows(t, train)).sharpe);
    const rbar = series.map((t) => plainMetrics(rows(t, test)).sharpe);
    const best = r.indexOf(Math.max(...r));
    winners.push([r[best]!, rbar[best]!]);
    const rank = 1 + rbar.filter((x) => x < rbar[best]!).length + (rbar.filter((x) => x === rbar[best]!).length - 1) / 2;
    const w = rank / (series.length + 1);
    overfit += w < 0.5 ? 1 : w === 0.5 ? 0.5 : 0;
    return Math.log(w / (1 - w));
  });
  return { pbo: overfit / logits.length, logits, winners };
}

describe('block summaries', () => {
  it('give the metrics of any concatenation of blocks in time order, drawdown included', () => {
    const rng = createRng(5);
    const S = 8;
    // a trending, then falling, then noisy series: many records, drawdowns spanning blocks
    const returns = Float64Array.from({ length: 8 * 37 + 3 }, (_, i) => (i < 100 ? 0.004 : i < 180 ? -0.006 : 0) + 0.01 * rng.normal());
    const c = candidateBlocks({ returns }, S);
    const skip = 3;
    for (const set of [[0, 1, 2, 3], [1, 3, 5, 7], [0, 2, 6, 7], [4, 5, 6, 7], [0, 1, 2, 3, 4, 5, 6, 7]]) {
      const r = set.flatMap((b) => Array.from(returns.subarray(skip + b * 37, skip + (b + 1) * 37)));
      const want = plainMetrics(r, 252);
      const got = setMetrics(c, set, 252);
      expect(got.bars).toBe(r.length);
      expect(got.sharpe).toBeCloseTo(want.sharpe, 12);
      expect(got.max_drawdown).toBeCloseTo(want.max_drawdown, 14);
      expect(got.total_return).toBeCloseTo(want.total_return, 14);
      expect(got.sortino / Math.sqrt(252)).toBeCloseTo(want.sortino, 12);
    }
  });

  it('give a set without variance a Sharpe of exactly 0, and count trades and exposure per bar', () => {
    const series: CandidateSeries = { returns: [0.001, 0.001, 0.001, 0.001, 0.002, 0, 0.001, -0.001], traded: [1, 0, 0, 0, 0, 1, 1, 0], exposed: [1, 1, 1, 1, 1, 0, 1, 1] };
    const c = candidateBlocks(series, 2);
    // 0.001 four times: the mean may round, the variance is exactly none
    expect(setMetrics(c, [0], 252)).toMatchObject({ sharpe: 0, volatility: 0, trades: 1, exposure: 1, bars: 4 });
    expect(setMetrics(c, [1], 1)).toMatchObject({ trades: 2, exposure: 0.75 });
  });
});

describe('probability of backtest overfitting (CSCV)', () => {
  it('on a hand-worked case: each half\'s winner is the other half\'s loser, so PBO = 1', () => {
    const a = [...block(0.02), ...block(-0.02)];
    const b = [...block(0.001), ...block(0.001)];
    const c = [...block(-0.02), ...block(0.02)];
    const r = probabilityOfBacktestOverfitting(blocksOf([a, b, c], 2), { blocks: 2, bins: 2, objective: sharpe })!;
    // split {0}: winner A, out of sample A ranks 1 of 3 → ω = 1/4, λ = ln(1/3); split {1}: C, the same
    expect(r).toMatchObject({ candidates: 3, blocks: 2, splits: 2, splits_used: 2, at_median: 0, bars_per_block: 4, pbo: 1, probability_of_loss: 1 });
    expect(r.logits.mean).toBeCloseTo(Math.log(1 / 3), 12);
  });

  it('on a hand-worked case: a trial better in every block gives PBO = 0', () => {
    const a = [...block(0.03), ...block(0.03)];
    const b = [...block(0.001), ...block(-0.002)];
    const c = [...block(-0.01), ...block(0.004)];
    const r = probabilityOfBacktestOverfitting(blocksOf([a, b, c], 2), { blocks: 2, objective: sharpe })!;
    expect(r.pbo).toBe(0);
    expect(r.logits.quantiles[2]).toBeCloseTo(Math.log(3), 12);
  });

  it('counts a winner exactly at the median as one half, and mid-ranks exact ties (flat trials score exactly 0)', () => {
    // A wins block 0 and is flat in block 1; B, C are flat everywhere (Sharpe exactly 0: tied);
    // D loses in both blocks.
    const flat = [0, 0, 0, 0];
    const a = [...block(0.02), ...flat];
    const bc = [...flat, ...flat];
    const d = [...block(-0.02), ...block(-0.01)];
    const r = probabilityOfBacktestOverfitting(blocksOf([a, bc, bc, d], 2), { blocks: 2, objective: sharpe })!;
    // split {0}: A wins; out of sample A, B, C tie at 0 above D: rank 1 + 1 + 2/2 = 3 of 4 → ω = 3/5.
    // split {1}: A, B, C tie at exactly 0, A wins by its index; out of sample it ranks 4 → ω = 4/5.
    expect(r).toMatchObject({ pbo: 0, at_median: 0, splits_used: 2 });
    expect(r.logits.mean).toBeCloseTo((Math.log(3 / 2) + Math.log(4)) / 2, 14);
    // three candidates, two tied with the winner: rank 1 + 0 + 2/2 = 2 = (M + 1)/2 → λ = 0 exactly, counted one half
    const e = [...block(0.02), ...flat];
    const t = probabilityOfBacktestOverfitting(blocksOf([e, bc, bc], 2), { blocks: 2, objective: sharpe })!;
    // split {0}: E wins, ties B and C out of sample (all exactly 0): λ = 0, one half.
    // split {1}: all tie at 0, E wins by its index and ranks 3 of 3 out of sample: λ = ln 3.
    expect(t).toMatchObject({ pbo: 0.25, at_median: 1, splits_used: 2 });
    expect(t.logits.mean).toBeCloseTo(Math.log(3) / 2, 14);
  });

  it('ranks by the objective with its tiebreak and leaves out splits the filters empty', () => {
    // minimize_regime_drawdown: −max_drawdown, ties by Sharpe. Two trials never lose (drawdown 0)
    // and tie on the score; the higher Sharpe wins and keeps its rank out of sample.
    const up = (m: number) => Array.from({ length: 8 }, (_, i) => m + 0.001 * (i % 3));
    const a = [...up(0.002), ...up(0.002), ...up(0.002), ...up(0.002)];
    const b = [...up(0.001), ...up(0.001), ...up(0.001), ...up(0.001)];
    const c = Array.from({ length: 32 }, (_, i) => (i % 2 ? 0.01 : -0.012));
    const r = probabilityOfBacktestOverfitting(blocksOf([a, b, c], 4), { blocks: 4, objective: drawdown })!;
    expect(r.pbo).toBe(0);
    // min_trades 4 → a half must hold 2 trades; only c trades, so no split has two candidates
    const trading = (xs: number[], every: number) => ({ returns: xs, traded: xs.map((_, i) => (i % every === 0 ? 1 : 0)) });
    const none = [trading(a, 1000), trading(b, 1000), trading(c, 1)].map((s) => candidateBlocks(s, 4));
    expect(probabilityOfBacktestOverfitting(none, { blocks: 4, objective: drawdown, minTrades: 4 })).toBeNull();
    // b trades every 8th bar: one trade per block, 2 per half — enough for ⌈4/2⌉; a is never a candidate
    const two = [trading(a, 1000), trading(b, 8), trading(c, 1)].map((s) => candidateBlocks(s, 4));
    expect(probabilityOfBacktestOverfitting(two, { blocks: 4, objective: drawdown, minTrades: 4 })).toMatchObject({ splits_used: 6, pbo: 0, candidates: 3 });
  });

  it('equals the procedure computed directly from the returns (no block summaries)', () => {
    const rng = createRng(3);
    const series = Array.from({ length: 9 }, (_, i) => noise(203, rng, i === 4 ? 0.002 : 0)); // 203 = 6·33 + 5 dropped
    const want = bruteForcePbo(series, 6);
    const got = probabilityOfBacktestOverfitting(blocksOf(series, 6), { blocks: 6, objective: sharpe })!;
    expect(got.splits).toBe(20);
    expect(got.pbo).toBe(want.pbo);
    expect(got.logits.mean).toBeCloseTo(mean(want.logits), 12);
    got.degradation.sample.forEach(([x, y], c) => {
      expect(x).toBeCloseTo(want.winners[c]![0], 5);
      expect(y).toBeCloseTo(want.winners[c]![1], 5);
    });
  });

  it('counts candidates with the same summaries (scored once) as many times as they appear', () => {
    const rng = createRng(5);
    const base = Array.from({ length: 5 }, (_, i) => noise(200, rng, i === 2 ? 0.001 : 0));
    // copies before and after their originals, the likely winner's among them, and three flat ones
    const flat = new Float64Array(200);
    const series = [base[3]!, base[0]!, flat, base[1]!, base[2]!, base[3]!, flat, base[2]!, base[4]!, base[3]!, flat];
    const want = bruteForcePbo(series, 6);
    const got = probabilityOfBacktestOverfitting(blocksOf(series, 6), { blocks: 6, objective: sharpe })!;
    expect(got.candidates).toBe(11);
    expect(got.pbo).toBe(want.pbo);
    expect(got.logits.mean).toBeCloseTo(mean(want.logits), 12);
    got.degradation.sample.forEach(([x, y], c) => {
      expect(x).toBeCloseTo(want.winners[c]![0], 5);
      expect(y).toBeCloseTo(want.winners[c]![1], 5);
    });
  });

  // The contract's point (DESIGN §5): with no skill the winner's rank out of sample is uniform on
  // 1..N, so (#λ<0 + ½#λ=0) has expectation exactly ½ for every N. Counting λ = 0 as overfit would
  // give (N+1)/(2N): 0.667 for N = 3 — which this test also shows it can tell apart.
  it.each([3, 5, 25, 50])('has mean 0.5 within its standard error over many noise seeds, N = %i', (N) => {
    const seeds = 300;
    const pbos: number[] = [];
    const biased: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const rng = createRng(1000 * N + seed);
      const r = probabilityOfBacktestOverfitting(blocksOf(Array.from({ length: N }, () => noise(60, rng)), 6), { blocks: 6, objective: sharpe })!;
      pbos.push(r.pbo);
      biased.push(r.pbo + r.at_median / (2 * r.splits_used));
    }
    const se = sampleStandardDeviation(pbos) / Math.sqrt(seeds);
    expect(Math.abs(mean(pbos) - 0.5)).toBeLessThan(3 * se);
    if (N === 3) expect(mean(biased) - 0.5).toBeGreaterThan(3 * se);
  });

  it('is near 0 when one trial has a real edge', () => {
    const S = 10;
    for (let seed = 1; seed <= 4; seed++) {
      const rng = createRng(seed);
      const trials = Array.from({ length: 40 }, (_, i) => noise(2000, rng, i === 0 ? 0.002 : 0));
      expect(probabilityOfBacktestOverfitting(blocksOf(trials, S), { blocks: S, objective: sharpe })!.pbo).toBeLessThan(0.05);
    }
  });

  it('needs two candidates and an even number of blocks up to 20', () => {
    expect(probabilityOfBacktestOverfitting(blocksOf([block(0.01, 8)], 4), { blocks: 4, objective: sharpe })).toBeNull();
    expect(() => probabilityOfBacktestOverfitting([], { blocks: 5, objective: sharpe })).toThrow(/even number of blocks/);
    expect(() => probabilityOfBacktestOverfitting([], { blocks: 22, objective: sharpe })).toThrow(/even number of blocks/);
  });
});
