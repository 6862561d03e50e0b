import { describe, expect, it } from 'vitest';
import { deflatedSharpe, normalCdf, normalQuantile } from './index.js';

describe('normal helpers', () => {
  it('match tabulated quantiles to 1e-6', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 6);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874, 6);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.644853627, 6);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
  });
});

describe('deflatedSharpe (Bailey & López de Prado 2014)', () => {
  it("reproduces the paper's numerical example: SR₀ ≈ 0.1132, DSR ≈ 0.9004", () => {
    // N = 100 trials, annualised variance of their SRs 0.5, T = 1250 daily returns (250 a year),
    // selected annualised SR 2.5, skewness −3, kurtosis 10.
    const d = deflatedSharpe({ sharpe: 2.5 / Math.sqrt(250), variance: 0.5 / 250, trials: 100, bars: 1250, skewness: -3, kurtosis: 10 })!;
    expect(d.sr0).toBeCloseTo(0.1132, 4);
    expect(d.dsr).toBeCloseTo(0.9004, 3);
  });
  it('is the Probabilistic Sharpe Ratio for one trial and falls as trials grow', () => {
    const sr = 0.1, T = 500;
    const psr = normalCdf((sr * Math.sqrt(T - 1)) / Math.sqrt(1 + (sr * sr) / 2));
    expect(deflatedSharpe({ sharpe: sr, variance: 0.01, trials: 1, bars: T })!.dsr).toBeCloseTo(psr, 12);
    const dsrs = [2, 10, 100, 1000].map((n) => deflatedSharpe({ sharpe: sr, variance: 0.002, trials: n, bars: T })!.dsr);
    for (let i = 1; i < dsrs.length; i++) expect(dsrs[i]!).toBeLessThan(dsrs[i - 1]!);
    expect(deflatedSharpe({ sharpe: sr, variance: 0.01, trials: 5, bars: 1 })).toBeNull();
  });
});
