/**
 * The two passes of one Baum–Welch iteration over a K-state Gaussian HMM with diagonal covariance,
 * fused and allocation-free. This TypeScript is the reference of the AssemblyScript kernel
 * (assembly/em.ts): the same operations in the same order, so both give the same bits.
 */

const LOG_2PI = Math.log(2 * Math.PI);
/** 2^±512: rescaling the running product of the scale factors by a power of two is exact */
const TINY = 2 ** -512;
const HUGE = 2 ** 512;

// exp(x) for x ≤ 0 by fdlibm's method (e_exp.c: x = k·ln2 + r, |r| ≤ ln2/2, a rational
// approximation of exp(r), then ×2^k), written out so it inlines into the hot loop; V8's Math.exp
// is the same algorithm, but a call. 2^k is a table lookup here and bit arithmetic in the kernel.
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
/** POW2[k + 1075] = 2^k for k = −1075..0 (2^−1075 rounds to 0) */
const POW2 = Float64Array.from({ length: 1076 }, (_, i) => 2 ** (i - 1075));

export function expNonPositive(x: number): number {
  if (!(x > -745)) return 0;
  const k = Math.floor(x * INV_LN2 + 0.5);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  return (1 - (lo - (r * c) / (2 - c) - hi)) * POW2[k + 1075]!;
}

export interface PassParams {
  means: Float64Array;
  variances: Float64Array;
  transition: Float64Array;
  initial: Float64Array;
}

/** Per-state constants of the log-density: norm_i = −½ Σ_f (ln 2π + ln σ²_if), inv_if = 1/σ²_if. */
export function densityConstants(variances: Float64Array, k: number, d: number, norm: Float64Array, inv: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let c = 0;
    for (let f = 0; f < d; f++) {
      c += LOG_2PI + Math.log(variances[i * d + f]!);
      inv[i * d + f] = 1 / variances[i * d + f]!;
    }
    norm[i] = -0.5 * c;
  }
}

/** Slots of the forward pass's summary (`out`): log p(y) = ln(TOTAL) + EXPONENT·ln 2 + SHIFTS. */
export const TOTAL = 0;
export const EXPONENT = 1;
export const SHIFTS = 2;
/** 1 when some bar had zero density under every state with prior mass (log p(y) = −∞) */
export const IMPOSSIBLE = 3;

export function logLikelihoodOf(out: Float64Array): number {
  return out[IMPOSSIBLE] ? -Infinity : Math.log(out[TOTAL]!) + out[EXPONENT]! * Math.LN2 + out[SHIFTS]!;
}

/**
 * Forward pass: emission densities (shifted by their row maximum so a many-sigma move cannot
 * underflow) and the forward recursion in one sweep. The recursion runs on unnormalised
 * u_t = (u_{t−1} A) ⊙ b_t, rescaled by exact powers of two when Σu_t gets small, so the division of
 * the usual scaled recursion (Rabiner) is off the bar-to-bar dependency chain; then Σu_t = Π_s c_s
 * with c_t = p(y_t | y_1..y_{t−1})·e^{−shift_t}, and log p(y_1..y_n) = ln Σu_n + Σ_t shift_t (plus the
 * rescaling exponent). Writes b_t(i)·e^{−shift_t}, alpha_t = u_t / Σu_t = P(s_t | y_1..y_t) and
 * invScale_t = 1/c_t. `u` is 2K scratch.
 *
 * `rolling` (labelling): b and alpha hold two rows, used alternately, and invScale is not written;
 * `argmax`, when given, receives each bar's most probable filtered state (ties: the lower state).
 * The arithmetic is the same either way, so labels agree bit for bit with stored probabilities.
 */
