// Helpers of the HMM kernel: exp for non-positive arguments and f64 loads/stores by index.

export const TINY: f64 = reinterpret<f64>(<u64>(1023 - 512) << 52); // 2^−512
export const HUGE: f64 = reinterpret<f64>(<u64>(1023 + 512) << 52); // 2^512

// exp(x), x ≤ 0, fdlibm's method (see expNonPositive in src/em-pass.ts)
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700;
const P1: f64 = 1.66666666666666019037e-1;
const P2: f64 = -2.77777777770155933842e-3;
const P3: f64 = 6.61375632143793436117e-5;
const P4: f64 = -1.65339022054652515390e-6;
const P5: f64 = 4.13813679705723846039e-8;

// @ts-ignore: decorator
@inline function pow2(k: i32): f64 {
  if (k >= -1022) return reinterpret<f64>(<u64>(k + 1023) << 52);
  if (k >= -1074) return reinterpret<f64>(<u64>1 << <u64>(k + 1074));
  return 0;
}

// @ts-ignore: decorator
@inline export function expNonPositive(x: f64): f64 {
  if (!(x > -745)) return 0;
  const k: f64 = Math.floor(x * INV_LN2 + 0.5);
  const hi: f64 = x - k * LN2_HI;
  const lo: f64 = k * LN2_LO;
  const r: f64 = hi - lo;
  const t: f64 = r * r;
  const c: f64 = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  return (1 - (lo - (r * c) / (2 - c) - hi)) * pow2(<i32>k);
}

// @ts-ignore: decorator
@inline export function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

// @ts-ignore: decorator
@inline export function forwardSummary(out: usize, sum: f64, exponent: f64, shifts: f64, impossible: f64): void {
  put(out, 0, sum);
  put(out, 1, exponent);
  put(out, 2, shifts);
  put(out, 3, impossible);
}
