import { regimenError } from '@regimen/core';
import { JOE_KUO } from './joe-kuo.js';

const BITS = 32;
const SCALE = 2 ** -BITS;

/** The 32 direction numbers V_k (k = 0..31) of one dimension, from its polynomial and m_1..m_s. */
function directionNumbers(dim: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dim === 0) {
    // van der Corput: every m_k = 1
    for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k);
    return v;
  }
  const [poly, m] = JOE_KUO[dim]!;
  const s = Math.floor(Math.log2(poly));
  // the coefficients a_1..a_{s−1}: the polynomial's bits without its leading and trailing 1
  const a = (poly >> 1) & ((1 << (s - 1)) - 1);
  for (let k = 0; k < s && k < BITS; k++) v[k] = (m[k]! * 2 ** (BITS - 1 - k)) >>> 0;
  for (let k = s; k < BITS; k++) {
    // Bratley & Fox's recurrence: V_k = V_{k−s} ⊕ (V_{k−s} >> s) ⊕ Σ a_i·V_{k−i}
    let x = v[k - s]! ^ (v[k - s]! >>> s);
    for (let i = 1; i < s; i++) if ((a >> (s - 1 - i)) & 1) x ^= v[k - i]!;
    v[k] = x >>> 0;
  }
  return v;
}

/** Position (0-based) of the lowest zero bit of n: the Gray-code step of point n → n + 1. */
function lowestZeroBit(n: number): number {
  let c = 0;
  while (n % 2 === 1) {
    n = Math.floor(n / 2);
    c++;
  }
  return c;
}

export interface PointSequence {
  /** dimensions of each point */
  readonly dims: number;
  /** the next point, each coordinate in [0, 1) */
  next(): Float64Array;
}

/**
 * The Sobol sequence in Gray-code order (Antonov & Saleev), as scipy.stats.qmc.Sobol draws it:
 * point 0 is the origin and point n+1 = point n ⊕ V_{c(n)} with c(n) the lowest zero bit of n. With
 * `shift` (one 32-bit word per dimension) every point is XOR-ed with it — a random digital shift,
 * which keeps the sequence's (t, s)-net structure while making it depend on the seed. Unshifted
 * points equal scipy's unscrambled ones exactly (tested on committed values). Up to 2³² points.
 */
export function sobolSequence(dims: number, shift?: Uint32Array): PointSequence {
  if (dims > JOE_KUO.length) throw regimenError({ code: 'config', value: dims, message: `a Sobol sequence here has at most ${JOE_KUO.length} dimensions; this space searches ${dims} (use sampler: uniform or halton)` });
  const v = Array.from({ length: dims }, (_, j) => directionNumbers(j));
  const x = new Uint32Array(dims);
  let n = 0;
  return {
    dims,
    next() {
      const out = new Float64Array(dims);
      for (let j = 0; j < dims; j++) out[j] = ((x[j]! ^ (shift?.[j] ?? 0)) >>> 0) * SCALE;
      const c = lowestZeroBit(n++);
      if (c >= BITS) throw regimenError({ code: 'config', message: 'the Sobol sequence is exhausted (2^32 points)' });
      for (let j = 0; j < dims; j++) x[j] = (x[j]! ^ v[j]![c]!) >>> 0;
      return out;
    },
  };
}
