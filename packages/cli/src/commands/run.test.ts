import { describe, expect, it } from 'vitest';
import type { DryRunReport } from '@regimen/coordinator';
import { cutsText, formatDryRun } from './run.js';

const strategy = (name: string, exact: boolean) => ({ name, type: 'momentum', grid_points: 25, trials: 25, exact, planned: null, seconds_per_trial: 0.002, bytes_per_trial: 18_000 });
const report = (exact: boolean[]): DryRunReport => ({
  workspace: '/ws', train_bars: 700, test_bars: 300, workers: 2, folds: 1, series: [],
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
});

describe('regimen run: the validation checks say whether they sampled', () => {
  it('names a sampled check as such and points at --exhaustive; an exhaustive one as every bar', () => {
    expect(cutsText(10, 2794)).toBe('10 sampled cuts (--exhaustive: every bar)');
    expect(cutsText(2793, 2794)).toBe('every bar (2793 cuts)');
  });
});
