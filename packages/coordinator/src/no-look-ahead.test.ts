import { describe, expect, it } from 'vitest';
import { createRng, type Engine } from '@regimen/core';
import { loadWasmEngine, referenceEngine } from '@regimen/kernel';
import { runAdaptive, type AdaptiveInput } from '@regimen/backtester';
import type { RunContext } from './context.js';
import { lookAheadCheck, verifyTransitions } from './no-look-ahead.js';
import { peekingEngine, trendFixture } from './test-fixtures.js';

describe('proofs of no look-ahead', () => {
  const { labels, input, entry } = trendFixture();
  const track = input.regime;
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
