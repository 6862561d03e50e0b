import { describe, expect, it } from 'vitest';
import { metricsOfReturns } from './metrics.js';

const f = (...x: number[]) => Float64Array.from(x);

describe('metricsOfReturns (DESIGN §5)', () => {
  it('sortino divides the downside sum by ALL n, not by the count of losses', () => {
    // r = [0.02, −0.01, 0.03, 0]: mean = 0.04/4 = 0.01; downside = sqrt(0.01²/4) = 0.005
    // sortino = 0.01/0.005·√252 = 2·√252 (dividing by the one loss would give 1·√252)
    const m = metricsOfReturns(f(0.02, -0.01, 0.03, 0), 252, 0, 0);
    expect(m.sortino).toBeCloseTo(2 * Math.sqrt(252), 12);
  });
  it('max drawdown includes E_0 = 1, so a first-bar loss counts', () => {
    // E: 1 → 0.9 → 0.945; peak stays 1; drawdown = 1 − 0.9/1 = 0.1 (not 1 − 0.945/0.9 < 0)
    const m = metricsOfReturns(f(-0.1, 0.05), 252, 0, 0);
    expect(m.max_drawdown).toBeCloseTo(0.1, 15);
    expect(m.total_return).toBeCloseTo(0.9 * 1.05 - 1, 15);
  });
  it('sharpe and volatility from the sample sd; sharpe 0 when sd = 0', () => {
    // r = [0.01, 0.03]: mean 0.02, sample var = (0.01² + 0.01²)/1 = 0.0002
    const m = metricsOfReturns(f(0.01, 0.03), 4, 1, 2);
    expect(m.sharpe).toBeCloseTo((0.02 / Math.sqrt(0.0002)) * 2, 12);
    expect(m.volatility).toBeCloseTo(Math.sqrt(0.0002) * 2, 14);
    expect(m.cagr).toBeCloseTo(Math.pow(1.01 * 1.03, 4 / 2) - 1, 14);
    expect(m.exposure).toBe(1);
    expect(m.trades).toBe(1);
    const flat = metricsOfReturns(f(0.01, 0.01, 0.01), 252, 0, 3);
    expect(flat.sharpe).toBe(0);
    expect(flat.sortino).toBe(0); // no losses: downside 0 → 0
  });
  it('n = 0 gives all zeros; n = 1 has no sd', () => {
    expect(metricsOfReturns(f(), 252, 0, 0)).toEqual({
      sharpe: 0, sortino: 0, max_drawdown: 0, total_return: 0, cagr: 0, volatility: 0, trades: 0, exposure: 0,
    });
    const one = metricsOfReturns(f(-0.02), 252, 0, 1);
    expect(one.sharpe).toBe(0);
    expect(one.volatility).toBe(0);
    // downside = sqrt(0.02²/1) = 0.02 → sortino = −0.02/0.02·√252
    expect(one.sortino).toBeCloseTo(-Math.sqrt(252), 12);
  });
  it('cagr is −1 once equity is wiped out', () => {
    const m = metricsOfReturns(f(0.1, -1.5), 252, 0, 2);
    expect(m.cagr).toBe(-1);
    // E = 1.1·(−0.5) = −0.55; drawdown 1 − (−0.55)/1.1 = 1.5
    expect(m.total_return).toBeCloseTo(-1.55, 14);
    expect(m.max_drawdown).toBeCloseTo(1.5, 14);
  });
});
