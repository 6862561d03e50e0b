import { describe, expect, it } from 'vitest';
import type { Metrics, ParameterSurface } from '@regimen/core';
import { flickerWarnings, noTradeWarnings } from './warnings.js';
import { regimeStats } from './regime-stats.js';

const m = (trades: number): Metrics => ({ sharpe: 0, sortino: 0, max_drawdown: 0, total_return: 0, cagr: 0, volatility: 0, trades, exposure: 0 });
const trial = (strategy: string, trades: number, i: number) => ({ trial_id: `${strategy}-${i}`, strategy, params: {}, bars: 100, metrics: m(trades), regimes: {} });

describe('noTradeWarnings', () => {
  it('names a strategy none of whose trials traded, and only that one', () => {
    const surface: ParameterSurface = { trials: [trial('a', 0, 1), trial('a', 0, 2), trial('b', 0, 1), trial('b', 3, 2)] };
    const w = noTradeWarnings(surface);
    expect(w.map((x) => [x.code, x.subject])).toEqual([['no_trades', 'a']]);
    expect(w[0]!.message).toMatch(/every one of the 2 trials of a made no trade/);
    expect(noTradeWarnings(undefined)).toEqual([]);
  });
});

describe('flickerWarnings', () => {
  const stats = (labels: number[]) => ({ classifier: 'pattern', split: 'train', ...regimeStats(labels, ['a', 'b']) });
  it('flags regimes whose median run is a few bars over many transitions', () => {
    const flicker = Array.from({ length: 300 }, (_, i) => (Math.floor(i / 2) % 2));
    const w = flickerWarnings([stats(flicker)]);
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(/median regime duration 2 bars, 149 transitions in 300 bars/);
  });

  it('leaves long regimes alone, and short series with few transitions', () => {
    const calm = Array.from({ length: 3000 }, (_, i) => (Math.floor(i / 40) % 2));
    expect(flickerWarnings([stats(calm)])).toEqual([]);
    expect(flickerWarnings([stats([0, 1, 0, 1, 0, 1])])).toEqual([]);
  });
});
