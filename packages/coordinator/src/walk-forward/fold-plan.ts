import { regimenError, type ScoreWindow } from '@regimen/core';
import { isoTime, lowerBound, parseTimeText } from '@regimen/data';
import { parseWindowLength, shiftTime, type Duration, type WindowLength } from './window-length.js';

const times = (d: Duration, j: number): Duration => ({ ...d, amount: d.amount * j });

/**
 * The folds of a validation: each an in-sample window (phases 1–3: classifiers fitted, trials run,
 * weights chosen) and the out-of-sample window after it (phase 4), as bar indices [start, end).
 * A single split is the plan of one fold; a walk-forward has several, their out-of-sample windows
 * consecutive and ending with the data:
 *
 *   rolling   IS_k = [oos_k − gap − L_is, oos_k − gap)     every in-sample window the same length
 *   anchored  IS_k = [0, oos_k − gap)                      every in-sample window from the first bar
 *
 * With `folds: K`, the out-of-sample length is `out_of_sample`, or else the bars after the first
 * in-sample window and the gap cut into K equal windows (the remainder, fewer than K bars, is left
 * unused at the start). The first in-sample length is `in_sample`, or else the data split's
 * training part — so a one-fold walk-forward is exactly the single split. With `folds` a list of
 * dates, each date starts an out-of-sample window that runs to the next one (the last to the end).
 */
export interface Fold {
  index: number;
  train: ScoreWindow;
  test: ScoreWindow;
}

export interface FoldPlanSpec {
  folds: number | string[];
  scheme: 'rolling' | 'anchored';
  in_sample?: number | string;
  out_of_sample?: number | string;
  gap: number;
}

/** Where the plan's errors point. */
export interface PlanPlace {
  file: string;
  /** e.g. `workflow.phases.validation.config` */
  prefix: string;
  /** `bar` data has no calendar: durations and dates are refused */
  dated: boolean;
}

/** Fewer than two bars have no return to score. */
const MIN_WINDOW = 2;

