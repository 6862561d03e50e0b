import {
  NO_REGIME, regimenError, type BarColumns, type Engine, type RegimeTrack, type ReplayBatch, type ReplayRow, type SignalEvents, type TrialBatch, type TrialRow, type TrialSpec,
} from '@regimen/core';
import { checkCovers, checkWindow } from '../reference/window.js';
import { positionsFromEvents } from '../reference/events.js';
import { createKernelArena, type KernelArena } from './kernel-arena.js';
import { positionsAtCuts } from './kernel-cuts.js';
import { positionsAtCutsByRuns } from '../reference/cut-positions.js';
import { kernelDataCache } from './kernel-data.js';
import { prepareEvaluations } from './kernel-evaluate.js';
import { firstBars, scoreWeightSets } from './kernel-replay.js';
import { parseTrial, seriesCache, writePositions } from './kernel-trials.js';
import { openSharedMarket, type SharedMarket } from './shared-market.js';

/**
 * The `wasm` engine: the AssemblyScript kernel behind the Engine interface, with exactly the
 * reference's semantics (src/reference/engine.ts) — same positions, trades and events, and every
 * metric the same bits, because each kernel routine repeats the reference's order of operations.
 *
 * One engine owns one kernel instance. The market data is copied into its memory once and kept
 * while batches pass the same arrays, so a caller that reuses its BarColumns object pays for the
 * copy once per run, not per batch — and an engine over a shared market (createSharedWasmEngine)
 * given that market's own views never copies it at all.
 */
export function createWasmEngine(): Engine {
  return engineOn(createKernelArena());
}

/**
 * A wasm engine whose kernel is instantiated against a shared market's memory (a worker of a
 * pool), with the market's bars and regimes as views of that memory: batches over exactly these
 * arrays read the data in place, and the engine's scratch lives in chunks it claims past the data.
 */
export function createSharedWasmEngine(market: SharedMarket): { engine: Engine; bars: BarColumns; regimes: RegimeTrack[] } {
  return { engine: engineOn(createKernelArena({ memory: market.memory, header: market.header })), ...openSharedMarket(market) };
}

function engineOn(arena: KernelArena): Engine {
  const dataFor = kernelDataCache(arena, arena.top());

  return {
    name: 'wasm',
    runTrials(batch: TrialBatch): TrialRow[] {
      const { bars, window } = batch;
      checkWindow(window, bars.close.length, 'close/positions');
      const data = dataFor(bars.close);
      const len = data.length;
      const trials = batch.trials.map((t) => parseTrial(t, len));
      const folds = batch.folds ?? [{ window, regimes: batch.regimes }];
      if (batch.folds) for (const f of batch.folds) checkCovers(window, f.window);
      const evaluators = prepareEvaluations(arena, data, folds, batch.costs, batch.barsPerYear);
      const series = seriesCache(arena, data, bars, trials);
      try {
        return trials.map((trial, i) => {
          writePositions(arena, data, trial, series, bars);
          series.done(i);
          const evaluations = evaluators.map((evaluate) => evaluate());
          const row: TrialRow = { trial_id: batch.trials[i]!.trial_id, metrics: evaluations[0]!.metrics, regimes: evaluations[0]!.regimes };
          if (batch.folds) row.folds = evaluations;
          if (batch.captureSignals) {
            const count = arena.kernel.positionEvents(data.pos, window.start, window.end, data.eventBars, data.eventPositions);
            row.signals = { bar: arena.i32(data.eventBars, count).slice(), position: arena.f64(data.eventPositions, count).slice() };
          }
          return row;
        });
      } finally {
        series.close();
      }
    },

    positionsAtCuts(bars: BarColumns, trials: TrialSpec[], cuts: number[][]): Float64Array[] {
      const len = bars.close.length;
      const parsed = trials.map((t) => parseTrial(t, len));
      // a plugin strategy's own code reads the bars it is given: it runs on the cut data itself
      const own = parsed.flatMap((t, i) => (t.plugin ? [] : [i]));
      const out: Float64Array[] = own.length === trials.length ? positionsAtCuts(arena, bars, parsed, cuts) : new Array(trials.length);
      if (own.length < trials.length) {
        const kernel = positionsAtCuts(arena, bars, own.map((i) => parsed[i]!), own.map((i) => cuts[i]!));
        own.forEach((i, k) => (out[i] = kernel[k]!));
        parsed.forEach((t, i) => {
          if (t.plugin) out[i] = positionsAtCutsByRuns(this, bars, [trials[i]!], [cuts[i]!])[0]!;
        });
      }
      return out;
    },

    replay(batch: ReplayBatch): ReplayRow[] {
      const { window, regime } = batch;
      const { start, end } = window;
      const length = batch.close.length;
      checkWindow(window, length, 'close');
      const data = dataFor(batch.close);
      // legs: each distinct events object becomes one position series (reference: prepareReplay)
      const legSlots = new Map<SignalEvents, number>();
      try {
        const legPtr = batch.legs.map((leg) => leg.byRegime.map((events) => {
          if (events === null) return 0;
          let at = legSlots.get(events);
          if (at === undefined) {
            at = arena.takeSlot(length * 8);
            positionsFromEvents(events, length, window, arena.f64(at, length));
            legSlots.set(events, at);
          }
          return at;
        }));
        const legs = batch.legs.length;
        for (const w of batch.weightSets) {
          for (let k = 0; k < w.length; k++) {
            if (w[k]!.length !== legs) {
              throw regimenError({ code: 'internal', field: `weights[${k}]`, value: w[k]!.length, message: `a weight set needs one weight per strategy (${legs})` });
            }
          }
        }
        if (regime.labels.length < end) {
          throw regimenError({ code: 'internal', field: `regime.${regime.classifier}`, value: regime.labels.length, message: `regime labels cover ${regime.labels.length} bars, the window needs ${end}` });
        }
        // first bar of each label in the window: a weight set without weights for a label fails
        // at its first bar, as the reference does
        const firstBar = firstBars(arena, data.labels(regime), start, end, data.scratch(1024));
        for (const w of batch.weightSets) {
          let bad = -1;
          for (let k = w.length; k < NO_REGIME; k++) if (firstBar[k] !== -1 && (bad === -1 || firstBar[k]! < firstBar[bad]!)) bad = k;
          if (bad !== -1) {
            throw regimenError({ code: 'internal', field: `regime.${regime.classifier}`, value: bad, message: `regime label ${bad} at bar ${firstBar[bad]} has no weights` });
          }
        }
        return scoreWeightSets(arena, data, batch, legPtr, data.labels(regime));
      } finally {
        for (const at of legSlots.values()) arena.releaseSlot(at);
      }
    },
  };
}

let shared: Promise<Engine> | undefined;

/** The wasm engine of this thread (one kernel instance per thread, created on first use). */
export function loadWasmEngine(): Promise<Engine> {
  shared ??= Promise.resolve().then(createWasmEngine);
  return shared;
}
