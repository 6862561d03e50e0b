import { describe, expect, it } from 'vitest';
import { evaluatePositions, windowReturns } from '@regimen/kernel';
import { realDataPath } from '@regimen/plugin-testkit';
import { readFileSync } from 'node:fs';
import { bookBar, bookBars } from './paper-book.js';

describe('paper booking (DESIGN §5, one bar at a time)', () => {
  const costs = { fee: 0.001, slippage: 0.0005 };

  it('fills at the decision bar\'s close and charges fee + slippage on the change, as computed by hand', () => {
    const open = { bar: 0, close: 100, position: 0.5, equity: 1 };
    const [b1, b2, b3] = bookBars(open, [
      { bar: 1, close: 110, position: 1 },
      { bar: 2, close: 99, position: -1 },
      { bar: 3, close: 99, position: -1 },
    ], costs);
    // bar 1: held 0.5 over +10 %, bought 0.5 more at 110: 0.05 − 0.0015·0.5
    expect(b1!.trade).toBe(0.5);
    expect(b1!.fill_price).toBe(110);
    expect(b1!.cost).toBeCloseTo(0.00075, 15);
    expect(b1!.return).toBeCloseTo(0.04925, 15);
    expect(b1!.equity).toBeCloseTo(1.04925, 15);
    // bar 2: held 1 over −10 %, reversed to −1 (a change of 2) at 99
    expect(b2!.trade).toBe(-2);
    expect(b2!.cost).toBeCloseTo(0.003, 15);
    expect(b2!.return).toBeCloseTo(-0.103, 15);
    expect(b2!.equity).toBeCloseTo(1.04925 * 0.897, 15);
    // bar 3: no price change, no trade: nothing earned, nothing paid
    expect(b3!.trade).toBe(0);
    expect(b3!.cost).toBe(0);
    expect(b3!.return).toBe(-0);
    expect(b3!.equity).toBe(b2!.equity);
  });

  it('equals the kernel\'s PnL loop and metrics bit for bit on real prices', () => {
    const lines = readFileSync(realDataPath('swx_daily_close.csv'), 'utf8').trim().split('\n').slice(1, 801);
    const close = Float64Array.from(lines, (l) => Number(l.split(',')[2]));
    expect(close.every((p) => p > 0)).toBe(true);
    // a position series with every kind of change: in, out, reversal, fractions
    const pos = Float64Array.from(close, (_, t) => [0, 0.25, 1, -1, -0.5, 0, 0.75][Math.floor(t / 37) % 7]!);
    const window = { start: 100, end: close.length };
    const r = windowReturns(close, pos, window, costs);
    const fills = bookBars(
      { bar: window.start, close: close[window.start]!, position: pos[window.start]!, equity: 1 },
      Array.from({ length: window.end - window.start - 1 }, (_, i) => ({ bar: window.start + 1 + i, close: close[window.start + 1 + i]!, position: pos[window.start + 1 + i]! })),
      costs,
    );
    let e = 1;
    fills.forEach((f, i) => {
      expect(f.return).toBe(r[i]);
      e = e * (1 + r[i]!);
      expect(f.equity).toBe(e);
    });
    const m = evaluatePositions(close, pos, window, costs, 252, []).metrics;
    expect(fills.at(-1)!.equity - 1).toBe(m.total_return);
    expect(fills.filter((f) => f.trade !== 0).length).toBe(m.trades);
  });

  it('a single step is the loop\'s step', () => {
    const f = bookBar({ bar: 4, close: 50, position: -0.5, equity: 2 }, { bar: 5, close: 40, position: 0 }, { fee: 0.002, slippage: 0 });
    expect(f.return).toBe(-0.5 * (40 / 50 - 1) - 0.002 * 0.5);
    expect(f.equity).toBe(2 * (1 + f.return));
  });
});
