import { NO_REGIME, regimenError, type ReplayBatch, type ReplayRow, type SignalEvents } from '@regimen/core';
import { evaluatePositions } from './evaluate.js';
import { positionsFromEvents } from './events.js';
import { checkWindow } from './window.js';

/**
 * A replay batch with every leg's positions reconstructed once: legPositions[s][k] is the position
 * series of legs[s].byRegime[k] (null → that strategy is flat in regime k). The same events object
 * used for several regimes is reconstructed once (identity), so the work is per distinct leg.
 */
export interface PreparedReplay {
  readonly batch: ReplayBatch;
  readonly legPositions: ReadonlyArray<ReadonlyArray<Float64Array | null>>;
}

export function prepareReplay(batch: ReplayBatch): PreparedReplay {
  const length = batch.close.length;
  checkWindow(batch.window, length, 'close');
  const seen = new Map<SignalEvents, Float64Array>();
  const legPositions = batch.legs.map((leg) =>
    leg.byRegime.map((events) => {
      if (events === null) return null;
      let p = seen.get(events);
      if (p === undefined) {
        p = positionsFromEvents(events, length, batch.window);
        seen.set(events, p);
      }
      return p;
    }),
  );
  return { batch, legPositions };
}

/**
 * Combined positions of one weight set, DESIGN §5 "signal replay". For t in [start, end):
 *   k = regime.labels[t]; NO_REGIME → 0; else
 *   acc = 0; for s = 0..legs−1 in order: acc = acc + w[k][s]·leg_s_k[t]   (null legs skipped)
 *   pos[t] = min(1, max(−1, acc))
 * 0 outside the window. Skipping a null leg equals adding w·0, since acc starts at +0.
 * `out` (the length of close) is reused when given, e.g. across the weight sets of a batch.
 */
export function replayPositions(prepared: PreparedReplay, w: Float64Array[], out?: Float64Array): Float64Array {
  const { batch, legPositions } = prepared;
  const { start, end } = batch.window;
  const labels = batch.regime.labels;
  checkWeightSet(batch, w);
  if (labels.length < end) {
    throw regimenError({ code: 'internal', field: `regime.${batch.regime.classifier}`, value: labels.length, message: `regime labels cover ${labels.length} bars, the window needs ${end}` });
  }
  // each regime's legs in strategy order, nulls dropped: the same terms added in the same order
  const terms = w.map((wk, k) => {
    const weights: number[] = [];
    const series: Float64Array[] = [];
    legPositions.forEach((byRegime, s) => {
      const leg = byRegime[k];
      if (leg) weights.push(wk[s]), series.push(leg);
    });
    return { weights, series };
  });
  const pos = out ?? new Float64Array(batch.close.length);
  if (out) pos.fill(0, 0, start).fill(0, end);
  for (let t = start; t < end; t++) {
    const k = labels[t];
    if (k === NO_REGIME) {
      pos[t] = 0;
      continue;
    }
    const term = terms[k];
    if (term === undefined) {
      throw regimenError({ code: 'internal', field: `regime.${batch.regime.classifier}`, value: k, message: `regime label ${k} at bar ${t} has no weights` });
    }
    const { weights, series } = term;
    let acc = 0;
    for (let s = 0; s < weights.length; s++) acc += weights[s] * series[s][t];
    pos[t] = acc > 1 ? 1 : acc < -1 ? -1 : acc;
  }
  return pos;
}

/** Score one weight set: replayPositions, then the same PnL loop and metrics as a trial. */
export function replayWeightSet(batch: ReplayBatch, w: Float64Array[], prepared: PreparedReplay = prepareReplay(batch)): ReplayRow {
  const pos = replayPositions(prepared, w);
  return evaluatePositions(batch.close, pos, batch.window, batch.costs, batch.barsPerYear, batch.breakdown);
}

function checkWeightSet(batch: ReplayBatch, w: Float64Array[]): void {
  for (let k = 0; k < w.length; k++) {
    if (w[k].length !== batch.legs.length) {
      throw regimenError({ code: 'internal', field: `weights[${k}]`, value: w[k].length, message: `a weight set needs one weight per strategy (${batch.legs.length})` });
    }
  }
}
