// forwardPass and backwardPass of em.ts for K = 3 states and d = 1 feature (the defaults: log returns
// in bull/neutral/bear), unrolled with the parameters, the running u and β and the statistics in
// locals: about 40 % faster. Every value is computed by the same operations in the same order as the
// general routines (a sum starts at 0 and adds its terms in index order), so the bits are the same as
// theirs and as the TypeScript reference's; the host uses these whenever K = 3 and d = 1.

import { at, expNonPositive, forwardSummary, HUGE, put, TINY } from './math';

// @ts-ignore: decorator
@inline function density(x: f64): f64 {
  return x == 0 ? 1 : expNonPositive(x);
}

export function forwardPass3(
  y: usize, rows: i32, means: usize, norm: usize, inv: usize, a: usize, initial: usize,
  b: usize, alpha: usize, invScale: usize, out: usize, rolling: bool, argmax: usize,
): void {
  const m0 = at(means, 0), m1 = at(means, 1), m2 = at(means, 2);
  const n0 = at(norm, 0), n1 = at(norm, 1), n2 = at(norm, 2);
  const i0 = at(inv, 0), i1 = at(inv, 1), i2 = at(inv, 2);
  const a00 = at(a, 0), a01 = at(a, 1), a02 = at(a, 2);
  const a10 = at(a, 3), a11 = at(a, 4), a12 = at(a, 5);
  const a20 = at(a, 6), a21 = at(a, 7), a22 = at(a, 8);
  let u0: f64 = 0, u1: f64 = 0, u2: f64 = 0;
  let sum: f64 = 1;
  let exponent: f64 = 0;
  let shifts: f64 = 0;
  let block: f64 = 0;
  let impossible: f64 = 0;
  for (let t: i32 = 0; t < rows; t++) {
    const row: i32 = rolling ? (t & 1) * 3 : t * 3;
    const v = at(y, t);
    const z0 = v - m0, z1 = v - m1, z2 = v - m2;
    const l0 = n0 - 0.5 * (0 + z0 * z0 * i0);
    const l1 = n1 - 0.5 * (0 + z1 * z1 * i1);
    const l2 = n2 - 0.5 * (0 + z2 * z2 * i2);
    let max: f64 = -Infinity;
    if (l0 > max) max = l0;
    if (l1 > max) max = l1;
    if (l2 > max) max = l2;
    const e0 = density(l0 - max), e1 = density(l1 - max), e2 = density(l2 - max);
    put(b, row, e0);
    put(b, row + 1, e1);
    put(b, row + 2, e2);
    let p0: f64, p1: f64, p2: f64;
    if (t == 0) {
      p0 = at(initial, 0);
      p1 = at(initial, 1);
      p2 = at(initial, 2);
    } else {
      p0 = 0 + u0 * a00 + u1 * a10 + u2 * a20;
      p1 = 0 + u0 * a01 + u1 * a11 + u2 * a21;
      p2 = 0 + u0 * a02 + u1 * a12 + u2 * a22;
    }
    let w0 = p0 * e0, w1 = p1 * e1, w2 = p2 * e2;
    let s: f64 = 0 + w0 + w1 + w2;
    let seen: f64 = 1;
    if (!(s > 0)) {
      impossible = 1;
      seen = 0;
      w0 = p0;
      w1 = p1;
      w2 = p2;
      s = 0 + p0 + p1 + p2;
    }
    u0 = w0;
    u1 = w1;
    u2 = w2;
    const is: f64 = 1 / s;
    if (!rolling) put(invScale, t, seen * sum * is);
    const g0 = u0 * is, g1 = u1 * is, g2 = u2 * is;
    put(alpha, row, g0);
    put(alpha, row + 1, g1);
    put(alpha, row + 2, g2);
    sum = s;
    while (sum > 0 && sum < TINY) {
      sum *= HUGE;
      u0 *= HUGE;
      u1 *= HUGE;
      u2 *= HUGE;
      exponent -= 512;
    }
    if (argmax != 0) {
      let arg: i32 = 0;
      let top = g0;
      if (g1 > top) {
        arg = 1;
        top = g1;
      }
      if (g2 > top) arg = 2;
      store<u8>(argmax + <usize>t, <u8>arg);
    }
    block += max;
    if ((t & 4095) == 4095) {
      shifts += block;
      block = 0;
    }
  }
  forwardSummary(out, sum, exponent, shifts + block, impossible);
}

