import { describe, expect, it } from 'vitest';
import type { DryRunReport } from '@regimen/coordinator';
import { formatDryRun } from './run.js';

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
