import erfc from '@stdlib/math-base-special-erfc';

/**
 * The truncated normal in log space, as TPE needs it: the mass of a kernel inside the search
 * bounds, the mass of a grid cell, the log density, and the inverse CDF for sampling. Written
 * from the math (Φ(x) = ½·erfc(−x/√2)); the traps are the tails, where Φ(b) − Φ(a) loses every
 * digit to cancellation, so masses are taken in the left tail (by symmetry) and in logs.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Φ(x), accurate to full relative precision in the left tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * log Φ(x). For x < −20 Φ underflows long before its log does, so the asymptotic series
 * log Φ(x) = −x²/2 − log(−x) − log √(2π) + log(1 − 1/x² + 3/x⁴ − 15/x⁶ …) takes over, summed until
 * a term stops changing the total.
 */
export function logNormalCdf(x: number): number {
  if (x > 6) return -normalCdf(-x); // log(1 − ε) = −ε to double precision
  if (x > -20) return Math.log(normalCdf(x));
  const inv2 = 1 / (x * x);
  let total = 1, term = 1, previous = 0;
  for (let i = 1; total !== previous; i++) {
    previous = total;
    term *= -(2 * i - 1) * inv2;
    total += term;
  }
  return -0.5 * x * x - Math.log(-x) - LOG_SQRT_2PI + Math.log(total);
}

/** log(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(e^p + e^q). */
function logSum(p: number, q: number): number {
  const m = Math.max(p, q);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(p - m) + Math.exp(q - m));
}

/** log(Φ(b) − Φ(a)) for a ≤ b: the standard normal mass on [a, b]. */
export function logGaussMass(a: number, b: number): number {
  if (a > 0) return logGaussMass(-b, -a);
  if (b <= 0) {
    // away from underflow the difference itself is exact enough — relative error ≈ ε·Φ(b)/(Φ(b) − Φ(a))
    // ≈ ε/(|b|·width), and a grid cell is at least σ/(grid points) wide since σ ≤ high − low — and
    // it saves two logs and an exp
    if (a > -30) return Math.log(normalCdf(b) - normalCdf(a));
    return logDiff(logNormalCdf(b), logNormalCdf(a));
  }
  // straddling 0: the mass is near 1, so take 1 − (left tail + right tail)
  return Math.log1p(-normalCdf(a) - normalCdf(-b));
}

/** log density at x of N(mu, sigma²) truncated to [low, high]. */
export function truncNormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}

/**
 * x in [lo, hi] with log Φ(x) = y: Newton's method on log Φ (slope φ/Φ), kept inside a bracket
 * that bisection shrinks whenever a step would leave it — a few steps to the last bits, in the
 * tails too (where Φ⁻¹ of Φ itself would have lost them).
 */
function inverseLogNormalCdf(y: number, lo: number, hi: number): number {
  lo = Math.max(lo, -40);
  hi = Math.min(hi, 40);
  let x = 0.5 * (lo + hi);
  for (let i = 0; i < 100; i++) {
    const f = logNormalCdf(x) - y;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const slope = Math.exp(-0.5 * x * x - LOG_SQRT_2PI - logNormalCdf(x));
    let next = x - f / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/**
 * The q-quantile of the standard normal truncated to [a, b]: log Φ(x) = log(Φ(a) + q·(Φ(b) − Φ(a))),
 * solved from the side of the interval where the tail is not lost (a ≥ 0: mirror it).
 */
export function truncNormQuantile(q: number, a: number, b: number): number {
  if (q <= 0) return a;
  if (q >= 1) return b;
  const mass = logGaussMass(a, b);
  if (a < 0) return inverseLogNormalCdf(logSum(logNormalCdf(a), Math.log(q) + mass), a, b);
  return -inverseLogNormalCdf(logSum(logNormalCdf(-b), Math.log1p(-q) + mass), -b, -a);
}