export function backwardPass3(
  y: usize, rows: i32, means: usize, a: usize, b: usize, alpha: usize, invScale: usize, stats: usize,
): void {
  const m0 = at(means, 0), m1 = at(means, 1), m2 = at(means, 2);
  const a00 = at(a, 0), a01 = at(a, 1), a02 = at(a, 2);
  const a10 = at(a, 3), a11 = at(a, 4), a12 = at(a, 5);
  const a20 = at(a, 6), a21 = at(a, 7), a22 = at(a, 8);
  let o0: f64 = 0, o1: f64 = 0, o2: f64 = 0;
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0;
  let q0: f64 = 0, q1: f64 = 0, q2: f64 = 0;
  let g00: f64 = 0, g01: f64 = 0, g02: f64 = 0, g10: f64 = 0, g11: f64 = 0, g12: f64 = 0, g20: f64 = 0, g21: f64 = 0, g22: f64 = 0;
  let f0: f64 = 0, f1: f64 = 0, f2: f64 = 0;
  let beta0: f64 = 1, beta1: f64 = 1, beta2: f64 = 1;
  for (let t: i32 = rows - 1; t >= 0; t--) {
    const row: i32 = t * 3;
    const al0 = at(alpha, row), al1 = at(alpha, row + 1), al2 = at(alpha, row + 2);
    let g: f64 = 1;
    if (t < rows - 1) {
      const ic = at(invScale, t + 1);
      const w0 = at(b, row + 3) * beta0 * ic;
      const w1 = at(b, row + 4) * beta1 * ic;
      const w2 = at(b, row + 5) * beta2 * ic;
      beta0 = 0 + a00 * w0 + a01 * w1 + a02 * w2;
      g00 += al0 * w0;
      g01 += al0 * w1;
      g02 += al0 * w2;
      beta1 = 0 + a10 * w0 + a11 * w1 + a12 * w2;
      g10 += al1 * w0;
      g11 += al1 * w1;
      g12 += al1 * w2;
      beta2 = 0 + a20 * w0 + a21 * w1 + a22 * w2;
      g20 += al2 * w0;
      g21 += al2 * w1;
      g22 += al2 * w2;
      g = 0 + al0 * beta0 + al1 * beta1 + al2 * beta2;
    }
    const ig: f64 = 1 / g;
    const v = at(y, t);
    const c0 = al0 * beta0 * ig, c1 = al1 * beta1 * ig, c2 = al2 * beta2 * ig;
    const z0 = v - m0, z1 = v - m1, z2 = v - m2;
    o0 += c0;
    s0 += c0 * v;
    q0 += c0 * z0 * z0;
    o1 += c1;
    s1 += c1 * v;
    q1 += c1 * z1 * z1;
    o2 += c2;
    s2 += c2 * v;
    q2 += c2 * z2 * z2;
    if (t == 0) {
      f0 = c0;
      f1 = c1;
      f2 = c2;
    }
  }
  // em-pass.ts layout for K = 3, d = 1: occupancy, sums, squares, G (row-major), γ_1
  put(stats, 0, o0);
  put(stats, 1, o1);
  put(stats, 2, o2);
  put(stats, 3, s0);
  put(stats, 4, s1);
  put(stats, 5, s2);
  put(stats, 6, q0);
  put(stats, 7, q1);
  put(stats, 8, q2);
  put(stats, 9, g00);
  put(stats, 10, g01);
  put(stats, 11, g02);
  put(stats, 12, g10);
  put(stats, 13, g11);
  put(stats, 14, g12);
  put(stats, 15, g20);
  put(stats, 16, g21);
  put(stats, 17, g22);
  put(stats, 18, f0);
  put(stats, 19, f1);
  put(stats, 20, f2);
}
