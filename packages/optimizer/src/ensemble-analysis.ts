import { regimenError, type EnsembleReport, type EnsembleTrial, type EnsembleWeights, type RegimeMetrics } from '@regimen/core';
import { compareRanked, type Objective } from './objective.js';

/**
 * The `scores` of an ensemble trial: per regime of one classifier, the objective on that regime's
 * metrics. Regimes with fewer than min_bars bars get no score (NaN would not survive JSON), so
 * analyzeEnsemble never picks weights from too little evidence.
 */
export function ensembleScores(regimes: Record<string, RegimeMetrics> | undefined, objective: Objective, minBars = 0): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, m] of Object.entries(regimes ?? {})) {
    if (m.bars < minBars) continue;
    const s = objective.score(m);
    if (Number.isFinite(s)) out[name] = s;
  }
  return out;
}

export interface EnsembleAnalysisOptions {
  classifier: string;
  regimes: string[];
  strategies: string[];
  /** ensemble trial ids in the order the search scored them, recorded so a reader can show how it converged */
  evaluationOrder?: readonly string[];
}

/**
 * Phase 3: per regime, the weights of the ensemble trial with the best `scores[regime]` (ties →
 * lower ensemble_trial_id). A regime no trial scored (too few bars everywhere) gets equal weights,
 * and the report says so, so the adaptive phase always has weights for every regime.
 */
export function analyzeEnsemble(trials: EnsembleTrial[], opts: EnsembleAnalysisOptions): { weights: EnsembleWeights[string]; report: EnsembleReport } {
  const mine = trials.filter((t) => t.classifier === opts.classifier);
  if (opts.strategies.length === 0) throw regimenError({ code: 'config', message: 'ensemble analysis needs at least one strategy' });
  const weights: EnsembleWeights[string] = {};
  const order = opts.evaluationOrder && new Map(opts.evaluationOrder.map((id, i) => [id, i]));
  const report: EnsembleReport = {
    classifier: opts.classifier,
    regimes: {},
    weight_sets: mine.map((t) => ({
      ensemble_trial_id: t.ensemble_trial_id,
      weights: t.weights,
      scores: Object.fromEntries(opts.regimes.map((r) => [r, Number.isFinite(t.scores[r]) ? t.scores[r]! : null])),
      ...(order?.has(t.ensemble_trial_id) ? { evaluation: order.get(t.ensemble_trial_id)! } : {}),
    })),
  };
  for (const r of opts.regimes) {
    const scored = mine.filter((t) => Number.isFinite(t.scores[r]));
    scored.sort((a, b) => compareRanked({ id: a.ensemble_trial_id, score: a.scores[r]! }, { id: b.ensemble_trial_id, score: b.scores[r]! }));
    const best = scored[0];
    if (best) {
      weights[r] = Object.fromEntries(opts.strategies.map((s) => [s, best.weights[s] ?? 0]));
      report.regimes[r] = { ensemble_trial_id: best.ensemble_trial_id, score: best.scores[r]!, fallback: null };
    } else {
      weights[r] = Object.fromEntries(opts.strategies.map((s) => [s, 1 / opts.strategies.length]));
      report.regimes[r] = { ensemble_trial_id: null, score: null, fallback: 'no weight set has a score in this regime; equal weights used' };
    }
  }
  return { weights, report };
}
