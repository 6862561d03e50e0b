import { NO_REGIME, regimenError, type Costs, type Evaluation, type RegimeBreakdown, type RegimeMetrics, type RegimeTrack, type ScoreWindow } from '@regimen/core';
import { metricsOfReturns } from './metrics.js';
import { checkWindow } from './window.js';

/**
 * The PnL loop of DESIGN §5 over the window [start, end) (packages/core/src/engine.ts): returns
 * t = start+1 .. end−1, n = end − start − 1, written to out[t − start − 1]:
 *   cost   = fee + slippage                                  (once, as a double)
 *   ret[t] = pos[t−1]·(p[t]/p[t−1] − 1) − cost·|pos[t] − pos[t−1]|
 * The window is a series of its own: pos[start] (computed with the history before the window)
 * enters without a cost, like ret[0] = 0 in DESIGN, and is not a trade.
 */
export function windowReturns(close: Float64Array, pos: Float64Array, window: ScoreWindow, costs: Costs, out?: Float64Array): Float64Array {
  checkWindow(window, Math.min(close.length, pos.length), 'close/positions');
  const { start, end } = window;
  const n = end - start - 1;
  const r = out ?? new Float64Array(n);
  const cost = costs.fee + costs.slippage;
  for (let t = start + 1; t < end; t++) {
    r[t - start - 1] = pos[t - 1] * (close[t] / close[t - 1] - 1) - cost * Math.abs(pos[t] - pos[t - 1]);
  }
  return r;
}

/**
 * Metrics of `pos` over the window, overall and per regime of every track.
 * trades = #{t ∈ start+1..end−1 : pos[t] ≠ pos[t−1]}; exposure = #{t : pos[t−1] ≠ 0} / n.
 * Attribution (DESIGN §5): return t, and a position change at t, belong to regime labels[t−1] —
 * the bar where the position earning it was taken. NO_REGIME bars belong to no regime. Each
 * regime's metrics are metricsOfReturns over its returns in time order (equity compounds over the
 * subsequence), plus `bars` = their count; every regime name appears, all zeros when it has none.
 */
export function evaluatePositions(
  close: Float64Array,
  pos: Float64Array,
  window: ScoreWindow,
  costs: Costs,
  barsPerYear: number,
  regimes: RegimeTrack[],
): Evaluation {
  const returns = windowReturns(close, pos, window, costs);
  const { start, end } = window;
  let trades = 0;
  let exposed = 0;
  for (let t = start + 1; t < end; t++) {
    if (pos[t] !== pos[t - 1]) trades++;
    if (pos[t - 1] !== 0) exposed++;
  }
  const metrics = metricsOfReturns(returns, barsPerYear, trades, exposed);
  const breakdown: RegimeBreakdown = {};
  const scratch = new Float64Array(returns.length);
  for (const track of regimes) breakdown[track.classifier] = regimeMetrics(returns, pos, window, barsPerYear, track, scratch);
  return { metrics, regimes: breakdown };
}

/**
 * Returns grouped by regime with a stable counting sort into `scratch`, so each regime's
 * subsequence keeps time order and the whole track costs O(n + regimes).
 */
function regimeMetrics(
  returns: Float64Array,
  pos: Float64Array,
  window: ScoreWindow,
  barsPerYear: number,
  track: RegimeTrack,
  scratch: Float64Array,
): Record<string, RegimeMetrics> {
  const { start, end } = window;
  const k = track.names.length;
  const labels = track.labels;
  if (labels.length < end) {
    throw regimenError({ code: 'internal', field: `regimes.${track.classifier}`, value: labels.length, message: `regime labels cover ${labels.length} bars, the window needs ${end}` });
  }
  const count = new Int32Array(k);
  const trades = new Int32Array(k);
  const exposed = new Int32Array(k);
  for (let t = start + 1; t < end; t++) {
    const label = labels[t - 1];
    if (label === NO_REGIME) continue;
    if (label >= k) {
      throw regimenError({ code: 'internal', field: `regimes.${track.classifier}`, value: label, message: `regime label ${label} at bar ${t - 1} is not one of ${k} regimes` });
    }
    count[label]++;
    if (pos[t] !== pos[t - 1]) trades[label]++;
    if (pos[t - 1] !== 0) exposed[label]++;
  }
  const offset = new Int32Array(k);
  for (let j = 1; j < k; j++) offset[j] = offset[j - 1] + count[j - 1];
  const fill = offset.slice();
  for (let t = start + 1; t < end; t++) {
    const label = labels[t - 1];
    if (label !== NO_REGIME) scratch[fill[label]++] = returns[t - start - 1];
  }
  const out: Record<string, RegimeMetrics> = {};
  for (let j = 0; j < k; j++) {
    const m = metricsOfReturns(scratch.subarray(offset[j], offset[j] + count[j]), barsPerYear, trades[j], exposed[j]);
    out[track.names[j]] = { ...m, bars: count[j] };
  }
  return out;
}

/**
 * Equity of a position series over the window: E = 1 at its first bar, then compounding the
 * returns its metrics were computed from (DESIGN §5), in the same order as metricsOfReturns — so
 * the last value is 1 + total_return and 1 − E/peak reaches max_drawdown, bit for bit.
 */
export function windowEquity(close: Float64Array, positions: Float64Array, window: ScoreWindow, costs: Costs): Float64Array {
  const returns = windowReturns(close, positions, window, costs);
  const equity = new Float64Array(returns.length + 1);
  equity[0] = 1;
  for (let i = 0; i < returns.length; i++) equity[i + 1] = equity[i]! * (1 + returns[i]!);
  return equity;
}
