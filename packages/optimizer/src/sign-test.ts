import { binomialDistribution } from 'simple-statistics';
import type { SignTest } from '@regimen/core';

/**
 * The two-sided exact sign test of paired outcomes (Conover, Practical Nonparametric Statistics,
 * §3.4): under "as likely to win as to lose" the wins among the n = wins + losses untied pairs are
 * Binomial(n, 1/2); ties carry no sign and are left out. The distribution is symmetric, so the
 * two-sided p-value is twice the smaller tail, p = min(1, 2·P(X ≤ min(wins, losses))) — what R's
 * binom.test(wins, n) gives. The binomial masses are simple-statistics' (through log-gamma).
 */
export function signTest(wins: number, losses: number, ties = 0): SignTest {
  const n = wins + losses;
  if (n === 0) return { wins, losses, ties, p_value: null };
  const masses = binomialDistribution(n, 0.5)!;
  let tail = 0;
  for (let k = 0; k <= Math.min(wins, losses); k++) tail += masses[k]!;
  return { wins, losses, ties, p_value: Math.min(1, 2 * tail) };
}
