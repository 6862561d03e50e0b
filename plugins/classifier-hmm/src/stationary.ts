/**
 * Stationary distribution π = πA of a row-stochastic K×K matrix (row-major).
 * Solves π(I − A + 𝟙𝟙ᵀ) = 𝟙ᵀ, which is regular exactly when the chain has one recurrent class.
 * Otherwise (several closed classes, possible with exact-zero transitions) the stationary
 * distribution is not unique; we then take the Cesàro limit started from the uniform distribution,
 * which is the long-run occupancy of a chain started uniformly.
 */
export function stationaryDistribution(a: Float64Array, k: number): Float64Array {
  const pi = solveStationary(a, k);
  if (pi) return pi;
  return cesaroLimit(a, k);
}

function solveStationary(a: Float64Array, k: number): Float64Array | undefined {
  // Transposed system Mᵀ πᵀ = 𝟙 with M = I − A + 𝟙𝟙ᵀ, as an augmented matrix for elimination.
  const m = new Float64Array(k * (k + 1));
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) m[r * (k + 1) + c] = (r === c ? 1 : 0) - a[c * k + r]! + 1;
    m[r * (k + 1) + k] = 1;
  }
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r * (k + 1) + c]!) > Math.abs(m[piv * (k + 1) + c]!)) piv = r;
    if (Math.abs(m[piv * (k + 1) + c]!) < 1e-12) return undefined;
    if (piv !== c) {
      for (let j = 0; j <= k; j++) {
        const tmp = m[c * (k + 1) + j]!;
        m[c * (k + 1) + j] = m[piv * (k + 1) + j]!;
        m[piv * (k + 1) + j] = tmp;
      }
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r * (k + 1) + c]! / m[c * (k + 1) + c]!;
      if (f === 0) continue;
      for (let j = c; j <= k; j++) m[r * (k + 1) + j]! -= f * m[c * (k + 1) + j]!;
    }
  }
  const pi = new Float64Array(k);
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const v = m[i * (k + 1) + k]! / m[i * (k + 1) + i]!;
    // round-off can leave −1e-17 where the true value is 0
    pi[i] = v > 0 ? v : 0;
    sum += pi[i]!;
  }
  for (let i = 0; i < k; i++) pi[i]! /= sum;
  return pi;
}

function cesaroLimit(a: Float64Array, k: number): Float64Array {
  let p = new Float64Array(k).fill(1 / k);
  const avg = new Float64Array(k);
  const steps = 10_000;
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < k; i++) avg[i]! += p[i]!;
    const q = new Float64Array(k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) q[j]! += p[i]! * a[i * k + j]!;
    p = q;
  }
  for (let i = 0; i < k; i++) avg[i]! /= steps;
  return avg;
}
