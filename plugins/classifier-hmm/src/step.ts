import { NO_REGIME, regimenError, type BarColumns, type ClassifierStep } from '@regimen/core';
import { densityConstants, expNonPositive } from './em-pass.js';
import { warmup } from './features.js';
import { paramsFromModel, type HmmModel } from './model.js';

/** 2^±512, the forward pass's exact rescaling (em-pass.ts) */
const TINY = 2 ** -512;
const HUGE = 2 ** 512;

/**
 * What the HMM's labelling carries from one bar to the next, as plain JSON values: the bars seen,
 * the last close (the next log return), the returns a rolling volatility needs, the forward
 * recursion's unnormalised u_t (after its power-of-two rescaling — not α: the next row is computed
 * from u), the min_dwell hysteresis and the last filtered row.
 */
export interface HmmStepState {
  t: number;
  last: number | null;
  returns: number[];
  u: number[] | null;
  dwell: { current: number; candidate: number; run: number };
  alpha: number[] | null;
}

interface Constants {
  p: ReturnType<typeof paramsFromModel>;
  /** the emission densities' per-state constants (em-pass.ts densityConstants) */
  norm: Float64Array;
  inv: Float64Array;
  /** first bar with features */
  start: number;
  /** returns a rolling volatility needs */
  keep: number;
}

const constants = new WeakMap<HmmModel, Constants>();

/** What every step with a model shares, computed once per model object (a live call steps bar by bar). */
function constantsOf(model: HmmModel): Constants {
  let c = constants.get(model);
  if (!c) {
    const p = paramsFromModel(model);
    const norm = new Float64Array(p.states);
    const inv = new Float64Array(p.states * p.dims);
    densityConstants(p.variances, p.states, p.dims, norm, inv);
    c = { p, norm, inv, start: warmup(model.features), keep: Math.max(1, ...model.features.map((f) => (f.name === 'rolling_vol' ? f.window : 1))) };
    constants.set(model, c);
  }
  return c;
}

/**
 * `labelStep`: the features, the forward recursion and the min_dwell rule of `filteredLabels`, one
 * bar at a time from a saved state — the operations of em-pass.ts's forwardPass (the reference
 * the WebAssembly kernel equals bit for bit) in the same order, so each label and filtered row is
 * the same double as the whole-series sweep gives.
 */
export function hmmLabelStep(prior: unknown, data: BarColumns, model: HmmModel, minDwell: number): ClassifierStep {
  const st: HmmStepState = (prior as HmmStepState | null) ?? { t: 0, last: null, returns: [], u: null, dwell: { current: -1, candidate: -1, run: 0 }, alpha: null };
  const { p, norm, inv, start, keep } = constantsOf(model);
  const k = p.states;
  const d = p.dims;
  const n = data.close.length;
  const labels = new Uint8Array(n).fill(NO_REGIME);
  const y = new Float64Array(d);
  const e = new Float64Array(k);
  const pred = new Float64Array(k);
  for (let i = 0; i < n; i++, st.t++) {
    const price = data.close[i]!;
    if (!(price > 0) || !Number.isFinite(price)) {
      throw regimenError({ code: 'data', field: `close[${st.t}]`, value: price, message: 'the HMM classifier needs finite positive prices' });
    }
    if (st.last !== null) {
      st.returns.push(Math.log(price / st.last));
      if (st.returns.length > keep) st.returns.shift();
    }
    st.last = price;
    if (st.t < start) continue;
    features(model, st.returns, y);
    // emissions: l_i = norm_i − ½ Σ_f (y_f − μ_if)²·inv_if, shifted by their maximum
    let max = -Infinity;
    for (let s = 0; s < k; s++) {
      let q = 0;
      for (let f = 0; f < d; f++) {
        const z = y[f]! - p.means[s * d + f]!;
        q += z * z * inv[s * d + f]!;
      }
      const l = norm[s]! - 0.5 * q;
      e[s] = l;
      if (l > max) max = l;
    }
    const u = st.u;
    for (let j = 0; j < k; j++) {
      let v = 0;
      if (u === null) v = p.initial[j]!;
      else for (let s = 0; s < k; s++) v += u[s]! * p.transition[s * k + j]!;
      pred[j] = v;
    }
    const next = new Array<number>(k);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const x = e[j]! - max;
      const v = pred[j]! * (x === 0 ? 1 : expNonPositive(x));
      next[j] = v;
      sum += v;
    }
    if (!(sum > 0)) {
      // impossible under the model: the pass carries the prediction (em-pass.ts)
      sum = 0;
      for (let j = 0; j < k; j++) {
        next[j] = pred[j]!;
        sum += pred[j]!;
      }
    }
    const is = 1 / sum;
    const alpha = next.map((v) => v * is);
    while (sum > 0 && sum < TINY) {
      sum *= HUGE;
      for (let j = 0; j < k; j++) next[j] = next[j]! * HUGE;
    }
    st.u = next;
    st.alpha = alpha;
    let arg = 0;
    for (let s = 1; s < k; s++) if (alpha[s]! > alpha[arg]!) arg = s;
    labels[i] = dwell(st.dwell, arg, minDwell);
  }
  const probabilities = st.t - 1 < start || st.alpha === null ? new Float64Array(k) : Float64Array.from(st.alpha);
  return { labels, probabilities, state: st };
}

/** The features of the bar whose return is the last of `returns` (computeFeatures' arithmetic). */
function features(model: HmmModel, returns: number[], y: Float64Array): void {
  const r = returns.length;
  model.features.forEach((f, col) => {
    if (f.name === 'log_return') {
      y[col] = returns[r - 1]!;
      return;
    }
    const w = f.window;
    let m = 0;
    for (let i = r - w; i < r; i++) m += returns[i]!;
    m /= w;
    let s = 0;
    for (let i = r - w; i < r; i++) s += (returns[i]! - m) ** 2;
    y[col] = Math.sqrt(s / (w - 1));
  });
}

/** filteredLabels' hysteresis: a new state is taken once it has been the argmax for minDwell bars in a row. */
function dwell(st: HmmStepState['dwell'], arg: number, minDwell: number): number {
  if (minDwell <= 1) return arg;
  if (st.current < 0) st.current = arg;
  else if (arg === st.current) {
    st.candidate = -1;
    st.run = 0;
  } else {
    if (arg === st.candidate) st.run++;
    else {
      st.candidate = arg;
      st.run = 1;
    }
    if (st.run >= minDwell) {
      st.current = arg;
      st.run = 0;
    }
  }
  return st.current;
}
