import { describe, expect, it } from 'vitest';
import { NO_REGIME, type RegimeTrack } from '@regimen/core';
import { evaluatePositions, windowReturns } from './evaluate.js';

const f = (...x: number[]) => Float64Array.from(x);
const close = f(100, 110, 99, 99, 108.9);
const pos = f(1, 1, 0, 1, 1);
const costs = { fee: 0.001, slippage: 0 };

/*
 * By hand, window [0, 5), fee 0.001:
 *   t=1: 1·(110/100 − 1) − 0.001·|1 − 1| =  0.1
 *   t=2: 1·(99/110 − 1)  − 0.001·|0 − 1| = −0.1 − 0.001 = −0.101
 *   t=3: 0·(99/99 − 1)   − 0.001·|1 − 0| = −0.001
 *   t=4: 1·(108.9/99 − 1) − 0            =  0.1
 * n = 4, Σ = 0.098, mean = 0.0245
 * deviations 0.0755, −0.1255, −0.0255, 0.0755 → squares 0.00570025 + 0.01575025 + 0.00065025
 *   + 0.00570025 = 0.027801 → sample var 0.009267
 * downside: (0.101² + 0.001²)/4 = (0.010201 + 0.000001)/4 = 0.0025505
 * equity 1.1, 0.9889, 0.9879111, 1.08670221; peak 1.1 → max drawdown 1 − 0.9879111/1.1 = 0.101899
 * trades: t=2 (1→0), t=3 (0→1) = 2; exposure: pos[t−1] ≠ 0 at t = 1, 2, 4 → 3/4
 */
const expectedReturns = [0.1, -0.101, -0.001, 0.1];

describe('evaluatePositions: hand-computed case', () => {
  it('returns', () => {
    const r = windowReturns(close, pos, { start: 0, end: 5 }, costs);
    expect(r.length).toBe(4);
    r.forEach((v, i) => expect(v).toBeCloseTo(expectedReturns[i]!, 15));
  });
  it('metrics', () => {
    const { metrics: m } = evaluatePositions(close, pos, { start: 0, end: 5 }, costs, 252, []);
    const sd = Math.sqrt(0.009267);
    expect(m.sharpe).toBeCloseTo((0.0245 / sd) * Math.sqrt(252), 10);
    expect(m.sortino).toBeCloseTo((0.0245 / Math.sqrt(0.0025505)) * Math.sqrt(252), 10);
    expect(m.max_drawdown).toBeCloseTo(0.101899, 14);
    expect(m.total_return).toBeCloseTo(0.08670221, 14);
    expect(m.cagr).toBeCloseTo(Math.pow(1.08670221, 252 / 4) - 1, 9);
    expect(m.volatility).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(m.trades).toBe(2);
    expect(m.exposure).toBe(0.75);
  });
  it('slippage is charged like the fee', () => {
    const a = evaluatePositions(close, pos, { start: 0, end: 5 }, { fee: 0.0004, slippage: 0.0006 }, 252, []);
    const b = evaluatePositions(close, pos, { start: 0, end: 5 }, { fee: 0.001, slippage: 0 }, 252, []);
    expect(a.metrics).toEqual(b.metrics);
  });
  it('a window is a series of its own: its first position enters without a cost or a trade', () => {
    // window [2, 5): returns t = 3, 4 only; pos[2] = 0 enters free
    //   t=3: 0 − 0.001·1 = −0.001; t=4: 0.1 → trades 1, exposure 1/2
    const { metrics: m } = evaluatePositions(close, pos, { start: 2, end: 5 }, costs, 252, []);
    expect(m.total_return).toBeCloseTo(0.999 * 1.1 - 1, 15);
    expect(m.trades).toBe(1);
    expect(m.exposure).toBe(0.5);
    expect(m.max_drawdown).toBeCloseTo(0.001, 15);
  });
  it('rejects an empty or out-of-range window', () => {
    expect(() => evaluatePositions(close, pos, { start: 3, end: 3 }, costs, 252, [])).toThrow(/window/);
    expect(() => evaluatePositions(close, pos, { start: 0, end: 6 }, costs, 252, [])).toThrow(/window/);
  });
});

describe('per-regime attribution', () => {
  // return t (and a change at t) belongs to labels[t−1]; the last label never owns a return
  const track: RegimeTrack = { classifier: 'hmm', names: ['a', 'b', 'c'], labels: Uint8Array.from([0, 1, 1, NO_REGIME, 2]) };
  const { regimes } = evaluatePositions(close, pos, { start: 0, end: 5 }, costs, 252, [track]);
  const r = regimes.hmm!;

  it('regime a owns return 1 only', () => {
    // returns [0.1]: no change at t=1, exposed
    expect(r.a!.bars).toBe(1);
    expect(r.a!.total_return).toBeCloseTo(0.1, 15);
    expect(r.a!.trades).toBe(0);
    expect(r.a!.exposure).toBe(1);
    expect(r.a!.sharpe).toBe(0); // n = 1
  });
  it('regime b owns returns 2 and 3, compounding over its own subsequence', () => {
    // returns [−0.101, −0.001]: E 0.899, 0.898101 → total −0.101899, drawdown from E_0 = 1
    // changes at t=2 and t=3 are both b's trades; exposure: pos[1] = 1, pos[2] = 0 → 1/2
    expect(r.b!.bars).toBe(2);
    expect(r.b!.total_return).toBeCloseTo(-0.101899, 15);
    expect(r.b!.max_drawdown).toBeCloseTo(0.101899, 15);
    expect(r.b!.trades).toBe(2);
    expect(r.b!.exposure).toBe(0.5);
    // mean −0.051, sample sd of (−0.101, −0.001) = 0.1/√2
    expect(r.b!.volatility).toBeCloseTo((0.1 / Math.SQRT2) * Math.sqrt(252), 12);
  });
  it('NO_REGIME returns are skipped and a regime without returns is all zeros', () => {
    // return 4 has label[3] = NO_REGIME; label[4] = c owns nothing inside the window
    expect(r.a!.bars + r.b!.bars + r.c!.bars).toBe(3);
    expect(r.c).toEqual({ sharpe: 0, sortino: 0, max_drawdown: 0, total_return: 0, cagr: 0, volatility: 0, trades: 0, exposure: 0, bars: 0 });
  });
  it('every track gets its own breakdown and names keep their order', () => {
    const other: RegimeTrack = { classifier: 'pattern', names: ['x'], labels: new Uint8Array(5) };
    const res = evaluatePositions(close, pos, { start: 0, end: 5 }, costs, 252, [track, other]);
    expect(Object.keys(res.regimes)).toEqual(['hmm', 'pattern']);
    expect(Object.keys(res.regimes.hmm!)).toEqual(['a', 'b', 'c']);
    // a single regime covering every bar equals the overall metrics
    const { bars, ...rest } = res.regimes.pattern!.x!;
    expect(bars).toBe(4);
    expect(rest).toEqual(res.metrics);
  });
  it('rejects a label that names no regime', () => {
    const bad: RegimeTrack = { classifier: 'bad', names: ['a'], labels: Uint8Array.from([0, 3, 0, 0, 0]) };
    expect(() => evaluatePositions(close, pos, { start: 0, end: 5 }, costs, 252, [bad])).toThrow(/label 3/);
  });
});
