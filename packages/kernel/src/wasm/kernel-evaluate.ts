import type { Costs, Metrics, RegimeBreakdown, RegimeTrack, ScoreWindow } from '@regimen/core';
import type { KernelArena } from './kernel-arena.js';
import { checkBreakdownTrack, type KernelData } from './kernel-data.js';
import { GROUP_F64, groupBreakdown, groupCount, groupMetrics, writeTrackTable } from './kernel-metrics.js';

/**
 * Scoring of the positions in `data.pos` over a window, overall and per regime of every track,
 * in one kernel call. `prepareEvaluation` checks the tracks (once per batch) and lays out the
 * track table; the returned function scores the current positions.
 */
export type Evaluator = () => { metrics: Metrics; regimes: RegimeBreakdown };

export function prepareEvaluation(arena: KernelArena, data: KernelData, window: ScoreWindow, costs: Costs, barsPerYear: number,
  tracks: RegimeTrack[]): Evaluator {
  const { start, end } = window;
  for (const track of tracks) checkBreakdownTrack(track, start, end);
  const groups = groupCount(tracks);
  const tableBytes = Math.ceil((tracks.length * 12) / 64) * 64;
  const table = data.scratch(tableBytes + groups * GROUP_F64 * 8);
  const stats = table + tableBytes;
  const labels = tracks.map((t) => data.labels(t));
  const cost = costs.fee + costs.slippage;
  return () => {
    // the table is rewritten on every call: labels() may have grown the memory, never moved it,
    // but another evaluator of the same data may have reused the scratch in between
    writeTrackTable(arena.i32(table, tracks.length * 3), tracks, labels);
    arena.kernel.evaluateWindow(data.returns, data.pos, start, end, cost, data.ret, table, tracks.length, stats, groups);
    const s = arena.f64(stats, groups * GROUP_F64);
    return { metrics: groupMetrics(s, 0, barsPerYear), regimes: groupBreakdown(s, tracks, barsPerYear) };
  };
}
