import { regimenError, type Costs, type Metrics, type ScoreWindow } from '@regimen/core';
import { evaluatePositions, windowEquity } from '@regimen/kernel';

/**
 * The folds of a walk-forward stitched into one out-of-sample series (docs/walk-forward.md).
 *
 * The out-of-sample windows [s_k, e_k) are consecutive (e_k = s_(k+1)), so they tile the span
 * [s_1, e_K). A decision belongs to the fold whose window holds the bar it is taken at: the
 * stitched position is pos[t] = pos_k[t] for t in [s_k, e_k), the position fold k's own
 * validation took there. The span is then scored as one series by DESIGN §5,
 *   ret[t] = pos[t−1]·(p[t]/p[t−1] − 1) − cost·|pos[t] − pos[t−1]|,   t = s_1+1 .. e_K−1,
 * so every return of the span is counted once. At the first bar s_k of a later fold the position
 * earning the return is pos_(k−1)[s_k − 1] — what fold k−1's strategy decided at its last close,
 * which is what a live user holds when the re-fitted fold k takes over — and the switch to
 * fold k's first position pays its cost there and counts as a trade. Within a fold the returns
 * are the fold's own, bit for bit; only pos[s_1] enters free, as in a single split.
 */
export interface StitchFold {
  test: ScoreWindow;
  /** run → the fold's positions (absolute bar index; only [test.start, test.end) is read) */
  positions: Record<string, Float64Array>;
}

export interface Stitched {
  window: ScoreWindow;
  positions: Record<string, Float64Array>;
  metrics: Record<string, Metrics>;
  /** run → equity at each bar of the span, 1 at its first bar */
  equity: Record<string, Float64Array>;
}

export function stitchFolds(close: Float64Array, folds: StitchFold[], runs: readonly string[], costs: Costs, barsPerYear: number): Stitched {
  const window = { start: folds[0]!.test.start, end: folds[folds.length - 1]!.test.end };
  for (let k = 1; k < folds.length; k++) {
    if (folds[k]!.test.start !== folds[k - 1]!.test.end) throw regimenError({ code: 'internal', field: `folds[${k}].out_of_sample.start`, value: folds[k]!.test.start, message: `fold ${k} does not start where fold ${k - 1} ends (${folds[k - 1]!.test.end}): the out-of-sample windows must be consecutive` });
  }
  const positions: Record<string, Float64Array> = {};
  const metrics: Record<string, Metrics> = {};
  const equity: Record<string, Float64Array> = {};
  for (const run of runs) {
    const pos = new Float64Array(window.end);
    for (const f of folds) pos.set(f.positions[run]!.subarray(f.test.start, f.test.end), f.test.start);
    positions[run] = pos;
    metrics[run] = evaluatePositions(close, pos, window, costs, barsPerYear, []).metrics;
    equity[run] = windowEquity(close, pos, window, costs);
  }
  return { window, positions, metrics, equity };
}

/**
 * Walk-forward efficiency (Pardo): annualised out-of-sample return over annualised in-sample
 * return; undefined (null) when the in-sample return is not positive, where the ratio has no
 * meaning (a loss in sample "carried over" would read as a positive efficiency).
 */
export function walkForwardEfficiency(outOfSampleCagr: number, inSampleCagr: number): number | null {
  return inSampleCagr > 0 ? outOfSampleCagr / inSampleCagr : null;
}

/**
 * The folds' in-sample annualised return pooled, for the overall efficiency: fold k's in-sample
 * run has n_k returns and growth G_k = 1 + total_return_k, so
 *   pooled = (Π_k G_k)^(bars_per_year / Σ_k n_k) − 1
 * — the bar-weighted geometric mean of the folds' in-sample cagrs, (Π (1 + cagr_k)^n_k)^(1/Σ n_k) − 1,
 * losing folds included. Summed in logs so many folds cannot overflow; −1 when a fold lost everything.
 */
export function pooledCagr(folds: Array<{ returns: number; total_return: number }>, barsPerYear: number): number {
  let logs = 0;
  let n = 0;
  for (const f of folds) {
    if (1 + f.total_return <= 0) return -1;
    logs += Math.log(1 + f.total_return);
    n += f.returns;
  }
  return n === 0 ? 0 : Math.exp((barsPerYear * logs) / n) - 1;
}
