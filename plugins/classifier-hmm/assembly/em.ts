// The two passes of one Baum–Welch iteration (src/em-pass.ts is the TypeScript reference: the same
// operations in the same order, so both give the same bits). Pointers are byte offsets of f64
// arrays laid out by the host; nothing here allocates.
//   forward:  l_ti = norm_i − ½ Σ_f (y_tf − μ_if)²·inv_if;  shift_t = max_i l_ti;  b_ti = exp(l_ti − shift_t)
//             u_tj = (Σ_i u_{t−1,i} a_ij  or  π_j at t = 0)·b_tj, ×2^512 whenever Σ_j u_tj < 2^−512
//             alpha_t = u_t / Σu_t;  invScale_t = Σu_{t−1} / Σu_t  (= 1/c_t)
//             out = [Σu_n, the rescaling exponent, Σ shift_t in blocks of 4096, impossible]
//             rolling: b and alpha hold two rows used alternately, no invScale; argmax ≠ 0: u8 filtered argmax per bar
//   backward: w_j = b_{t+1,j} β_{t+1,j} / c_{t+1};  β_ti = Σ_j a_ij w_j;  G_ij += α_ti w_j
//             γ_t = α_t ⊙ β_t / Σ(α_t ⊙ β_t);  occupancy, Σγy and Σγ(y − μ)² accumulated per state

import { at, expNonPositive, forwardSummary, HUGE, put, TINY } from './math';

export function forwardPass(
  y: usize, rows: i32, d: i32, k: i32,
  means: usize, norm: usize, inv: usize, a: usize, initial: usize,
  b: usize, alpha: usize, invScale: usize, u: usize, out: usize,
  rolling: bool, argmax: usize,
): void {
  let sum: f64 = 1;
  let exponent: f64 = 0;
  let shifts: f64 = 0;
  let block: f64 = 0;
  let impossible: f64 = 0;
  for (let t: i32 = 0; t < rows; t++) {
    const row: i32 = rolling ? (t & 1) * k : t * k;
    const cur: i32 = (t & 1) * k;
    const prev: i32 = k - cur;
    let max: f64 = -Infinity;
    for (let i: i32 = 0; i < k; i++) {
      let q: f64 = 0;
      for (let f: i32 = 0; f < d; f++) {
        const z: f64 = at(y, t * d + f) - at(means, i * d + f);
        q += z * z * at(inv, i * d + f);
      }
      const l: f64 = at(norm, i) - 0.5 * q;
      put(b, row + i, l);
      if (l > max) max = l;
    }
    let s: f64 = 0;
    for (let j: i32 = 0; j < k; j++) {
      let pred: f64 = 0;
      if (t == 0) pred = at(initial, j);
      else for (let i: i32 = 0; i < k; i++) pred += at(u, prev + i) * at(a, i * k + j);
      const x: f64 = at(b, row + j) - max;
      const e: f64 = x == 0 ? 1 : expNonPositive(x);
      put(b, row + j, e);
      const v: f64 = pred * e;
      put(u, cur + j, v);
      s += v;
    }
    let seen: f64 = 1;
    if (!(s > 0)) {
      impossible = 1;
      seen = 0;
      s = 0;
      for (let j: i32 = 0; j < k; j++) {
        let pred: f64 = 0;
        if (t == 0) pred = at(initial, j);
        else for (let i: i32 = 0; i < k; i++) pred += at(u, prev + i) * at(a, i * k + j);
        put(u, cur + j, pred);
        s += pred;
      }
    }
    const is: f64 = 1 / s;
    if (!rolling) put(invScale, t, seen * sum * is);
    for (let j: i32 = 0; j < k; j++) put(alpha, row + j, at(u, cur + j) * is);
    sum = s;
    while (sum > 0 && sum < TINY) {
      sum *= HUGE;
      for (let j: i32 = 0; j < k; j++) put(u, cur + j, at(u, cur + j) * HUGE);
      exponent -= 512;
    }
    if (argmax != 0) {
      let arg: i32 = 0;
      for (let i: i32 = 1; i < k; i++) if (at(alpha, row + i) > at(alpha, row + arg)) arg = i;
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

export function backwardPass(
  y: usize, rows: i32, d: i32, k: i32,
  means: usize, a: usize,
  b: usize, alpha: usize, invScale: usize,
  stats: usize, beta: usize, w: usize,
): void {
  const sum: i32 = k;
  const squares: i32 = k + k * d;
  const paths: i32 = k + 2 * k * d;
  const first: i32 = k + 2 * k * d + k * k;
  const size: i32 = k * (2 + 2 * d + k);
  for (let i: i32 = 0; i < size; i++) put(stats, i, 0);
  for (let i: i32 = 0; i < k; i++) put(beta, i, 1);
  for (let t: i32 = rows - 1; t >= 0; t--) {
    const row: i32 = t * k;
    let g: f64 = 1;
    if (t < rows - 1) {
      const ic: f64 = at(invScale, t + 1);
      for (let j: i32 = 0; j < k; j++) put(w, j, at(b, row + k + j) * at(beta, j) * ic);
      g = 0;
      for (let i: i32 = 0; i < k; i++) {
        const ai: f64 = at(alpha, row + i);
        let v: f64 = 0;
        for (let j: i32 = 0; j < k; j++) {
          const wj: f64 = at(w, j);
          v += at(a, i * k + j) * wj;
          put(stats, paths + i * k + j, at(stats, paths + i * k + j) + ai * wj);
        }
        put(beta, i, v);
        g += ai * v;
      }
    }
    const ig: f64 = 1 / g;
    for (let i: i32 = 0; i < k; i++) {
      const gi: f64 = at(alpha, row + i) * at(beta, i) * ig;
      put(stats, i, at(stats, i) + gi);
      for (let f: i32 = 0; f < d; f++) {
        const v: f64 = at(y, t * d + f);
        const z: f64 = v - at(means, i * d + f);
        put(stats, sum + i * d + f, at(stats, sum + i * d + f) + gi * v);
        put(stats, squares + i * d + f, at(stats, squares + i * d + f) + gi * z * z);
      }
      if (t == 0) put(stats, first + i, gi);
    }
  }
}
