import { NO_REGIME, regimenError, type ReplayBatch, type SignalEvents } from '@regimen/core';

/**
 * The reference's replayPositions (DESIGN §5 "signal replay") for one weight set, without
 * materialising a full-length position series per leg: each leg's events are walked by a cursor
 * as t advances through the window. Same sums in the same order, so the same bits:
 *   k = regime.labels[t]; NO_REGIME → 0; else acc = Σ_s w[k][s]·leg_s_k[t] (null legs skipped),
 *   pos[t] = min(1, max(−1, acc)); 0 outside the window.
 * The adaptive backtest and each cut of the look-ahead proof need one weight set each, where
 * materialising every leg over the whole series was most of the work.
 */
export function combinedPositions(batch: ReplayBatch, w: Float64Array[]): Float64Array {
  const { start, end } = batch.window;
  const labels = batch.regime.labels;
  if (labels.length < end) {
    throw regimenError({ code: 'internal', field: `regime.${batch.regime.classifier}`, value: labels.length, message: `regime labels cover ${labels.length} bars, the window needs ${end}` });
  }
  // one cursor per distinct events object, shared by every (strategy, regime) that uses it
  const cursors = new Map<SignalEvents, Cursor>();
  const legs = batch.legs.map((leg) =>
    leg.byRegime.map((events) => {
      if (events === null) return null;
      let c = cursors.get(events);
      if (c === undefined) cursors.set(events, (c = { events, next: 0, position: 0 }));
      return c;
    }),
  );
  const pos = new Float64Array(batch.close.length);
  for (let t = start; t < end; t++) {
    const k = labels[t]!;
    if (k === NO_REGIME) continue;
    const wk = w[k];
    if (wk === undefined) {
      throw regimenError({ code: 'internal', field: `regime.${batch.regime.classifier}`, value: k, message: `regime label ${k} at bar ${t} has no weights` });
    }
    let acc = 0;
    for (let s = 0; s < legs.length; s++) {
      const c = legs[s]![k];
      if (c) acc += wk[s]! * positionAt(c, t);
    }
    pos[t] = acc > 1 ? 1 : acc < -1 ? -1 : acc;
  }
  return pos;
}

interface Cursor {
  events: SignalEvents;
  next: number;
  position: number;
}

/** The position of the last event at or before t (0 before the first); t never decreases. */
function positionAt(c: Cursor, t: number): number {
  const { bar, position } = c.events;
  while (c.next < bar.length && bar[c.next]! <= t) c.position = position[c.next++]!;
  return c.position;
}
