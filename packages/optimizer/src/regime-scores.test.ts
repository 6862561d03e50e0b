import { describe, expect, it } from 'vitest';
import type { RegimeMetrics, TrialPerformance } from '@regimen/core';
import { compileObjective } from './objective.js';
import { analyzeRegimes } from './regime-analysis.js';
import { regimeScores } from './regime-scores.js';

const rm = (sharpe: number, bars: number, trades: number): RegimeMetrics =>
  ({ sharpe, sortino: sharpe, max_drawdown: 0.1, total_return: 0, cagr: 0, volatility: 0.1, trades, exposure: 1, bars }) as RegimeMetrics;

describe('regimeScores', () => {
  it("scores every classifier × regime as phase 2 ranks it: NaN where its filters or a missing regime leave the trial out", () => {
    const regimes = { hmm: { bull: rm(1.5, 100, 4), bear: rm(-0.5, 8, 4) }, pattern: { up: rm(0.7, 50, 0) } };
    const classifiers = [{ name: 'hmm', regimes: ['bull', 'bear', 'sideways'] }, { name: 'pattern', regimes: ['up'] }];
    const s = regimeScores(regimes, classifiers, compileObjective('sharpe'), { min_bars: 10, min_trades: 1 });
    expect(s).toEqual({ hmm: { bull: 1.5, bear: Number.NaN, sideways: Number.NaN }, pattern: { up: Number.NaN } });
    expect(regimeScores(regimes, classifiers, compileObjective('minimize_max_drawdown'), {}).pattern!.up).toBe(-0.1);
  });

  it("the best finite score per regime is the trial phase 2 picks", () => {
    const trial = (id: string, a: number, b: number, bars: number): TrialPerformance =>
      ({ trial_id: id, strategy: 's', type: 'momentum', params: {}, split: 'train', bars: 100, metrics: rm(0, 100, 3), regimes: { hmm: { x: rm(a, bars, 3), y: rm(b, 100, 3) } } }) as unknown as TrialPerformance;
    const trials = [trial('1', 2, 0.1, 5), trial('2', 1, 0.3, 30), trial('3', 0.5, 0.2, 30)];
    const classifiers = [{ name: 'hmm', regimes: ['x', 'y'] }];
    const filters = { min_bars: 20, min_trades: 0 };
    const { optimal } = analyzeRegimes(trials, { classifiers, strategies: ['s'], objective: 'sharpe', ...filters });
    for (const r of ['x', 'y']) {
      const scores = trials.map((t) => regimeScores(t.regimes, classifiers, compileObjective('sharpe'), filters).hmm![r]!);
      const best = trials[scores.reduce((bi, s, i) => (s > scores[bi]! || Number.isNaN(scores[bi]!) ? i : bi), 0)]!;
      expect(optimal.hmm![r]!.s!.trial_id).toBe(best.trial_id);
    }
  });
});
