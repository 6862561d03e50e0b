import { describe, expect, it } from 'vitest';
import type { Metrics, Overfitting, ParameterSurface, PboEntry, PboResult, WalkForwardResults } from '@regimen/core';
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
  candidates: 8,
  blocks: 16,
  bars_per_block: 20,
  splits: 12870,
  splits_used: 12000,
  at_median: 10,
  pbo: p,
  logits: { mean: 0, quantiles: [0, 0, 0, 0, 0], histogram: { edges: [-1, 0, 1], counts: [1, 1] } },
  degradation: { slope: -0.5, intercept: 0, in_sample_mean: 1, out_of_sample_mean: 0, sample: [] },
  probability_of_loss: 0.4,
});
const entry = (kind: PboEntry['kind'], regime: string | null, strategy: string | null, p: number | null): PboEntry => ({
  key: [kind, kind === 'selection' || kind === 'ensemble' ? 'hmm' : null, regime, strategy].filter(Boolean).join('/'),
  kind, classifier: kind === 'selection' || kind === 'ensemble' ? 'hmm' : null, regime, strategy,
  ranked: 'the 8 trials', statistic: kind === 'ensemble' ? 'sharpe' : 'minimize_regime_drawdown', min_bars: 0, min_trades: 0, bars: 'some bars', bar_count: 320,
  result: p === null ? null : pbo(p), reason: p === null ? 'too few' : null,
});
/** winners a and b in regime up, weights in up and down, the secondary lines */
const overfitting = (a: number | null, b: number, up: number, down: number, all: number): Overfitting => ({
  version: 2,
  window: { start: 0, end: 320 },
  blocks: 16,
  entries: [entry('selection', 'up', 'a', a), entry('selection', 'up', 'b', b), entry('ensemble', 'up', null, up), entry('ensemble', 'down', null, down), entry('strategy', null, 'a', all), entry('all_trials', null, null, all)],
});

describe('overfitWarnings', () => {
  it('names every selection with a PBO above one half, per classifier\'s winners and weights, and none at or below it', () => {
    const w = overfitWarnings(overfitting(0.51, 0.5, 0.75, 0.2, 0.9));
    // the secondary lines (best overall by Sharpe, 0.9) are not the run's selection: no warning
    expect(w.map((x) => [x.code, x.subject])).toEqual([['overfit', 'PBO of hmm\'s per-regime winners'], ['overfit', 'PBO of hmm\'s regime weights']]);
    expect(w[0]!.message).toMatch(/above 0\.5 for 1 of 2 selections: a in up 0\.510 \(8 candidates\) — ranked by minimize_regime_drawdown on the regime's own training bars/);
    expect(w[1]!.message).toMatch(/1 of 2 selections: up 0\.750 .*ranked by sharpe/);
    expect(overfitWarnings(overfitting(null, 0.1, 0.1, 0.5, 0.9))).toEqual([]);
    expect(overfitWarnings(undefined)).toEqual([]);
  });

  it('over the folds of a walk-forward: one warning per classifier\'s winners or weights, naming each fold above one half', () => {
    const w = foldOverfitWarnings([overfitting(0.6, 0.1, 0.2, 0.9, 0), undefined, overfitting(null, 0.7, 0.8, 0.8, 0)]);
    expect(w.map((x) => [x.subject, x.folds])).toEqual([['PBO of hmm\'s per-regime winners', [0, 2]], ['PBO of hmm\'s regime weights', [0, 2]]]);
    expect(w[1]!.message).toMatch(/above 0\.5 in 2 of 3 folds: fold 0 \(1 of 2 selections\), fold 2 \(2 of 2 selections\)/);
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
