import type { PointSequence } from './sobol.js';

/** The first primes: the bases of the Halton sequence's dimensions. */
function primes(n: number): number[] {
  const out: number[] = [];
  for (let k = 2; out.length < n; k++) if (out.every((p) => k % p !== 0)) out.push(k);
  return out;
}

/** φ_b(n): the digits of n in base b mirrored about the radix point. */
export function radicalInverse(n: number, b: number): number {
  let x = 0;
  let f = 1 / b;
  while (n > 0) {
    x += f * (n % b);
    n = Math.floor(n / b);
    f /= b;
  }
  return x;
}

/**
 * The Halton sequence: point n has φ_{p_j}(n) in dimension j, p_j the j-th prime; point 0 is the
 * origin, as in scipy.stats.qmc.Halton(scramble=False) (tested on committed values). With `shift`
 * each coordinate is moved by it modulo 1 (a Cranley–Patterson rotation), which keeps the
 * sequence's uniformity while making it depend on the seed. Halton's high dimensions correlate
 * (large primes): Sobol is the better low-discrepancy choice beyond a handful of dimensions.
 */
export function haltonSequence(dims: number, shift?: Float64Array): PointSequence {
  const bases = primes(dims);
  let n = 0;
  return {
    dims,
    next() {
      const out = new Float64Array(dims);
      for (let j = 0; j < dims; j++) {
        const x = radicalInverse(n, bases[j]!) + (shift?.[j] ?? 0);
        out[j] = x >= 1 ? x - 1 : x;
      }
      n++;
      return out;
    },
  };
}
