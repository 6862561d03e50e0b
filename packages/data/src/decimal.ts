/**
 * Decimal numbers straight from the bytes of a file, without making a string per cell.
 *
 * Syntax is strict, as `/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/`: `Number()` alone would
 * accept '', ' ', '0x1F' and 'Infinity' as prices.
 *
 * Exactness (Clinger's fast path): when the digits form an integer m < 2^53 and the decimal
 * exponent e has |e| ≤ 22, both m and 10^|e| are exact doubles, so the one IEEE multiplication or
 * division m·10^e (m/10^-e) is correctly rounded — the very double `Number(text)` gives. Prices with
 * up to 15 significant digits always take that path; anything longer falls back to `Number()`.
 */

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const ZERO = 48;

/** The number in bytes [start, end), or NaN when they are not a decimal number (the caller names the cell). */
export function parseDecimal(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let d = 0;
  while (i < end && (d = b[i]! - ZERO) >= 0 && d <= 9) {
    mant = mant * 10 + d;
    digits++;
    i++;
  }
  if (i < end && b[i] === 46) {
    i++;
    while (i < end && (d = b[i]! - ZERO) >= 0 && d <= 9) {
      mant = mant * 10 + d;
      digits++;
      scale++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  let exp = 0;
  if (i < end && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (i < end && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    const first = i;
    while (i < end && (d = b[i]! - ZERO) >= 0 && d <= 9) {
      // beyond 10^400 every double is 0 or Infinity; stop growing so the value stays exact
      if (exp < 100_000) exp = exp * 10 + d;
      i++;
    }
    if (i === first) return NaN;
    if (eneg) exp = -exp;
  }
  if (i !== end) return NaN;
  const e10 = exp - scale;
  if (mant <= Number.MAX_SAFE_INTEGER && e10 >= -22 && e10 <= 22) {
    const v = e10 >= 0 ? mant * POW10[e10]! : mant / POW10[-e10]!;
    return neg ? -v : v;
  }
  return Number(latin1(b, start, end));
}

/** Bytes as text for messages and fallbacks (cells that matter here are ASCII). */
export function latin1(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
}
