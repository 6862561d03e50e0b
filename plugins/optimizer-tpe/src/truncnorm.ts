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
  if (b <= 0) return logDiff(logNormalCdf(b), logNormalCdf(a));
  if (a > 0) return logDiff(logNormalCdf(-a), logNormalCdf(-b));
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
 * x with log Φ(x) = y, by bisection on [−100, 100]: log Φ is monotone and cheap, and 100 halvings
 * reach the last bit of a double, in the tails too (where Φ⁻¹ by erfcinv would lose them).
 */
function inverseLogNormalCdf(y: number): number {
  let lo = -100, hi = 100;
  for (let i = 0; i < 100; i++) {
    const m = 0.5 * (lo + hi);
    if (logNormalCdf(m) < y) lo = m;
    else hi = m;
  }
  return 0.5 * (lo + hi);
}

/**
 * The q-quantile of the standard normal truncated to [a, b]: log Φ(x) = log(Φ(a) + q·(Φ(b) − Φ(a))),
 * solved from the side of the interval where the tail is not lost (a ≥ 0: mirror it).
 */
export function truncNormQuantile(q: number, a: number, b: number): number {
  if (q <= 0) return a;
  if (q >= 1) return b;
  const mass = logGaussMass(a, b);
  if (a < 0) return inverseLogNormalCdf(logSum(logNormalCdf(a), Math.log(q) + mass));
  return -inverseLogNormalCdf(logSum(logNormalCdf(-b), Math.log1p(-q) + mass));
}