export function forwardPass(
  y: Float64Array, rows: number, d: number, k: number,
  means: Float64Array, norm: Float64Array, inv: Float64Array, a: Float64Array, initial: Float64Array,
  b: Float64Array, alpha: Float64Array, invScale: Float64Array, u: Float64Array, out: Float64Array,
  rolling = false, argmax?: Uint8Array,
): void {
  let sum = 1;
  let exponent = 0;
  let shifts = 0;
  let block = 0;
  let impossible = 0;
  for (let t = 0; t < rows; t++) {
    const row = rolling ? (t & 1) * k : t * k;
    const cur = (t & 1) * k;
    const prev = k - cur;
    let max = -Infinity;
    for (let i = 0; i < k; i++) {
      let q = 0;
      for (let f = 0; f < d; f++) {
        const z = y[t * d + f]! - means[i * d + f]!;
        q += z * z * inv[i * d + f]!;
      }
      const l = norm[i]! - 0.5 * q;
      b[row + i] = l;
      if (l > max) max = l;
    }
    let s = 0;
    for (let j = 0; j < k; j++) {
      let pred = 0;
      if (t === 0) pred = initial[j]!;
      else for (let i = 0; i < k; i++) pred += u[prev + i]! * a[i * k + j]!;
      // the most likely state's density is exp(0) = 1 exactly: skip the exp (a third of them for K = 3)
      const x = b[row + j]! - max;
      const e = x === 0 ? 1 : expNonPositive(x);
      b[row + j] = e;
      const v = pred * e;
      u[cur + j] = v;
      s += v;
    }
    let seen = 1;
    if (!(s > 0)) {
      // zero density under every state with prior mass: impossible under the model; carry the prediction
      impossible = 1;
      seen = 0;
      s = 0;
      for (let j = 0; j < k; j++) {
        let pred = 0;
        if (t === 0) pred = initial[j]!;
        else for (let i = 0; i < k; i++) pred += u[prev + i]! * a[i * k + j]!;
        u[cur + j] = pred;
        s += pred;
      }
    }
    const is = 1 / s;
    if (!rolling) invScale[t] = seen * sum * is;
    for (let j = 0; j < k; j++) alpha[row + j] = u[cur + j]! * is;
    sum = s;
    while (sum > 0 && sum < TINY) {
      sum *= HUGE;
      for (let j = 0; j < k; j++) u[cur + j] = u[cur + j]! * HUGE;
      exponent -= 512;
    }
    if (argmax) {
      let arg = 0;
      for (let i = 1; i < k; i++) if (alpha[row + i]! > alpha[row + arg]!) arg = i;
      argmax[t] = arg;
    }
    // 4096 shifts summed apart, then the block sums: a 10⁶-term running sum would lose digits
    block += max;
    if ((t & 4095) === 4095) {
      shifts += block;
      block = 0;
    }
  }
  out[TOTAL] = sum;
  out[EXPONENT] = exponent;
  out[SHIFTS] = shifts + block;
  out[IMPOSSIBLE] = impossible;
}

/**
 * Layout of the backward pass's statistics (`stats`, K·(2 + 2d + K) values):
 * - occupancy Σ_t γ_t(i) at OCC, K values;
 * - Σ_t γ_t(i) y_tf at SUM(k), K·d values;
 * - Σ_t γ_t(i) (y_tf − μ_if)² about the means the pass ran with, at SQUARES(k, d), K·d values;
 * - G_ij = Σ_t α_{t−1}(i) b_t(j) β_t(j) / c_t at PATHS(k, d), K·K values: the expected transition
 *   count is n_ij = a_ij·G_ij, and G_ij = ∂LL/∂a_ij, defined also where a_ij = 0;
 * - γ_1 (the smoothed first-state probabilities) at FIRST(k, d), K values.
 */
export const statsSize = (k: number, d: number) => k * (2 + 2 * d + k);
export const SUM = (k: number) => k;
export const SQUARES = (k: number, d: number) => k + k * d;
export const PATHS = (k: number, d: number) => k + 2 * k * d;
export const FIRST = (k: number, d: number) => k + 2 * k * d + k * k;

/**
 * Backward pass fused with the M-step statistics: the scaled backward recursion β, the smoothed
 * probabilities γ_t = α_t ⊙ β_t (renormalised, or round-off would drift over a million bars) and
 * their weighted sums, without storing γ. Needs b, alpha, invScale of forwardPass with the same
 * parameters. `beta` and `w` are K-value scratch.
 */
export function backwardPass(
  y: Float64Array, rows: number, d: number, k: number,
  means: Float64Array, a: Float64Array,
  b: Float64Array, alpha: Float64Array, invScale: Float64Array,
  stats: Float64Array, beta: Float64Array, w: Float64Array,
): void {
  const sum = SUM(k);
  const squares = SQUARES(k, d);
  const paths = PATHS(k, d);
  const first = FIRST(k, d);
  for (let i = 0; i < statsSize(k, d); i++) stats[i] = 0;
  for (let i = 0; i < k; i++) beta[i] = 1;
  for (let t = rows - 1; t >= 0; t--) {
    const row = t * k;
    let g = 1;
    if (t < rows - 1) {
      const ic = invScale[t + 1]!;
      for (let j = 0; j < k; j++) w[j] = b[row + k + j]! * beta[j]! * ic;
      g = 0;
      for (let i = 0; i < k; i++) {
        const ai = alpha[row + i]!;
        let v = 0;
        for (let j = 0; j < k; j++) {
          const wj = w[j]!;
          v += a[i * k + j]! * wj;
          stats[paths + i * k + j] = stats[paths + i * k + j]! + ai * wj;
        }
        beta[i] = v;
        g += ai * v;
      }
    }
    const ig = 1 / g;
    for (let i = 0; i < k; i++) {
      const gi = alpha[row + i]! * beta[i]! * ig;
      stats[i] = stats[i]! + gi;
      for (let f = 0; f < d; f++) {
        const v = y[t * d + f]!;
        const z = v - means[i * d + f]!;
        stats[sum + i * d + f] = stats[sum + i * d + f]! + gi * v;
        stats[squares + i * d + f] = stats[squares + i * d + f]! + gi * z * z;
      }
      if (t === 0) stats[first + i] = gi;
    }
  }
}
