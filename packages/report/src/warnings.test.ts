import { describe, expect, it } from 'vitest';
import type { Metrics, Overfitting, ParameterSurface, PboResult, WalkForwardResults } from '@regimen/core';
import { adaptiveTrailsWarnings, flickerWarnings, foldOverfitWarnings, foldWarnings, noTradeWarnings, overfitWarnings, universeWarnings } from './warnings.js';
import type { Warning } from './model.js';
import { regimeStats } from './regime-stats.js';

const m = (trades: number): Metrics => ({ sharpe: 0, sortino: 0, max_drawdown: 0, total_return: 0, cagr: 0, volatility: 0, trades, exposure: 0 });
const trial = (strategy: string, trades: number, i: number) => ({ trial_id: `${strategy}-${i}`, strategy, params: {}, bars: 100, metrics: m(trades), regimes: {} });

describe('noTradeWarnings', () => {
  it('names a strategy none of whose trials traded, and only that one', () => {
    const surface: ParameterSurface = { trials: [trial('a', 0, 1), trial('a', 0, 2), trial('b', 0, 1), trial('b', 3, 2)] };
    const w = noTradeWarnings(surface);
    expect(w.map((x) => [x.code, x.subject])).toEqual([['no_trades', 'a']]);
    expect(w[0]!.message).toMatch(/every one of the 2 trials of a made no trade/);
    expect(noTradeWarnings(undefined)).toEqual([]);
  });
});

describe('flickerWarnings', () => {
  const stats = (labels: number[]) => ({ classifier: 'pattern', split: 'train', ...regimeStats(labels, ['a', 'b']) });
  it('flags regimes whose median run is a few bars over many transitions', () => {
    const flicker = Array.from({ length: 300 }, (_, i) => (Math.floor(i / 2) % 2));
    const w = flickerWarnings([stats(flicker)]);
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(/median regime duration 2 bars, 149 transitions in 300 bars/);
  });

  it('leaves long regimes alone, and short series with few transitions', () => {
    const calm = Array.from({ length: 3000 }, (_, i) => (Math.floor(i / 40) % 2));
    expect(flickerWarnings([stats(calm)])).toEqual([]);
    expect(flickerWarnings([stats([0, 1, 0, 1, 0, 1])])).toEqual([]);
  });
});

const pbo = (p: number): PboResult => ({
  trials: 8,
  blocks: 16,
  bars_per_block: 20,
  splits: 12870,
  pbo: p,
  logits: { mean: 0, quantiles: [0, 0, 0, 0, 0], histogram: { edges: [-1, 0, 1], counts: [1, 1] } },
  degradation: { slope: -0.5, intercept: 0, in_sample_mean: 1, out_of_sample_mean: 0, sample: [] },
  probability_of_loss: 0.4,
});
const overfitting = (a: number | null, b: number, all: number, grid: number): Overfitting => ({
  window: { start: 0, end: 320 },
  blocks: 16,
  strategies: { a: a === null ? null : pbo(a), b: pbo(b) },
  all_trials: pbo(all),
  ensemble_grid: { weight_sets: 9, classifiers: { hmm: pbo(grid) } },
});

describe('overfitWarnings', () => {
  it('names every PBO above one half, and none at or below it', () => {
    const w = overfitWarnings(overfitting(0.51, 0.5, 0.75, 0.2));
    expect(w.map((x) => [x.code, x.subject])).toEqual([['overfit', 'PBO of a'], ['overfit', 'PBO of all trials']]);
    expect(w[0]!.message).toMatch(/Probability of Backtest Overfitting 0\.510 over 8 candidates \(12870 splits\)/);
    expect(overfitWarnings(overfitting(null, 0.1, 0.1, 0.5))).toEqual([]);
    expect(overfitWarnings(undefined)).toEqual([]);
  });

  it('over the folds of a walk-forward: one warning per subject naming each fold above one half with its PBO', () => {
    const w = foldOverfitWarnings([overfitting(0.6, 0.1, 0.2, 0.9), undefined, overfitting(null, 0.7, 0.2, 0.8)]);
    expect(w.map((x) => [x.subject, x.folds])).toEqual([['PBO of a', [0]], ['PBO of b', [2]], ['PBO of ensemble grid (hmm)', [0, 2]]]);
    expect(w[2]!.message).toMatch(/above 0\.5 in 2 of 3 folds: fold 0 \(0\.900\), fold 2 \(0\.800\)/);
  });
});

