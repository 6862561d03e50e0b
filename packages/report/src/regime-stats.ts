import { NO_REGIME } from '@regimen/core';
import type { RegimeStatsView } from './model.js';

/** Maximal runs of equal labels: run i covers bars [start[i], start[i+1]) (the last one to the end). */
export function labelRuns(labels: ArrayLike<number>): { start: number[]; label: number[] } {
  const start: number[] = [];
  const label: number[] = [];
  for (let t = 0; t < labels.length; t++) {
    if (t === 0 || labels[t] !== labels[t - 1]) {
      start.push(t);
      label.push(labels[t]!);
    }
  }
  return { start, label };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * How a classifier's regimes behave on one split: share of bars, how long a regime lasts once
 * entered (runs of equal labels; bars without a regime end a run and belong to none), and the
 * per-bar transition counts between consecutive labelled bars. A transition is a change between
 * two regimes on consecutive bars, so warm-up bars never count as one.
 */
export function regimeStats(labels: ArrayLike<number>, names: string[]): Omit<RegimeStatsView, 'classifier' | 'split'> {
  const k = names.length;
  const count = new Array<number>(k).fill(0);
  const durations: number[][] = names.map(() => []);
  const matrix = names.map(() => new Array<number>(k).fill(0));
  let unlabelled = 0;
  let transitions = 0;
  const runs = labelRuns(labels);
  runs.start.forEach((s, i) => {
    const l = runs.label[i]!;
    if (l === NO_REGIME) return;
    const end = i + 1 < runs.start.length ? runs.start[i + 1]! : labels.length;
    durations[l]!.push(end - s);
  });
  for (let t = 0; t < labels.length; t++) {
    const l = labels[t]!;
    if (l === NO_REGIME) {
      unlabelled++;
      continue;
    }
    count[l]!++;
    const prev = t > 0 ? labels[t - 1]! : NO_REGIME;
    if (prev === NO_REGIME) continue;
    matrix[prev]![l]!++;
    if (prev !== l) transitions++;
  }
  const labelled = labels.length - unlabelled;
  return {
    names,
    bars: labels.length,
    unlabelled,
    count,
    share: count.map((c) => (labelled > 0 ? c / labelled : 0)),
    runs: durations.map((d) => d.length),
    mean_duration: durations.map((d) => (d.length ? d.reduce((a, b) => a + b, 0) / d.length : 0)),
    median_duration: durations.map(median),
    all_runs: durations.reduce((a, d) => a + d.length, 0),
    all_median_duration: median(durations.flat()),
    transitions,
    matrix,
  };
}
