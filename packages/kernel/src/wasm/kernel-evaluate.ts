import { regimenError, type Costs, type Evaluation, type FoldWindow, type RegimeTrack, type ScoreWindow } from '@regimen/core';
import type { KernelArena } from './kernel-arena.js';
import { checkBreakdownTrack, LABEL_SLOTS, type KernelData } from './kernel-data.js';
import { GROUP_F64, groupBreakdown, groupCount, groupMetrics, writeTrackTable } from './kernel-metrics.js';

/**
 * Scoring of the positions in `data.pos` over a window, overall and per regime of every track,
 * in one kernel call. `prepareEvaluations` checks the tracks (once per batch) and lays out one
 * track table per window; each returned function scores the current positions over its window,
 * so the folds of a walk-forward are scored from one computation of the positions.
 */
export type Evaluator = () => Evaluation;

const align = (x: number) => Math.ceil(x / 64) * 64;

export function prepareEvaluations(arena: KernelArena, data: KernelData, windows: FoldWindow[], costs: Costs, barsPerYear: number): Evaluator[] {
  const layouts = windows.map(({ window, regimes }) => {
    for (const track of regimes) checkBreakdownTrack(track, window.start, window.end);
    const groups = groupCount(regimes);
    return { groups, tableBytes: align(regimes.length * 12), bytes: align(regimes.length * 12) + align(groups * GROUP_F64 * 8) };
  });
  // every track's labels must stay in kernel memory through the batch
  const distinct = new Set(windows.flatMap((w) => w.regimes.map((t) => t.labels))).size;
  if (distinct > LABEL_SLOTS) throw regimenError({ code: 'internal', field: 'folds', value: distinct, message: `a batch may score at most ${LABEL_SLOTS} regime tracks (classifiers × folds)` });
  // one scratch request for every window: a later request of the same lane may reuse the region
  let at = data.scratch(layouts.reduce((s, l) => s + l.bytes, 0));
  const labels = windows.map((w) => w.regimes.map((t) => data.labels(t)));
  const cost = costs.fee + costs.slippage;
  return windows.map(({ window, regimes: tracks }, i) => {
    const { groups, tableBytes, bytes } = layouts[i]!;
    const table = at;
    const stats = table + tableBytes;
    at += bytes;
    return () => {
      // the table is rewritten on every call: labels() may have grown the memory, never moved it,
      // but another evaluator of the same data may have reused the scratch in between
      writeTrackTable(arena.i32(table, tracks.length * 3), tracks, labels[i]!);
      arena.kernel.evaluateWindow(data.returns, data.pos, window.start, window.end, cost, data.ret, table, tracks.length, stats, groups);
      const s = arena.f64(stats, groups * GROUP_F64);
      return { metrics: groupMetrics(s, 0, barsPerYear), regimes: groupBreakdown(s, tracks, barsPerYear) };
    };
  });
}

export function prepareEvaluation(arena: KernelArena, data: KernelData, window: ScoreWindow, costs: Costs, barsPerYear: number, tracks: RegimeTrack[]): Evaluator {
  return prepareEvaluations(arena, data, [{ window, regimes: tracks }], costs, barsPerYear)[0]!;
}
