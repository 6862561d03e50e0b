import { describe, expect, it } from 'vitest';
import { MEASURED_COSTS, predictSpeedup, type DryRunReport } from '@regimen/coordinator';
import type { WalkForwardResults } from '@regimen/core';
import { cutsText, formatDistributedEstimate, formatDryRun, formatWalkForward } from './run.js';

const strategy = (name: string, exact: boolean) => ({ name, type: 'momentum', algorithm: 'grid', grid_points: 25, trials: 25, exact, planned: null, at_most: false, seconds_per_trial: 0.002, bytes_per_trial: 18_000 });
const report = (exact: boolean[]): DryRunReport => ({
  workspace: '/ws', train_bars: 700, test_bars: 300, workers: 2, folds: 1, series: [], budget: {}, notes: [],
  strategies: exact.map((e, i) => strategy(`s${i}`, e)), trials: 25 * exact.length, total_trials: 25 * exact.length, seconds: 0.05, bytes: 36_000,
});

describe('regimen run --dry-run output', () => {
  it('explains ≈ only when a count was estimated, and marks that count', () => {
    const exact = formatDryRun(report([true, true]));
    expect(exact).not.toContain('≈');
    const sampled = formatDryRun(report([true, false]));
    expect(sampled).toMatch(/≈25/);
    expect(sampled).toMatch(/^≈: counted on a seeded sample/m);
  });

  it('shows the budget, and marks counts a patience or timeout may cut short', () => {
    const r = report([true]);
    const out = formatDryRun({ ...r, trials: 20, total_trials: 20, budget: { max_trials: 20, patience: 5 }, strategies: r.strategies.map((s) => ({ ...s, algorithm: 'random', trials: 20, planned: 20, at_most: true })) });
    expect(out).toMatch(/budget of each strategy's search: max_trials 20 · patience 5/);
    expect(out).toMatch(/s0 +momentum +random +25 +≤ 20/);
    expect(out).toMatch(/^total: at most 20 trials/m);
    expect(formatDryRun(report([true]))).not.toMatch(/budget|≤/);
  });
});

describe('regimen run --dry-run --executor URL', () => {
  it('prints the model\'s time, its speedup over one worker, its limit and its bound', () => {
    const costs = { ...MEASURED_COSTS.costs, trial_seconds: 0.01 };
    const prediction = predictSpeedup({ series: 500, strategy_trials: [5000, 5000], folds: 10 }, costs, 32, { file_threads: 8 });
    const lines = formatDistributedEstimate({ executor: 'redis://h:6379', costs_from: MEASURED_COSTS.source, trial_seconds: 0.01, prediction, one_worker_seconds: prediction.seconds * prediction.speedup });
    expect(lines[0]).toContain(`with 32 worker(s), by the speedup model: about ${(prediction.seconds / 3600).toFixed(1)} h for phase 1`);
    expect(lines[0]).toContain(`${prediction.speedup.toFixed(1)}×; no number of workers passes ${prediction.limit.toFixed(1)}×`);
    expect(lines[0]).toMatch(/bound by the (workers|coordinator's|cores)/);
    expect(lines[1]).toContain(`kernel 10.000 ms a trial, calibrated here; per-batch, per-file and per-series costs from ${MEASURED_COSTS.source}`);
    expect(formatDryRun(report([true]))).not.toContain('speedup model');
  });
});

describe('regimen run: the validation checks say whether they sampled', () => {
  it('names a sampled check as such and points at --exhaustive; an exhaustive one as every bar', () => {
    expect(cutsText(10, 2794)).toBe('10 sampled cuts (--exhaustive: every bar)');
    expect(cutsText(2793, 2794)).toBe('every bar (2793 cuts)');
  });
});

describe('regimen run: a walk-forward\'s summary', () => {
  const m = (cagr: number) => ({ sharpe: 0.5, sortino: 0.7, max_drawdown: 0.1, total_return: 0.2, cagr, volatility: 0.1, trades: 3, exposure: 0.5 });
  const runs = { adaptive: m(0.02), best_static: m(0.01), equal_weights: m(0.01), buy_and_hold: m(0.05) };
  const w = { start: 0, end: 10, first: '2000-01-03', last: '2000-01-14' };
  const results = (inSample: number[], pooled: number, overall: number | null): WalkForwardResults => ({
    classifier: 'hmm', scheme: 'rolling', gap: 0,
    folds: inSample.map((c, index) => ({
      index, in_sample: { ...w, adaptive: m(c) }, out_of_sample: { ...w, ...runs }, best_params: {}, weights: {},
      walk_forward_efficiency: c > 0 ? 0.02 / c : null, proofs: { look_ahead: true, transitions_verified: true },
    })),
    stitched: { first: '2000-01-03', last: '2000-02-25', bars: 40, returns: 39, metrics: runs, equity_file: 'performance/walk_forward_equity.arrow' },
    in_sample_cagr: pooled, walk_forward_efficiency: overall, parameter_stability: {},
  });

  it('says how the efficiency is defined, with the pooled in-sample cagr, and when it is undefined', () => {
    const defined = formatWalkForward(results([0.04, -0.01], 0.015, 0.02 / 0.015));
    expect(defined).toMatch(/40 bars, 39 returns/);
    expect(defined).toMatch(/walk-forward efficiency: 1\.333 \(stitched out-of-sample cagr 2\.0% \/ the folds' pooled in-sample cagr 1\.5%/);
    // the losing fold's own efficiency is undefined: a dash, explained under the table
    expect(defined).toMatch(/– where the in-sample cagr is ≤ 0, undefined/);
    const undefinedOverall = formatWalkForward(results([-0.02, -0.01], -0.015, null));
    expect(undefinedOverall).toMatch(/walk-forward efficiency: undefined \(the pooled in-sample cagr is ≤ 0\)/);
  });
});
