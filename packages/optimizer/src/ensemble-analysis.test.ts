import { describe, expect, it } from 'vitest';
import { EnsembleWeightsSchema, type EnsembleTrial, type Metrics } from '@regimen/core';
import { analyzeEnsemble, compileObjective, ensembleScores, EnsembleReportSchema } from './index.js';

const m: Metrics = { sharpe: 0, sortino: 0, max_drawdown: 0, total_return: 0, cagr: 0, volatility: 0, trades: 0, exposure: 0 };
const et = (id: string, weights: Record<string, number>, scores: Record<string, number>, classifier = 'hmm'): EnsembleTrial => ({
  ensemble_trial_id: id, classifier, weights, split: 'train', bars: 100, metrics: m, regimes: {}, scores,
});

describe('analyzeEnsemble', () => {
  it('takes per regime the best-scoring weight set, ties to the lower id, equal weights where none scored', () => {
    const trials = [
      et('2', { s1: 0.5, s2: 0.5 }, { bull: 1, bear: 0.5 }),
      et('1', { s1: 1, s2: 0 }, { bull: 1, bear: -1 }),
      et('3', { s1: 0, s2: 1 }, { bull: 0.2 }),
      et('4', { s1: 0, s2: 1 }, { bull: 9, bear: 9 }, 'pattern'),
    ];
    const { weights, report } = analyzeEnsemble(trials, { classifier: 'hmm', regimes: ['bull', 'bear', 'side'], strategies: ['s1', 's2'] });
    expect(weights).toEqual({ bull: { s1: 1, s2: 0 }, bear: { s1: 0.5, s2: 0.5 }, side: { s1: 0.5, s2: 0.5 } });
    expect(EnsembleWeightsSchema.parse({ hmm: weights })).toBeTruthy();
    expect(report.regimes.side!.fallback).toMatch(/equal weights/);
    expect(report.regimes.bear).toEqual({ ensemble_trial_id: '2', score: 0.5, fallback: null });
    expect(report.weight_sets).toHaveLength(3);
    expect(report.weight_sets[2]!.scores).toEqual({ bull: 0.2, bear: null, side: null });
    expect(EnsembleReportSchema.parse(report)).toEqual(report);
  });

  it('records when the search scored each weight set, when told the order', () => {
    const trials = [et('a', { s1: 1 }, { bull: 1 }), et('b', { s1: 0 }, { bull: 2 })];
    const { report } = analyzeEnsemble(trials, { classifier: 'hmm', regimes: ['bull'], strategies: ['s1'], evaluationOrder: ['b', 'a'] });
    expect(report.weight_sets.map((w) => [w.ensemble_trial_id, w.evaluation])).toEqual([['a', 1], ['b', 0]]);
    expect(EnsembleReportSchema.parse(report)).toEqual(report);
  });
});

describe('ensembleScores', () => {
  it('scores each regime with enough bars and leaves the others out', () => {
    const r = { bull: { ...m, max_drawdown: 0.1, sharpe: 1, bars: 50 }, bear: { ...m, max_drawdown: 0.3, bars: 50 }, side: { ...m, bars: 3 } };
    expect(ensembleScores(r, compileObjective('minimize_regime_drawdown'), 20)).toEqual({ bull: -0.1, bear: -0.3 });
  });
});
