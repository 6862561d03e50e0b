import { regimenError, type ScoreWindow, type SignalEvents } from '@regimen/core';
import { checkWindow } from './window.js';

/**
 * Position change events of `pos` within [start, end): an event at every t where pos[t] differs
 * from the previous position, the position before `start` counting as flat (0), so a non-zero
 * first position is an event. Bars are absolute indices.
 */
export function eventsFromPositions(pos: Float64Array, window: ScoreWindow): SignalEvents {
  checkWindow(window, pos.length, 'positions');
  const { start, end } = window;
  let count = 0;
  let prev = 0;
  for (let t = start; t < end; t++) {
    if (pos[t] !== prev) count++;
    prev = pos[t];
  }
  const bar = new Int32Array(count);
  const position = new Float64Array(count);
  let i = 0;
  prev = 0;
  for (let t = start; t < end; t++) {
    if (pos[t] !== prev) {
      bar[i] = t;
      position[i] = pos[t];
      i++;
    }
    prev = pos[t];
  }
  return { bar, position };
}

/**
 * Inverse of eventsFromPositions: for t in [start, end) the position of the last event with
 * bar ≤ t (0 before the first event); 0 outside [start, end). Event bars must not decrease.
 * Round trip: positionsFromEvents(eventsFromPositions(p, w), p.length, w) equals p on the window.
 * With `out` (e.g. a series in kernel memory) only [start, end) is written; the rest is left.
 */
export function positionsFromEvents(events: SignalEvents, length: number, window: ScoreWindow, out: Float64Array = new Float64Array(length)): Float64Array {
  checkWindow(window, length, 'series');
  const { start, end } = window;
  const { bar, position } = events;
  if (bar.length !== position.length) {
    throw regimenError({ code: 'internal', field: 'signals', value: { bars: bar.length, positions: position.length }, message: 'signal events have different numbers of bars and positions' });
  }
  for (let i = 1; i < bar.length; i++) {
    if (bar[i] < bar[i - 1]) {
      throw regimenError({ code: 'internal', field: `signals.bar[${i}]`, value: bar[i], message: 'signal event bars must be in increasing order' });
    }
  }
  // stretches between events are filled whole (short ones by a loop: a fill call costs more than
  // a few stores, and replay rebuilds every leg of a long series per call)
  let i = 0;
  let p = 0;
  while (i < bar.length && bar[i] <= start) p = position[i++];
  let t = start;
  while (t < end) {
    const next = i < bar.length ? Math.min(end, Math.max(t + 1, bar[i])) : end;
    if (next - t < 64) for (let x = t; x < next; x++) out[x] = p;
    else out.fill(p, t, next);
    t = next;
    while (i < bar.length && bar[i] <= t) p = position[i++];
  }
  return out;
}
