import type { EmSettings } from './m-step.js';
import { cloneParams, type HmmParams } from './params.js';
import { stationaryDistribution } from './stationary.js';

/**
 * SQUAREM (Varadhan & Roland 2008, scheme S3) for the EM map M: from θ0, θ1 = M(θ0), θ2 = M(θ1),
 * with r = θ1 − θ0 and v = θ2 − 2θ1 + θ0, the step α = −‖r‖/‖v‖ (clamped to [−stepMax, −1]) and
 * θ' = θ0 − 2αr + α²v; α = −1 gives θ2 itself. The caller widens stepMax fourfold after a clamped
 * step that was kept and narrows it after one that was refused (the R package SQUAREM's rule). The caller accepts θ' only where it does not lower
 * the log-likelihood, so the fit stays monotone.
 *
 * θ is unconstrained here: means as they are, ln σ², ln a_ij and (fitted) ln π_i, so θ' is always a
 * valid model after exponentiating, renormalising each row and flooring the variances. An entry that
 * is exactly 0 in any of the three (an exact-zero transition) stays 0.
 */
export function extrapolate(
  p0: HmmParams, p1: HmmParams, p2: HmmParams, s: EmSettings, stepMax: number,
): { params: HmmParams; step: number; clamped: boolean } {
  const x0 = toVector(p0, s);
  const x1 = toVector(p1, s);
  const x2 = toVector(p2, s);
  let rr = 0;
  let vv = 0;
  for (let i = 0; i < x0.length; i++) {
    const r = x1[i]! - x0[i]!;
    const v = x2[i]! - 2 * x1[i]! + x0[i]!;
    rr += r * r;
    vv += v * v;
  }
  const raw = vv > 0 ? -Math.sqrt(rr / vv) : -1;
  const step = Number.isFinite(raw) ? Math.max(-stepMax, Math.min(-1, raw)) : -1;
  const clamped = raw <= -stepMax;
  if (step === -1) return { params: p2, step, clamped };
  const x = new Float64Array(x0.length);
  for (let i = 0; i < x.length; i++) {
    const r = x1[i]! - x0[i]!;
    const v = x2[i]! - 2 * x1[i]! + x0[i]!;
    x[i] = x0[i]! - 2 * step * r + step * step * v;
  }
  return { params: fromVector(x, p0, p1, p2, s), step, clamped };
}

/** log of a probability; an exact zero maps to 0 and is restored by fromVector's zero pattern */
const logOrZero = (v: number) => (v > 0 ? Math.log(v) : 0);

function toVector(p: HmmParams, s: EmSettings): Float64Array {
  const kd = p.states * p.dims;
  const kk = p.states * p.states;
  const x = new Float64Array(2 * kd + kk + (s.initial === 'fitted' ? p.states : 0));
  x.set(p.means);
  for (let i = 0; i < kd; i++) x[kd + i] = Math.log(p.variances[i]!);
  for (let i = 0; i < kk; i++) x[2 * kd + i] = logOrZero(p.transition[i]!);
  if (s.initial === 'fitted') for (let i = 0; i < p.states; i++) x[2 * kd + kk + i] = logOrZero(p.initial[i]!);
  return x;
}

/** exp of x over a row of probabilities, renormalised; zero where any of the three points is zero */
function simplexRow(x: Float64Array, from: number, len: number, rows: Float64Array[], at: number, out: Float64Array, outAt: number): void {
  let top = -Infinity;
  for (let j = 0; j < len; j++) if (rows.every((r) => r[at + j]! > 0)) top = Math.max(top, x[from + j]!);
  let sum = 0;
  for (let j = 0; j < len; j++) {
    const v = rows.every((r) => r[at + j]! > 0) ? Math.exp(x[from + j]! - top) : 0;
    out[outAt + j] = v;
    sum += v;
  }
  for (let j = 0; j < len; j++) out[outAt + j]! /= sum;
}

function fromVector(x: Float64Array, p0: HmmParams, p1: HmmParams, p2: HmmParams, s: EmSettings): HmmParams {
  const k = p0.states;
  const d = p0.dims;
  const kd = k * d;
  const q = cloneParams(p2);
  q.means.set(x.subarray(0, kd));
  for (let i = 0; i < kd; i++) q.variances[i] = Math.max(Math.exp(x[kd + i]!), s.floor[i % d]!);
  const trans = [p0.transition, p1.transition, p2.transition];
  for (let i = 0; i < k; i++) simplexRow(x, 2 * kd + i * k, k, trans, i * k, q.transition, i * k);
  if (s.initial === 'fitted') simplexRow(x, 2 * kd + k * k, k, [p0.initial, p1.initial, p2.initial], 0, q.initial, 0);
  else q.initial = stationaryDistribution(q.transition, k);
  return q;
}
