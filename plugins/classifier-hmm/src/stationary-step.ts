import { stationaryDistribution } from './stationary.js';

/**
 * The exact M-step for the transition matrix when the initial distribution is the stationary one
 * (Hamilton's convention). EM then maximises Σ n_ij log a_ij + Σ_k g_k log π_k(A) over row-stochastic
 * A, with n the expected transition counts and g the smoothed first-state probabilities; π(A) makes it
 * non-closed-form. The usual shortcut (Baum–Welch's A, then π = π(A)) is not an EM step and stalls
 * short of the maximum. At the optimum the Lagrange conditions give
 *   a_ij ∝ n_ij + a_ij · ∂h/∂a_ij,  h(A) = Σ_k g_k log π_k(A),
 * iterated here as a fixed point from Baum–Welch's A. The derivative is analytic: from
 * π M = 𝟙ᵀ with M = I − A + 𝟙𝟙ᵀ, dπ = π dA M⁻¹, so ∂h/∂a_ij = π_i Σ_k (M⁻¹)_jk g_k / π_k.
 * Zeros stay zeros (the correction is proportional to a_ij).
 */
export function stationaryTransitionStep(n: Float64Array, g: Float64Array, k: number, start: Float64Array, sweeps = 20): Float64Array {
  let a = start.slice();
  for (let s = 0; s < sweeps; s++) {
    const pi = stationaryDistribution(a, k);
    const inv = inverse(identityMinus(a, k), k);
    if (!inv) return a;
    const w = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let v = 0;
      for (let m = 0; m < k; m++) if (g[m]! > 0 && pi[m]! > 0) v += (inv[j * k + m]! * g[m]!) / pi[m]!;
      w[j] = v;
    }
    const next = new Float64Array(k * k);
    let change = 0;
    for (let i = 0; i < k; i++) {
      let row = 0;
      for (let j = 0; j < k; j++) {
        // pseudo-counts can dip below 0 only for a near-empty row: clip, the row stays stochastic
        const c = Math.max(0, n[i * k + j]! + a[i * k + j]! * pi[i]! * w[j]!);
        next[i * k + j] = c;
        row += c;
      }
      if (!(row > 0)) for (let j = 0; j < k; j++) next[i * k + j] = a[i * k + j]!;
      else for (let j = 0; j < k; j++) next[i * k + j]! /= row;
      for (let j = 0; j < k; j++) change = Math.max(change, Math.abs(next[i * k + j]! - a[i * k + j]!));
    }
    a = next;
    if (change < 1e-15) break;
  }
  return a;
}

function identityMinus(a: Float64Array, k: number): Float64Array {
  const m = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) m[i * k + j] = (i === j ? 1 : 0) - a[i * k + j]! + 1;
  return m;
}

/** Gauss–Jordan inverse with partial pivoting; undefined when singular. */
function inverse(m: Float64Array, k: number): Float64Array | undefined {
  const w = 2 * k;
  const x = new Float64Array(k * w);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) x[i * w + j] = m[i * k + j]!;
    x[i * w + k + i] = 1;
  }
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(x[r * w + c]!) > Math.abs(x[piv * w + c]!)) piv = r;
    const p = x[piv * w + c]!;
    if (Math.abs(p) < 1e-12) return undefined;
    if (piv !== c) for (let j = 0; j < w; j++) [x[c * w + j], x[piv * w + j]] = [x[piv * w + j]!, x[c * w + j]!];
    for (let j = 0; j < w; j++) x[c * w + j]! /= p;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = x[r * w + c]!;
      if (f === 0) continue;
      for (let j = 0; j < w; j++) x[r * w + j]! -= f * x[c * w + j]!;
    }
  }
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) inv[i * k + j] = x[i * w + k + j]!;
  return inv;
}
