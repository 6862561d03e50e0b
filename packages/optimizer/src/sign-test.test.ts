import { describe, expect, it } from 'vitest';
import { signTest } from './sign-test.js';

/** 2·Σ_{k ≤ m} C(n, k) / 2^n in exact integer arithmetic, capped at 1: the independent reference. */
function exactTwoSided(wins: number, losses: number): number {
  const n = BigInt(wins + losses);
  let c = 1n;
  let tail = 0n;
  for (let k = 0n; k <= BigInt(Math.min(wins, losses)); k++) {
    tail += c;
    c = (c * (n - k)) / (k + 1n);
  }
  // 2·tail / 2^n as a double: both integers are exact, one rounding in the division
  return Math.min(1, Number(2n * tail * 10n ** 18n / 2n ** n) / 1e18);
}

describe('sign test', () => {
  it('matches R binom.test(x, n, 0.5) on published values', () => {
    // binom.test(7, 30)$p.value and binom.test(2, 10)$p.value (R 4.2)
    expect(signTest(7, 23).p_value).toBeCloseTo(0.005222879, 9);
    expect(signTest(2, 8).p_value).toBeCloseTo(0.109375, 12);
    // the textbook case: 0 of 5 → 2 · 1/32
    expect(signTest(0, 5).p_value).toBeCloseTo(0.0625, 14);
  });

  it('equals the exact binomial tail for every split of n up to 60, whichever side wins', () => {
    for (let n = 1; n <= 60; n++) {
      for (let w = 0; w <= n; w++) {
        const got = signTest(w, n - w).p_value!;
        const want = exactTwoSided(w, n - w);
        expect(Math.abs(got - want), `${w} of ${n}`).toBeLessThanOrEqual(1e-12 + 1e-9 * want);
        expect(signTest(n - w, w).p_value).toBe(got);
      }
    }
  });

  it('leaves ties out and has no test when every pair is a tie', () => {
    expect(signTest(3, 1, 6)).toEqual({ wins: 3, losses: 1, ties: 6, p_value: signTest(3, 1).p_value });
    expect(signTest(0, 0, 4).p_value).toBeNull();
    expect(signTest(5, 5).p_value).toBe(1);
  });
});
