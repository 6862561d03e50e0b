import { sliceBars, type BarColumns, type Engine, type TrialSpec } from '@regimen/core';

/**
 * Engine.positionsAtCuts by plain runs: trial i's position at each bar c of cuts[i], from a run of
 * the engine on the bars 0..c only (the data really cut). What an engine without a faster way
 * answers, and the way for plugin strategies, whose own code reads the bars it is given.
 */
export function positionsAtCutsByRuns(engine: Pick<Engine, 'runTrials'>, bars: BarColumns, trials: TrialSpec[], cuts: number[][]): Float64Array[] {
  return trials.map((trial, i) =>
    Float64Array.from(cuts[i]!, (c) => {
      const [row] = engine.runTrials({ bars: sliceBars(bars, c + 1), window: { start: c, end: c + 1 }, trials: [trial], regimes: [], costs: { fee: 0, slippage: 0 }, barsPerYear: 1, captureSignals: true });
      // the window's one bar: an event at c when the position there is not flat
      return row!.signals!.position[0] ?? 0;
    }),
  );
}
