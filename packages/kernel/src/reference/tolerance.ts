/**
 * DESIGN §5 comparison rule: two indicator values compare with a relative tolerance, so a signal
 * never hinges on the last bits of a running sum. `a > b` means `a − b > 1e-9·|b|`; `a < b` means
 * `b − a > 1e-9·|b|`. The tolerance scales with the right-hand side only, as the design states it;
 * with b = 0 both reduce to the exact comparison. NaN on either side compares false.
 */
export const RELATIVE_TOLERANCE = 1e-9;

export function gt(a: number, b: number): boolean {
  return a - b > RELATIVE_TOLERANCE * Math.abs(b);
}

export function lt(a: number, b: number): boolean {
  return b - a > RELATIVE_TOLERANCE * Math.abs(b);
}