export function planFolds(time: Float64Array, spec: FoldPlanSpec, firstTrainEnd: number, place: PlanPlace): Fold[] {
  const n = time.length;
  const field = (k: string) => `${place.prefix}.${k}`;
  const fail = (key: string, value: unknown, message: string): never => {
    throw regimenError({ code: 'config', file: place.file, field: field(key), value, message });
  };
  const length = (key: 'in_sample' | 'out_of_sample', v: number | string): WindowLength => {
    const w = parseWindowLength(v, { file: place.file, field: field(key) });
    if ('duration' in w && !place.dated) fail(key, v, 'the data has bar numbers, not dates: give a number of bars or a fraction');
    return w;
  };
  const bars = (w: WindowLength) => ('bars' in w ? w.bars : 'fraction' in w ? Math.floor(w.fraction * n) : null);
  const gap = spec.gap;
  if (!(Number.isInteger(gap) && gap >= 0)) fail('gap', gap, 'the gap is a whole number of bars ≥ 0');

  // ---- the out-of-sample starts and ends
  let starts: number[];
  let ends: number[];
  const isLength = spec.in_sample !== undefined ? length('in_sample', spec.in_sample) : { bars: firstTrainEnd };
  if (Array.isArray(spec.folds)) {
    if (spec.folds.length < 2) fail('folds', spec.folds, 'a list of fold starts needs at least two dates (one fold is the single split)');
    if (!place.dated) fail('folds', spec.folds, 'the data has bar numbers, not dates: give the number of folds');
    starts = spec.folds.map((text, i) => {
      const p = parseTimeText(String(text));
      if (!p.ok) return fail(`folds[${i}]`, text, p.reason);
      return lowerBound(time, p.ms);
    });
    starts.forEach((s, i) => {
      if (i > 0 && s <= starts[i - 1]!) fail(`folds[${i}]`, spec.folds as string[], 'fold starts must be in increasing order, each in the data and after the previous one');
    });
    ends = [...starts.slice(1), n];
  } else {
    const k = spec.folds;
    if (!(Number.isInteger(k) && k >= 1)) fail('folds', k, 'the number of folds is a whole number ≥ 1');
    if (spec.out_of_sample !== undefined) {
      const oos = length('out_of_sample', spec.out_of_sample);
      const fixed = bars(oos);
      // a duration counts back from the last bar: window j (from the end) holds the bars in
      // (last − j·D, last − (j−1)·D], so calendar months stay anchored to the same day
      const last = time[n - 1]!;
      const startOf = (j: number) => (fixed !== null ? n - j * fixed : lowerBound(time, shiftTime(last, times((oos as { duration: Duration }).duration, j), -1) + 1));
      starts = Array.from({ length: k }, (_, i) => startOf(k - i));
      ends = [...starts.slice(1), n];
    } else {
      const first = bars(isLength) ?? lowerBound(time, shiftTime(time[0]!, (isLength as { duration: Duration }).duration, 1));
      const each = Math.floor((n - first - gap) / k);
      if (each < MIN_WINDOW) fail(spec.in_sample !== undefined ? 'in_sample' : 'folds', spec.in_sample ?? k, `leaves ${n - first - gap} bars after the first in-sample window (${first} bars) and the gap for ${k} out-of-sample windows of at least ${MIN_WINDOW} bars`);
      starts = Array.from({ length: k }, (_, i) => n - (k - i) * each);
      ends = [...starts.slice(1), n];
    }
  }

  // ---- the in-sample window before each
  return starts.map((start, i) => {
    const where = `fold ${i}`;
    const end = ends[i]!;
    if (start < 0) fail('out_of_sample', spec.out_of_sample, `${where}: the out-of-sample windows need more bars than the data has (${n})`);
    if (end - start < MIN_WINDOW) fail(Array.isArray(spec.folds) ? 'folds' : 'out_of_sample', spec.out_of_sample ?? spec.folds, `${where}: its out-of-sample window ${isoTime(time[Math.min(start, n - 1)]!)} has ${end - start} bars; at least ${MIN_WINDOW} are needed`);
    const trainEnd = start - gap;
    if (start < MIN_WINDOW) {
      const key = spec.out_of_sample !== undefined ? 'out_of_sample' : Array.isArray(spec.folds) ? 'folds' : 'in_sample';
      fail(key, spec[key as 'folds'], `${where}: its out-of-sample window starts at bar ${start} (${isoTime(time[start]!)}), leaving no room for an in-sample window before it`);
    }
    if (trainEnd < MIN_WINDOW) fail('gap', gap, `${where}: the gap leaves ${Math.max(0, trainEnd)} bars before the out-of-sample window starts at ${isoTime(time[start]!)}`);
    let trainStart = 0;
    if (spec.scheme === 'rolling') {
      const fixed = bars(isLength);
      // a duration: the bars in [t − D, t) before the window's end time t
      trainStart = fixed !== null ? trainEnd - fixed : lowerBound(time, shiftTime(time[trainEnd]!, (isLength as { duration: Duration }).duration, -1));
      if (trainStart < 0) fail('in_sample', spec.in_sample ?? firstTrainEnd, `${where}: its in-sample window would start ${-trainStart} bars before the data does`);
    }
    if (trainEnd - trainStart < MIN_WINDOW) fail('in_sample', spec.in_sample, `${where}: its in-sample window has ${trainEnd - trainStart} bars; at least ${MIN_WINDOW} are needed`);
    return { index: i, train: { start: trainStart, end: trainEnd }, test: { start, end } };
  });
}

/** The plan as it is written into metadata/workflow.json: bars and the dates they fall on. */
export function describeFolds(folds: Fold[], time: Float64Array) {
  const span = (w: ScoreWindow) => ({ start: w.start, end: w.end, first: isoTime(time[w.start]!), last: isoTime(time[w.end - 1]!) });
  return folds.map((f) => ({ index: f.index, in_sample: span(f.train), out_of_sample: span(f.test) }));
}
