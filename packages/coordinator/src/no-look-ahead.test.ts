import { describe, expect, it } from 'vitest';
import { createRng, type Engine, type RegimeTrack, type TrialBatch } from '@regimen/core';
import { loadMarketData, embeddedDataPath } from '@regimen/data';
import { eventsFromPositions, evaluatePositions, loadWasmEngine, referenceEngine, trialPositions } from '@regimen/kernel';
import { runAdaptive, type AdaptiveInput } from '@regimen/backtester';
import type { RunContext } from './context.js';
import { lookAheadCheck, verifyTransitions } from './no-look-ahead.js';

/**
 * An engine whose strategy peeks one bar ahead: its position at the close of bar t is what the
 * honest strategy would only know at the close of t+1. The proofs must catch it.
 */
const peekingEngine: Engine = {
  name: 'js',
  runTrials(batch: TrialBatch) {
    return batch.trials.map((trial) => {
      const honest = trialPositions(batch.bars, trial);
      const pos = new Float64Array(honest.length);
      for (let t = 0; t < pos.length; t++) pos[t] = honest[Math.min(t + 1, pos.length - 1)]!;
      const { metrics, regimes } = evaluatePositions(batch.bars.close, pos, batch.window, batch.costs, batch.barsPerYear, batch.regimes);
      return { trial_id: trial.trial_id, metrics, regimes, signals: eventsFromPositions(pos, batch.window) };
    });
  },
  replay: (batch) => referenceEngine.replay(batch),
};

describe('proofs of no look-ahead', () => {
  const { bars } = loadMarketData(embeddedDataPath());
  const n = 1500;
  const cut = { time: bars.time.subarray(0, n), open: bars.open.subarray(0, n), high: bars.high.subarray(0, n), low: bars.low.subarray(0, n), close: bars.close.subarray(0, n) };
  // a causal two-regime rule: is the close above its value 50 bars ago?
  const labels = (len: number): RegimeTrack => {
    const l = new Uint8Array(len).fill(255);
    for (let t = 50; t < len; t++) l[t] = cut.close[t]! > cut.close[t - 50]! ? 0 : 1;
    return { classifier: 'trend', names: ['up', 'down'], labels: l };
  };
  const track = labels(n);
  const entry = (lookback: number) => ({ params: { lookback, threshold: 0.01, side: 'long_short' as const }, trial_id: `m${lookback}`, metric: 'sharpe', score: 0 });
  const input: AdaptiveInput = {
    bars: cut,
    window: { start: 1000, end: n },
    regime: track,
    breakdown: [track],
    strategies: [{ name: 'mom', type: 'momentum' }],
    winners: { up: { mom: entry(20) }, down: { mom: entry(60) } },
    weights: { up: { mom: 1 }, down: { mom: 0.5 } },
    costs: { fee: 0.0005, slippage: 0 },
    barsPerYear: 252,
  };
  const ctxWith = (engine: Engine) => ({ rng: createRng(5), engine }) as unknown as RunContext;
  const relabel = (len: number) => [labels(len)];
  const transitions = (pos: Float64Array) => {
    const out: number[] = [];
    for (let t = input.window.start + 1; t < input.window.end; t++) if (track.labels[t] !== track.labels[t - 1]) out.push(t);
    const trades: number[] = [];
    for (let t = input.window.start + 1; t < input.window.end; t++) if (pos[t] !== pos[t - 1]) trades.push(t);
    return { out, trades };
  };

  it('pass for the honest engine', () => {
    const { positions } = runAdaptive(input, referenceEngine);
    expect(lookAheadCheck(ctxWith(referenceEngine), input, positions, relabel).ok).toBe(true);
    const { out, trades } = transitions(positions);
    expect(out.length).toBeGreaterThan(3);
    const v = verifyTransitions(input, positions, out, trades);
    expect(v.ok).toBe(true);
    expect(v.checked).toBeGreaterThan(10);
  });

  it('catch a strategy that peeks one bar ahead', () => {
    const { positions } = runAdaptive(input, peekingEngine);
    const la = lookAheadCheck(ctxWith(peekingEngine), input, positions, relabel);
    expect(la.ok).toBe(false);
    expect(la.cuts).toContain(la.firstFailure);
    const { out, trades } = transitions(positions);
    expect(verifyTransitions(input, positions, out, trades).ok).toBe(false);
  });

  it('check every bar when exhaustive: a cut after each bar of the window, every transition and trade', () => {
    const small = { ...input, window: { start: 1000, end: 1120 } };
    const honest = runAdaptive(small, referenceEngine).positions;
    const la = lookAheadCheck(ctxWith(referenceEngine), small, honest, relabel, 'all');
    expect(la).toEqual({ ok: true, cuts: Array.from({ length: 119 }, (_, i) => 1000 + i) });
    const peeking = runAdaptive(small, peekingEngine).positions;
    const caught = lookAheadCheck(ctxWith(peekingEngine), small, peeking, relabel, 'all');
    expect(caught.ok).toBe(false);
    // the first cut after which a decision changes: the bar before the first position change it peeked at
    expect(caught.cuts.indexOf(caught.firstFailure!)).toBeGreaterThanOrEqual(0);
    const { out, trades } = transitions(runAdaptive(input, referenceEngine).positions);
    const all = verifyTransitions(input, runAdaptive(input, referenceEngine).positions, out, trades, referenceEngine, true);
    expect(all.ok).toBe(true);
    expect(all.checked).toBe(new Set([...out, ...trades]).size);
  });

  it('pass on the wasm engine, which answers the cut points in one pass, for several strategies', async () => {
    const wasm = await loadWasmEngine();
    const several: AdaptiveInput = {
      ...input,
      strategies: [{ name: 'mom', type: 'momentum' }, { name: 'channel', type: 'breakout' }, { name: 'trend', type: 'sma_crossover' }],
      winners: {
        up: { mom: entry(20), channel: { ...entry(0), params: { lookback: 30, side: 'long_short' }, trial_id: 'b30' }, trend: { ...entry(0), params: { fast: 5, slow: 40 }, trial_id: 's5' } },
        down: { mom: entry(60), channel: { ...entry(0), params: { lookback: 55, side: 'long_short' }, trial_id: 'b55' } },
      },
      // channel has no say while down (weight 0): it is not recomputed there
      weights: { up: { mom: 0.5, channel: 0.3, trend: 0.2 }, down: { mom: 1, channel: 0 } },
    };
    const { positions } = runAdaptive(several, wasm);
    expect(positions).toEqual(runAdaptive(several, referenceEngine).positions);
    const { out, trades } = transitions(positions);
    const v = verifyTransitions(several, positions, out, trades, wasm);
    expect(v).toEqual(verifyTransitions(several, positions, out, trades, referenceEngine));
    expect(v.ok).toBe(true);
    expect(v.checked).toBeGreaterThan(50);
    expect(lookAheadCheck(ctxWith(wasm), several, positions, relabel).ok).toBe(true);
  });

  it('catch the peeking strategy through the engine of the run as well', () => {
    const { positions } = runAdaptive(input, peekingEngine);
    const { out, trades } = transitions(positions);
    const v = verifyTransitions(input, positions, out, trades, peekingEngine);
    expect(v.ok).toBe(false);
    expect([...out, ...trades]).toContain(v.firstFailure);
  });
});
