/**
 * The TypeScript reference of the standard sma-cross benchmark: plain loops, one bar at a time,
 * with shared indicators (each slow SMA series once for the whole grid, each fast series once
 * for its 50 trials). It spells the semantics out literally — ret[t] = pos[t−1]·x − fee·|Δpos|,
 * the drawdown 1 − e/peak on every bar — so the WASM kernel's shortcuts are checked against it.
 *
 * Sharpe uses Σr and Σr² in bar order, var = (Σr² − Σr·mean)/(m − 1): returns are centred near
 * zero, so the one-pass form is accurate here, and the kernel uses the same order of operations.
 */

/** SMA by the exact running-sum rule; NaN before bar w − 1 (comparisons with NaN are false). */
export function runningSma(p: Float64Array, w: number, out = new Float64Array(p.length)): Float64Array {
  let s = 0;
  for (let t = 0; t < p.length; t++) {
    if (t < w) s += p[t];
    else s = s + p[t] - p[t - w];
    out[t] = t >= w - 1 ? s / w : NaN;
  }
  return out;
}

/** Metrics of one trial: [total_return, sharpe, max_drawdown, trades]. */
export function smaCrossTrial(p: Float64Array, fast: Float64Array, slow: Float64Array, warm: number, fee: number,
  out: Float64Array, at: number): void {
  const n = p.length;
  let prev = 0;
  let e = 1;
  let peak = 1;
  let dd = 0;
  let sum = 0;
  let sq = 0;
  let trades = 0;
  for (let t = 1; t < n; t++) {
    const pos = t >= warm && fast[t] > slow[t] ? 1 : 0;
    const r = prev * (p[t] / p[t - 1] - 1) - fee * Math.abs(pos - prev);
    e *= 1 + r;
    sum += r;
    sq += r * r;
    if (e > peak) peak = e;
    const d = 1 - e / peak;
    if (d > dd) dd = d;
    if (pos !== prev) trades++;
    prev = pos;
  }
  const m = n - 1;
  const mean = sum / m;
  const variance = (sq - sum * mean) / (m - 1);
  const sd = variance > 0 ? Math.sqrt(variance) : 0;
  out[at] = e - 1;
  out[at + 1] = sd > 0 ? (mean / sd) * Math.sqrt(252) : 0;
  out[at + 2] = dd;
  out[at + 3] = trades;
}

/**
 * The grid given as (fast, slow) pairs; returns rows of 4 per trial in trial order. Each distinct
 * window's SMA is computed once and kept while a trial still needs it.
 */
export function smaCrossReference(p: Float64Array, trials: Int32Array, fee = 0.001): Float64Array {
  const count = trials.length / 2;
  const lastUse = new Map<number, number>();
  for (let k = 0; k < count; k++) {
    lastUse.set(trials[2 * k], k);
    lastUse.set(trials[2 * k + 1], k);
  }
  const cache = new Map<number, Float64Array>();
  const sma = (w: number) => {
    let s = cache.get(w);
    if (!s) cache.set(w, (s = runningSma(p, w)));
    return s;
  };
  const rows = new Float64Array(count * 4);
  for (let k = 0; k < count; k++) {
    const f = trials[2 * k];
    const s = trials[2 * k + 1];
    smaCrossTrial(p, sma(f), sma(s), Math.max(f, s) - 1, fee, rows, 4 * k);
    if (lastUse.get(f) === k) cache.delete(f);
    if (lastUse.get(s) === k) cache.delete(s);
  }
  return rows;
}
