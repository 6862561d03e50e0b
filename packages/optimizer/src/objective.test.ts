import { describe, expect, it } from 'vitest';
import { isRegimenError, type Metrics } from '@regimen/core';
import { compareRanked, compileObjective } from './index.js';

const M: Metrics = { sharpe: 1.5, sortino: 2, max_drawdown: 0.2, total_return: 0.3, cagr: 0.1, volatility: 0.15, trades: 10, exposure: 0.5 };

const errorOf = (spec: string) => {
  try {
    compileObjective(spec, 'phases[1].config.objective');
  } catch (e) {
    if (isRegimenError(e) && e.code === 'config') return e;
    throw e;
  }
  throw new Error('expected a config error');
};

describe('compileObjective', () => {
  it('scores each named objective, higher is better', () => {
    const cases: Array<[string, number]> = [
      ['sharpe', 1.5],
      ['sortino', 2],
      ['calmar', 0.1 / 0.2],
      ['total_return', 0.3],
      ['cagr', 0.1],
      ['max_drawdown', -0.2],
      ['volatility', -0.15],
      ['maximize_sortino', 2],
      ['minimize_volatility', -0.15],
      ['maximize_calmar', 0.5],
      ['minimize_regime_drawdown', -0.2],
      ['sharpe - 2*max_drawdown', 1.5 - 0.4],
      ['sharpe * max_drawdown ** 2', 1.5 * 0.04],
      ['(sortino + sharpe) / 2 - abs(-max_drawdown)', 1.75 - 0.2],
    ];
    for (const [spec, want] of cases) expect(compileObjective(spec).score(M), spec).toBeCloseTo(want, 12);
  });
  it('gives calmar 0 without a drawdown and breaks drawdown ties by sharpe', () => {
    expect(compileObjective('calmar').score({ ...M, max_drawdown: 0 })).toBe(0);
    const o = compileObjective('minimize_regime_drawdown');
    const a = { id: '1', score: o.score(M), tiebreak: o.tiebreak!(M) };
    const b = { id: '0', score: o.score({ ...M, sharpe: 2 }), tiebreak: o.tiebreak!({ ...M, sharpe: 2 }) };
    expect(compareRanked(a, b)).toBeGreaterThan(0);
  });
  it('names an unknown metric in one config line', () => {
    expect(errorOf('maximize_foo').message).toMatch(/unknown metric "foo"/);
    const e = errorOf('sharpe - 2*maxdd');
    expect(e.message).toMatch(/unknown metric "maxdd"/);
    expect(e.field).toBe('phases[1].config.objective');
    expect(errorOf('sharpe -').message).toMatch(/syntax error/);
  });
  it('ranks NaN last and equal scores by id, numerically for digit ids', () => {
    const order = [
      { id: '10', score: 1 },
      { id: '2', score: 1 },
      { id: '1', score: NaN },
      { id: '3', score: 0.5 },
    ].sort(compareRanked);
    expect(order.map((x) => x.id)).toEqual(['2', '10', '3', '1']);
  });
});
