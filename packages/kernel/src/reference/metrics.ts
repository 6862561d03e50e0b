import type { Metrics } from '@regimen/core';

/**
 * DESIGN §5 metrics of a return series r[0..n−1] (flat bars included). Exact order of operations,
 * which a WebAssembly port must follow to give the same bits:
 *   mean = (r[0] + … + r[n−1]) / n                         (sum left to right from 0)
 *   sd   = sqrt(((r[0]−mean)² + … + (r[n−1]−mean)²) / (n−1))   sample sd, second pass
 *   down = sqrt((min(r[0],0)² + … ) / n)                    divided by ALL n (target 0)
 *   E_0 = 1, E_i = E_{i−1}·(1 + r[i−1]), peak_i = max(peak_{i−1}, E_i) with peak_0 = 1
 *   sharpe       = (mean / sd)·sqrt(bpy), 0 when n < 2 or sd = 0
 *   sortino      = (mean / down)·sqrt(bpy), 0 when down = 0 (or n = 0)
 *   max_drawdown = max_i (1 − E_i / peak_i), E_0 included so the first loss counts
 *   total_return = E_n − 1
 *   cagr         = E_n^(bpy/n) − 1 (Math.pow); 0 when n = 0; −1 when E_n ≤ 0
 *   volatility   = sd·sqrt(bpy), 0 when n < 2
 *   exposure     = exposureCount / n, 0 when n = 0
 * `trades` and `exposureCount` are counted by the caller, who knows the positions.
 */
export function metricsOfReturns(returns: Float64Array, barsPerYear: number, trades: number, exposureCount: number): Metrics {
  const n = returns.length;
  let sum = 0;
  let downSq = 0;
  let equity = 1;
  let peak = 1;
  let maxDrawdown = 0;
  for (let i = 0; i < n; i++) {
    const r = returns[i];
    sum += r;
    // adding min(r,0)² = 0 for r ≥ 0 leaves a non-negative sum unchanged, so skipping it is exact
    if (r < 0) downSq += r * r;
    equity = equity * (1 + r);
    if (equity > peak) peak = equity;
    const dd = 1 - equity / peak;
    if (dd > maxDrawdown) maxDrawdown = dd;
  }
  const mean = n > 0 ? sum / n : 0;
  let sd = 0;
  if (n >= 2) {
    let q = 0;
    for (let i = 0; i < n; i++) {
      const d = returns[i] - mean;
      q += d * d;
    }
    sd = Math.sqrt(q / (n - 1));
  }
  const down = n > 0 ? Math.sqrt(downSq / n) : 0;
  return finishMetrics({ n, mean, sd, down, equity, maxDrawdown, trades, exposed: exposureCount }, barsPerYear);
}

/** The accumulated statistics of a return series, from which every metric follows. */
export interface ReturnStats {
  n: number;
  mean: number;
  sd: number;
  down: number;
  equity: number;
  maxDrawdown: number;
  trades: number;
  exposed: number;
}

/**
 * The last step, shared by the reference and the WebAssembly engine (which accumulates the
 * statistics in the kernel and finishes here), so both use the same expressions and Math.pow.
 */
export function finishMetrics(x: ReturnStats, barsPerYear: number): Metrics {
  const annual = Math.sqrt(barsPerYear);
  return {
    sharpe: x.sd > 0 ? (x.mean / x.sd) * annual : 0,
    sortino: x.down > 0 ? (x.mean / x.down) * annual : 0,
    max_drawdown: x.maxDrawdown,
    total_return: x.equity - 1,
    cagr: x.n === 0 ? 0 : x.equity <= 0 ? -1 : Math.pow(x.equity, barsPerYear / x.n) - 1,
    volatility: x.sd * annual,
    trades: x.trades,
    exposure: x.n > 0 ? x.exposed / x.n : 0,
  };
}
