import { iterateGrid, type RegimeOptimalParams, type RegimeTrack, type SignalEvents, type TrialPerformance } from '@regimen/core';
import { buildLegs, replayBatch } from '@regimen/backtester';
import { readSignalEvents } from '@regimen/data';
import { prepareReplay, replayPositions, windowReturns } from '@regimen/kernel';
import { blockStats, blockStatsFromSums, DEFAULT_PBO_BLOCKS, probabilityOfBacktestOverfitting, weightSpace, type BlockStats, type Overfitting } from '@regimen/optimizer';
import { eventBlockSums, marketSums } from './block-sums.js';
import type { RunContext } from './context.js';

/** Weight sets of the ensemble grid scored for its PBO, at most (a finer grid is sampled evenly). */
const MAX_GRID_POINTS = 2000;

/**
 * analysis/overfitting.json of one workspace (a fold of a walk-forward, or the single split): the
 * Probability of Backtest Overfitting of the phase-1 trials — per strategy and over all of them —
 * and of the configured ensemble weight grid per classifier (each weight set replayed with the
 * regime winners, as phase 3 scores it), over the training window. Every trial's returns come from
 * its saved signals, so nothing is recomputed from market data; they are summed per block from the
 * change events (block-sums.ts), never held bar by bar.
 */
export function overfittingReport(ctx: RunContext, perfs: TrialPerformance[], optimal: RegimeOptimalParams, tracks: RegimeTrack[]): Overfitting {
  const window = { start: ctx.split.trainStart, end: ctx.split.trainEnd };
  const bars = window.end - window.start - 1;
  const S = blocksFor(bars, ctx.config.regime_analysis.pbo_blocks);
  const close = ctx.bars.close;
  const returns = new Float64Array(Math.max(0, bars));
  const positions = new Float64Array(close.length);
  const signals = new Map<string, SignalEvents>();
  const eventsOf = (id: string) => {
    let e = signals.get(id);
    if (!e) signals.set(id, (e = readSignalEvents(ctx.paths.trialSignals(id, ctx.config.parameter_discovery.signal_format)).events));
    return e;
  };
  const opts = { blocks: S ?? DEFAULT_PBO_BLOCKS, barsPerYear: ctx.barsPerYear };
  const pbo = (stats: BlockStats[]) => (S === null ? null : probabilityOfBacktestOverfitting(stats, opts));

  const byStrategy = new Map<string, BlockStats[]>();
  if (S !== null && ctx.config.parameter_discovery.capture_signals) {
    const market = marketSums(close, window);
    for (const p of perfs) {
      const sums = eventBlockSums(eventsOf(p.trial_id), market, ctx.config.costs, S);
      const list = byStrategy.get(p.strategy) ?? [];
      list.push(blockStatsFromSums(sums.size, sums.s1, sums.s2));
      byStrategy.set(p.strategy, list);
      // the winners' signals are read again by the ensemble part below; other trials' are not
      signals.delete(p.trial_id);
    }
  }
  const strategies = Object.fromEntries(ctx.config.strategies.map((s) => [s.name, pbo(byStrategy.get(s.name) ?? [])]));
  const all = pbo([...byStrategy.values()].flat());

  const names = ctx.config.strategies.map((s) => s.name);
  const cfg = ctx.config.ensemble_optimization;
  const space = weightSpace(names, { values: cfg.weight_space as never, sum_to_one: cfg.sum_to_one, min_weight: cfg.min_weight });
  const grid = [...iterateGrid(space)];
  const step = Math.max(1, Math.ceil(grid.length / MAX_GRID_POINTS));
  const sets = grid.filter((_, i) => i % step === 0).map((c) => Object.fromEntries(names.map((s) => [s, Number(c[s] ?? 0)])));
  const ensemble = Object.fromEntries(tracks.map((regime) => {
    if (S === null || !ctx.config.parameter_discovery.capture_signals || !optimal[regime.classifier]) return [regime.classifier, null];
    const winners = optimal[regime.classifier]!;
    const legs = buildLegs(regime, names, winners, eventsOf);
    const input = { close, window, regime, breakdown: [], strategies: names, winners, costs: ctx.config.costs, barsPerYear: ctx.barsPerYear };
    const batch = replayBatch(input, legs, sets);
    const prepared = prepareReplay(batch);
    const stats = batch.weightSets.map((w) => blockStats(windowReturns(close, replayPositions(prepared, w, positions), window, ctx.config.costs, returns), S));
    return [regime.classifier, pbo(stats)];
  }));
  return { window: { start: window.start, end: window.end }, blocks: S, strategies, all_trials: all, ensemble_grid: { weight_sets: sets.length, classifiers: ensemble } };
}

/** S: the configured number, lowered (by 2, staying even) while a block would hold fewer than 4 returns; null below 2. */
function blocksFor(bars: number, wanted: number): number | null {
  let s = wanted;
  while (s >= 2 && Math.floor(bars / s) < 4) s -= 2;
  return s >= 2 ? s : null;
}
