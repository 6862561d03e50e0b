/**
 * The kernel's indicator recursions one bar at a time, for the strategies' step hooks
 * (`regimen signal`): each keeps what the whole-series routine carries from bar to bar and performs
 * the same operations in the same order, so bar t gets the same bits as sma()/smoothExponential()
 * at t. States are plain JSON values (core's encodeStepState keeps their NaNs).
 */

/** sma(x, n) at bar by bar: the running sum and the last n values (oldest first). */
export interface SmaStep {
  n: number;
  s: number;
  window: number[];
}

export const smaStart = (n: number): SmaStep => ({ n, s: 0, window: [] });

/** The next bar's SMA (NaN before bar n−1): s = x0 + … + x_{n−1} from 0, then (s + x_t) − x_{t−n}. */
export function smaNext(st: SmaStep, x: number): number {
  if (st.window.length < st.n) {
    st.s += x;
    st.window.push(x);
    return st.window.length === st.n ? st.s / st.n : NaN;
  }
  st.s = st.s + x - st.window.shift()!;
  st.window.push(x);
  return st.s / st.n;
}

/** smoothExponential(x, n, alpha) bar by bar: leading NaNs skipped, seeded by the mean of n values. */
export interface SmoothStep {
  n: number;
  alpha: number;
  keep: number;
  /** values summed into the seed so far (0 while leading NaNs are skipped) */
  seen: number;
  sum: number;
  prev: number;
}

/** `alpha` exactly as the whole-series caller computes it (2/(n+1), 1/n); keep = 1 − alpha once. */
export const smoothStart = (n: number, alpha: number): SmoothStep => ({ n, alpha, keep: 1 - alpha, seen: 0, sum: 0, prev: NaN });

export function smoothNext(st: SmoothStep, x: number): number {
  if (st.seen < st.n) {
    if (st.seen === 0 && Number.isNaN(x)) return NaN;
    st.sum += x;
    st.seen++;
    if (st.seen < st.n) return NaN;
    st.prev = st.sum / st.n;
    return st.prev;
  }
  st.prev = x * st.alpha + st.prev * st.keep;
  return st.prev;
}

/** rsi(x, n) bar by bar: the previous price and the two Wilder averages. */
export interface RsiStep {
  last: number | null;
  up: SmoothStep;
  down: SmoothStep;
}

export const rsiStart = (n: number): RsiStep => ({ last: null, up: smoothStart(n, 1 / n), down: smoothStart(n, 1 / n) });

export function rsiNext(st: RsiStep, x: number): number {
  let up = NaN;
  let down = NaN;
  if (st.last !== null) {
    const d = x - st.last;
    up = d > 0 ? d : 0;
    down = d < 0 ? -d : 0;
  }
  st.last = x;
  const u = smoothNext(st.up, up);
  const v = smoothNext(st.down, down);
  return (100 * u) / (u + v);
}

/** The last `n` values of a series, oldest first. */
export function pushWindow(window: number[], x: number, n: number): void {
  window.push(x);
  if (window.length > n) window.shift();
}

/** max by the scan slidingMax equals: m = first; m = x when x > m (NaN handling included). */
export function scanMax(window: number[]): number {
  let m = window[0]!;
  for (let i = 1; i < window.length; i++) if (window[i]! > m) m = window[i]!;
  return m;
}

export function scanMin(window: number[]): number {
  let m = window[0]!;
  for (let i = 1; i < window.length; i++) if (window[i]! < m) m = window[i]!;
  return m;
}
