import { slidingMax, slidingMin } from '@regimen/core';

/**
 * Causal indicators in TTR's conventions. Every value at bar t is a recursion over bars ≤ t whose
 * arithmetic does not depend on the series length, so a prefix gives bit-identical values.
 * NaN marks bars before an indicator is defined.
 */

/** True range, defined from bar 1: max(high_t, close_{t−1}) − min(low_t, close_{t−1}). */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const tr = new Float64Array(close.length).fill(NaN);
  for (let t = 1; t < close.length; t++) {
    const c = close[t - 1]!;
    tr[t] = Math.max(high[t]!, c) - Math.min(low[t]!, c);
  }
  return tr;
}

/**
 * Wilder smoothing (TTR's EMA with wilder = TRUE) of x defined from bar `from`: the first value, at
 * bar from+n−1, is the mean of the first n; then m_t = m_{t−1} + (x_t − m_{t−1}) / n.
 */
export function wilder(x: Float64Array, n: number, from: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const first = from + n - 1;
  if (first >= x.length) return out;
  let s = 0;
  for (let t = from; t <= first; t++) s += x[t]!;
  let m = s / n;
  out[first] = m;
  for (let t = first + 1; t < x.length; t++) {
    m += (x[t]! - m) / n;
    out[t] = m;
  }
  return out;
}

/**
 * TTR's wilderSum(x, n) of x defined from bar `from`: the first value, at bar from+n−1, is
 * (x_from + … + x_{from+n−2})·(n−1)/n + x_{from+n−1} — the n−1 first values seed the sum and the n-th
 * enters through the recursion — then s_t = s_{t−1}·(n−1)/n + x_t. (Not n × the Wilder average: the
 * seeds differ, and DI± inherit the difference.)
 */
export function wilderSum(x: Float64Array, n: number, from: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const first = from + n - 1;
  if (first >= x.length) return out;
  let s = 0;
  for (let t = from; t < first; t++) s += x[t]!;
  const k = (n - 1) / n;
  for (let t = first; t < x.length; t++) {
    s = s * k + x[t]!;
    out[t] = s;
  }
  return out;
}

/** ATR(n), TTR convention: first value at bar n. */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  return wilder(trueRange(high, low, close), n, 1);
}

/**
 * TTR's ADX(n): directional movements dH = high_t − high_{t−1}, dL = low_{t−1} − low_t;
 * DM+ = dH when dH > dL and dH > 0 (else 0), DM− likewise; DI± = 100·S(DM±)/S(TR) with S TTR's
 * wilderSum; DX = 100·|DI+ − DI−|/(DI+ + DI−),
 * 0 when both DIs are 0 (a flat market has no trend); ADX = Wilder average of DX, first at bar 2n−1.
 */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, n: number) {
  const len = close.length;
  const dmp = new Float64Array(len).fill(NaN);
  const dmn = new Float64Array(len).fill(NaN);
  for (let t = 1; t < len; t++) {
    const dh = high[t]! - high[t - 1]!;
    const dl = low[t - 1]! - low[t]!;
    const none = dh === dl || (dh < 0 && dl < 0);
    dmp[t] = none || !(dh > dl) ? 0 : dh;
    dmn[t] = none || !(dl > dh) ? 0 : dl;
  }
  const tr = wilderSum(trueRange(high, low, close), n, 1);
  const sp = wilderSum(dmp, n, 1);
  const sn = wilderSum(dmn, n, 1);
  const diPlus = new Float64Array(len).fill(NaN);
  const diMinus = new Float64Array(len).fill(NaN);
  const dx = new Float64Array(len).fill(NaN);
  for (let t = n; t < len; t++) {
    const p = tr[t]! > 0 ? (100 * sp[t]!) / tr[t]! : 0;
    const m = tr[t]! > 0 ? (100 * sn[t]!) / tr[t]! : 0;
    diPlus[t] = p;
    diMinus[t] = m;
    dx[t] = p + m > 0 ? (100 * Math.abs(p - m)) / (p + m) : 0;
  }
  return { adx: wilder(dx, n, n), diPlus, diMinus };
}

/**
 * Donchian channel including bar t: max(high[t−n+1..t]) and min(low[t−n+1..t]), from bar n−1, in
 * O(len) (core's slidingMax/slidingMin; exact, so the same values as a scan over each window).
 */
export function donchian(high: Float64Array, low: Float64Array, n: number): { upper: Float64Array; lower: Float64Array } {
  return { upper: slidingMax(high, n), lower: slidingMin(low, n) };
}
