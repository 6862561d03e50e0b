import type { ParameterSurface, TrialPerformance } from '@regimen/core';
import { compareIds } from './objective.js';

/** Sorted by strategy, then trial id, so the file does not depend on the order results arrived in. */
export function parameterSurface(trials: TrialPerformance[]): ParameterSurface {
  const rows = trials.map((t) => ({ trial_id: t.trial_id, strategy: t.strategy, params: t.params, bars: t.bars, metrics: t.metrics, regimes: t.regimes }));
  rows.sort((a, b) => (a.strategy < b.strategy ? -1 : a.strategy > b.strategy ? 1 : compareIds(a.trial_id, b.trial_id)));
  return { trials: rows };
}
