import type { Metrics, RegimeBreakdown, RegimeMetrics, RegimeTrack } from '@regimen/core';
import { finishMetrics } from '../reference/metrics.js';

/**
 * Metrics from the kernel's per-group statistics (assembly/evaluate.ts: sum, downSq, equity,
 * peak, maxDd, count, trades, exposed, q, mean, sd, down — f64 each), finished here with the
 * reference's expressions (src/reference/metrics.ts), Math.pow included, so cagr is the same bits.
 */
export const GROUP_F64 = 12;

export function groupMetrics(stats: Float64Array, g: number, barsPerYear: number): Metrics {
  const o = g * GROUP_F64;
  return finishMetrics(
    { equity: stats[o + 2]!, maxDrawdown: stats[o + 4]!, n: stats[o + 5]!, trades: stats[o + 6]!, exposed: stats[o + 7]!, mean: stats[o + 9]!, sd: stats[o + 10]!, down: stats[o + 11]! },
    barsPerYear,
  );
}

/** Group 0 is the whole window; the regimes of track j follow in order. */
export function groupBreakdown(stats: Float64Array, tracks: RegimeTrack[], barsPerYear: number): RegimeBreakdown {
  const out: RegimeBreakdown = {};
  let g = 1;
  for (const track of tracks) {
    const byRegime: Record<string, RegimeMetrics> = {};
    for (const name of track.names) {
      byRegime[name] = { ...groupMetrics(stats, g, barsPerYear), bars: stats[g * GROUP_F64 + 5]! };
      g++;
    }
    out[track.classifier] = byRegime;
  }
  return out;
}

export function groupCount(tracks: RegimeTrack[]): number {
  return 1 + tracks.reduce((a, t) => a + t.names.length, 0);
}

/**
 * The kernel's track table: per breakdown track, its labels pointer, its number of regimes and
 * the index of its first statistics group (group 0 is the whole window).
 */
export function writeTrackTable(row: Int32Array, tracks: RegimeTrack[], labels: number[]): void {
  let g = 1;
  tracks.forEach((t, j) => {
    row[3 * j] = labels[j]!;
    row[3 * j + 1] = t.names.length;
    row[3 * j + 2] = g;
    g += t.names.length;
  });
}
