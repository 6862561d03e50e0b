import type { Metrics, RegimeBreakdown, RegimeMetrics, RegimeTrack } from '@regimen/core';

/**
 * Metrics from the kernel's per-group statistics (assembly/evaluate.ts: sum, downSq, equity,
 * peak, maxDd, count, trades, exposed, q, mean, sd, down — f64 each), finished here with the
 * reference's expressions (src/reference/metrics.ts), Math.pow included, so cagr is the same bits.
 */
export const GROUP_F64 = 12;

export function groupMetrics(stats: Float64Array, g: number, barsPerYear: number): Metrics {
  const o = g * GROUP_F64;
  const equity = stats[o + 2]!;
  const maxDrawdown = stats[o + 4]!;
  const n = stats[o + 5]!;
  const mean = stats[o + 9]!;
  const sd = stats[o + 10]!;
  const down = stats[o + 11]!;
  const annual = Math.sqrt(barsPerYear);
  return {
    sharpe: sd > 0 ? (mean / sd) * annual : 0,
    sortino: down > 0 ? (mean / down) * annual : 0,
    max_drawdown: maxDrawdown,
    total_return: equity - 1,
    cagr: n === 0 ? 0 : equity <= 0 ? -1 : Math.pow(equity, barsPerYear / n) - 1,
    volatility: sd * annual,
    trades: stats[o + 6]!,
    exposure: n > 0 ? stats[o + 7]! / n : 0,
  };
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
