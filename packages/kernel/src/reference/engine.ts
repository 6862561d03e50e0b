import type { BarColumns, Engine, ReplayBatch, ReplayRow, TrialBatch, TrialRow, TrialSpec } from '@regimen/core';
import { evaluatePositions } from './evaluate.js';
import { checkCovers } from './window.js';
import { eventsFromPositions } from './events.js';
import { createIndicatorCache, type IndicatorCache } from './indicator-cache.js';
import { prepareReplay, replayWeightSet } from './replay.js';
import { parseStrategyParams, strategyDefinition } from './strategies/catalog.js';

/** Target positions of one trial over the whole series (causal; 0 during warm-up). */
export function trialPositions(bars: BarColumns, trial: Pick<TrialSpec, 'type' | 'params'>, indicators?: IndicatorCache): Float64Array {
  const def = strategyDefinition(trial.type);
  return def.positions(bars, parseStrategyParams(trial.type, trial.params), indicators);
}

/**
 * The `js` engine: the TypeScript reference every other engine must equal bit for bit.
 * One indicator cache per batch, so trials sharing a window (e.g. an SMA) compute it once.
 */
export const referenceEngine: Engine = {
  name: 'js',
  runTrials(batch: TrialBatch): TrialRow[] {
    const indicators = createIndicatorCache(batch.bars);
    const folds = batch.folds ?? [{ window: batch.window, regimes: batch.regimes }];
    if (batch.folds) for (const f of batch.folds) checkCovers(batch.window, f.window);
    return batch.trials.map((trial) => {
      const pos = trialPositions(batch.bars, trial, indicators);
      const evaluations = folds.map((f) => evaluatePositions(batch.bars.close, pos, f.window, batch.costs, batch.barsPerYear, f.regimes));
      const row: TrialRow = { trial_id: trial.trial_id, metrics: evaluations[0]!.metrics, regimes: evaluations[0]!.regimes };
      if (batch.folds) row.folds = evaluations;
      if (batch.captureSignals) row.signals = eventsFromPositions(pos, batch.window);
      return row;
    });
  },
  replay(batch: ReplayBatch): ReplayRow[] {
    const prepared = prepareReplay(batch);
    return batch.weightSets.map((w) => replayWeightSet(batch, w, prepared));
  },
};