const metrics = (sharpe: number): Metrics => ({ ...m(10), sharpe });
const runs = (adaptive: number, bestStatic: number, equal: number, hold: number) => ({ adaptive: metrics(adaptive), best_static: metrics(bestStatic), equal_weights: metrics(equal), buy_and_hold: metrics(hold) });
const window = { start: 0, end: 10, first: '2000-01-01', last: '2000-01-14' };
const results = (folds: Array<ReturnType<typeof runs>>, stitched: ReturnType<typeof runs>): WalkForwardResults => ({
  classifier: 'hmm',
  scheme: 'rolling',
  gap: 0,
  folds: folds.map((out, index) => ({
    index,
    in_sample: { ...window, adaptive: metrics(1) },
    out_of_sample: { ...window, ...out },
    best_params: {},
    weights: {},
    walk_forward_efficiency: null,
    proofs: { look_ahead: true, transitions_verified: true },
  })),
  stitched: { first: '2000-01-01', last: '2000-03-01', bars: 30, returns: 29, metrics: stitched, equity_file: 'performance/walk_forward_equity.arrow' },
  in_sample_cagr: 0,
  walk_forward_efficiency: null,
  parameter_stability: {},
});

describe('adaptiveTrailsWarnings', () => {
  it('names the folds where a baseline has a higher out-of-sample Sharpe, with the best of them', () => {
    const w = adaptiveTrailsWarnings(results([runs(1, 0.5, 0.2, 0.1), runs(0.3, 0.2, 0.1, 0.9), runs(0, 0.4, 0.6, 0.5)], runs(0.5, 0.4, 0.3, 0.2)));
    expect(w).toHaveLength(1);
    expect(w[0]!.folds).toEqual([1, 2]);
    expect(w[0]!.message).toMatch(/in 2 of 3 folds: fold 1 \(0\.300 vs buy and hold 0\.900\), fold 2 \(0\.000 vs equal weights 0\.600\); stitched over all folds it leads \(0\.500\)/);
  });

  it('says nothing when the adaptive strategy leads (or ties) in every fold', () => {
    expect(adaptiveTrailsWarnings(results([runs(1, 1, 0.2, 0.1), runs(2, 0.2, 0.1, 0.9)], runs(1, 0, 0, 0)))).toEqual([]);
    expect(adaptiveTrailsWarnings(undefined)).toEqual([]);
  });
});

describe('foldWarnings', () => {
  it('groups the folds\' warnings by code and subject, naming the folds', () => {
    const w = (code: 'no_trades' | 'flicker', subject: string, message = 'x') => ({ code, subject, message });
    const grouped = foldWarnings([[w('no_trades', 'a', 'first')], [w('no_trades', 'a', 'second'), w('flicker', 'hmm (train)')], [w('no_trades', 'a')]]);
    expect(grouped.map((x) => [x.code, x.subject, x.folds])).toEqual([['no_trades', 'a, every fold', [0, 1, 2]], ['flicker', 'hmm (train), fold 1', [1]]]);
    expect(grouped[0]!.message).toBe('first (the numbers of fold 0)');
  });
});

describe('universeWarnings', () => {
  const w = (code: Warning['code'], subject: string): Warning => ({ code, subject, message: `${subject} message` });
  it('gives each kind one line naming every series that has it and what it is about there', () => {
    const grouped = universeWarnings([
      { name: 'AA', warnings: [w('no_trades', 'idle'), w('overfit', 'PBO of s1'), w('overfit', 'PBO of all trials')] },
      { name: 'KO', warnings: [] },
      { name: 'GE', warnings: [w('no_trades', 'idle')] },
    ]);
    expect(grouped.map((g) => [g.code, g.subject, g.series])).toEqual([
      ['no_trades', '2 of 3 series', ['AA', 'GE']],
      ['overfit', '1 of 3 series', ['AA']],
    ]);
    expect(grouped[1]!.message).toContain('AA (PBO of s1; PBO of all trials)');
    expect(universeWarnings([{ name: 'KO', warnings: [] }])).toEqual([]);
  });
});
