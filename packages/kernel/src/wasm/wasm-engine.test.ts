import { describe, expect, it } from 'vitest';
import { NO_REGIME, createRng, sliceBars, type BarColumns, type RegimeTrack, type ReplayBatch, type TrialSpec } from '@regimen/core';
import { referenceEngine, trialPositions } from '../reference/engine.js';
import { randomWalk } from './random-walk.js';
import { createWasmEngine } from './wasm-engine.js';

/**
 * The wasm engine against the TypeScript reference: identical positions (events), trades and
 * metrics — compared with toEqual, i.e. the same numbers, not merely close ones.
 */
function ohlc(close: Float64Array, seed: number): BarColumns {
  const rng = createRng(seed);
  const high = close.map((c) => c * (1 + 0.005 * Math.abs(rng.normal())));
  const low = close.map((c) => c * (1 - 0.005 * Math.abs(rng.normal())));
  return { time: close.map((_, i) => 86400 * i), open: close, high, low, close };
}

function walkWithFlats(bars: number, seed: number): Float64Array {
  const p = randomWalk(bars, seed);
  // a flat stretch: RSI 0/0 = NaN, SMA ties, breakouts that never fire
  p.fill(p[400]!, 400, 460);
  return p;
}

function track(classifier: string, names: string[], bars: number, seed: number): RegimeTrack {
  const rng = createRng(seed);
  const labels = new Uint8Array(bars);
  let k = 0;
  for (let t = 0; t < bars; t++) {
    if (rng.next() < 0.02) k = Math.floor(rng.next() * names.length);
    labels[t] = t < 37 || rng.next() < 0.03 ? NO_REGIME : k;
  }
  return { classifier, names, labels };
}

const sides = ['long_only', 'long_short'] as const;
function trialGrid(bars: number): TrialSpec[] {
  const out: TrialSpec[] = [];
  const add = (type: string, params: Record<string, number | string>) =>
    out.push({ trial_id: `${type}-${out.length}`, strategy: 's', type, params });
  for (const side of sides) {
    for (const lookback of [1, 5, 20, bars + 5]) for (const threshold of [0, 0.01]) add('momentum', { lookback, threshold, side });
    for (const lookback of [2, 10, 30]) for (const threshold of [0, 0.02]) add('mean_reversion', { lookback, threshold, side });
    for (const fast of [1, 5, 10]) for (const slow of [5, 20, 50]) add('sma_crossover', { fast, slow, side });
    for (const lookback of [1, 5, 20, 60]) add('breakout', { lookback, side });
    for (const period of [2, 14]) for (const [lower, upper] of [[30, 70], [45, 55], [50, 50]]) add('rsi', { period, lower: lower!, upper: upper!, side });
    add('rsi', { side }); // schema defaults
  }
  return out;
}

describe('wasm engine equals the reference engine', () => {
  const engine = createWasmEngine();

  it('on random walks: every strategy and side, two regime tracks with NO_REGIME bars, signals captured', () => {
    for (const seed of [1, 2]) {
      const bars = ohlc(walkWithFlats(1500, seed), seed + 10);
      const regimes = [track('hmm', ['bull', 'bear', 'flat'], 1500, seed + 20), track('pattern', ['up', 'down'], 1500, seed + 30)];
      const trials = trialGrid(1500);
      for (const window of [{ start: 0, end: 1500 }, { start: 250, end: 1400 }, { start: 1400, end: 1401 }]) {
        const batch = { bars, window, trials, regimes, costs: { fee: 0.001, slippage: 0.0005 }, barsPerYear: 252, captureSignals: true };
        const want = referenceEngine.runTrials(batch);
        const got = engine.runTrials(batch);
        expect(got).toEqual(want);
      }
    }
  });

  it('scores the folds of a walk-forward from one computation of the positions, as separate batches would', () => {
    const bars = ohlc(walkWithFlats(1500, 7), 8);
    const trials = trialGrid(1500);
    // overlapping windows, each with its own tracks (a fold's classifiers are fitted on its window)
    const folds = [
      { window: { start: 100, end: 700 }, regimes: [track('hmm', ['bull', 'bear'], 1500, 40), track('pattern', ['up', 'down', 'flat'], 1500, 41)] },
      { window: { start: 400, end: 1000 }, regimes: [track('hmm', ['bull', 'bear'], 1500, 42), track('pattern', ['up', 'down', 'flat'], 1500, 43)] },
      { window: { start: 1000, end: 1500 }, regimes: [] },
    ];
    const common = { bars, trials, costs: { fee: 0.001, slippage: 0.0005 }, barsPerYear: 252 };
    const batch = { ...common, window: { start: 100, end: 1500 }, regimes: [], captureSignals: true, folds };
    const want = referenceEngine.runTrials(batch);
    expect(engine.runTrials(batch)).toEqual(want);
    folds.forEach((f, k) => {
      const alone = referenceEngine.runTrials({ ...common, ...f, captureSignals: false });
      expect(want.map((r) => r.folds![k])).toEqual(alone.map(({ metrics, regimes }) => ({ metrics, regimes })));
    });
    expect(want.map((r) => ({ metrics: r.metrics, regimes: r.regimes }))).toEqual(want.map((r) => r.folds![0]));
    // the signals cover the batch window: every fold's positions come back from them
    const one = referenceEngine.runTrials({ ...common, window: { start: 100, end: 1500 }, regimes: [], captureSignals: true });
    expect(want.map((r) => r.signals)).toEqual(one.map((r) => r.signals));
    expect(() => engine.runTrials({ ...batch, window: { start: 200, end: 1500 } })).toThrow(/inside the batch window/);
  });

  it('has trials that trade and regimes that score (the comparison is not vacuous)', () => {
    const bars = ohlc(walkWithFlats(1500, 3), 4);
    const regimes = [track('hmm', ['bull', 'bear'], 1500, 5)];
    const batch = { bars, window: { start: 100, end: 1500 }, trials: trialGrid(1500), regimes, costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252, captureSignals: false };
    const got = engine.runTrials(batch);
    expect(got).toEqual(referenceEngine.runTrials(batch));
    for (const type of ['momentum', 'mean_reversion', 'sma_crossover', 'breakout', 'rsi']) {
      expect(got.some((r) => r.trial_id.startsWith(type) && r.metrics.trades > 10)).toBe(true);
    }
    expect(got.some((r) => r.metrics.exposure > 0 && r.metrics.exposure < 1 && r.regimes.hmm!.bear!.sharpe !== 0)).toBe(true);
  });

  it('reuses its data across batches and switches to new data', () => {
    const a = ohlc(randomWalk(800, 7), 8);
    const b = ohlc(randomWalk(600, 9), 10);
    const trials = trialGrid(800).slice(0, 30);
    for (const bars of [a, b, a]) {
      const batch = { bars, window: { start: 10, end: bars.close.length }, trials, regimes: [], costs: { fee: 0.002, slippage: 0 }, barsPerYear: 365, captureSignals: true };
      expect(engine.runTrials(batch)).toEqual(referenceEngine.runTrials(batch));
    }
  });

  it('applies the relative tolerance of DESIGN §5 (a − b > 1e-9·|b|) at its edge', () => {
    // 1-bar returns 0.01 + 5e-12 and 0.01 + 5e-11 against threshold 0.01: the first is within
    // 1e-9·0.01 = 1e-11 (no signal), the second beyond it (long)
    const close = Float64Array.of(100, 100 * (1.01 + 5e-12), 100 * (1.01 + 5e-12) * (1.01 + 5e-11));
    const bars: BarColumns = { time: close.map((_, i) => i), open: close, high: close, low: close, close };
    const batch = { bars, window: { start: 0, end: 3 }, regimes: [], costs: { fee: 0, slippage: 0 }, barsPerYear: 252, captureSignals: true,
      trials: [{ trial_id: 'm', strategy: 's', type: 'momentum', params: { lookback: 1, threshold: 0.01 } }] };
    const [row] = engine.runTrials(batch);
    expect(Array.from(row!.signals!.bar)).toEqual([2]);
    expect(engine.runTrials(batch)).toEqual(referenceEngine.runTrials(batch));
  });

  it('throws the reference errors: bad parameters, bad labels', () => {
    const bars = ohlc(randomWalk(300, 1), 2);
    const base = { bars, window: { start: 0, end: 300 }, regimes: [], costs: { fee: 0, slippage: 0 }, barsPerYear: 252, captureSignals: false };
    const bad = { ...base, trials: [{ trial_id: 'x', strategy: 's', type: 'momentum', params: { lookback: -3 } }] };
    expect(() => engine.runTrials(bad)).toThrow(/too small|lookback/i);
    const labels = new Uint8Array(300).fill(5);
    const badTrack = { ...base, trials: trialGrid(300).slice(0, 1), regimes: [{ classifier: 'c', names: ['a'], labels }] };
    expect(() => referenceEngine.runTrials(badTrack)).toThrow(/not one of 1 regimes/);
    expect(() => engine.runTrials(badTrack)).toThrow(/not one of 1 regimes/);
  });

  it('replays weight sets exactly as the reference', () => {
    const bars = ohlc(walkWithFlats(1200, 11), 12);
    const window = { start: 200, end: 1200 };
    const regime = track('hmm', ['bull', 'bear', 'flat'], 1200, 13);
    const breakdown = [regime, track('pattern', ['up', 'down'], 1200, 14)];
    const trials = trialGrid(1200).filter((_, i) => i % 5 === 0);
    const rows = referenceEngine.runTrials({ bars, window, trials, regimes: [], costs: { fee: 0, slippage: 0 }, barsPerYear: 252, captureSignals: true });
    const ev = (i: number) => rows[i % rows.length]!.signals!;
    const legs: ReplayBatch['legs'] = [
      { strategy: 'a', byRegime: [ev(1), ev(2), null] },
      { strategy: 'b', byRegime: [ev(3), ev(3), ev(4)] },
      { strategy: 'c', byRegime: [ev(5), null, ev(6)] },
    ];
    const rng = createRng(15);
    const weightSets = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 3 }, () => Float64Array.from({ length: 3 }, () => (i === 0 ? 1 / 3 : rng.next() * 1.5 - 0.25))));
    const batch: ReplayBatch = { close: bars.close, window, regime, breakdown, legs, weightSets, costs: { fee: 0.001, slippage: 0.001 }, barsPerYear: 252 };
    const want = referenceEngine.replay(batch);
    expect(engine.replay(batch)).toEqual(want);
    expect(new Set(want.map((r) => r.metrics.sharpe)).size).toBe(12);
    // a weight set missing a regime's weights fails the same way
    const short: ReplayBatch = { ...batch, weightSets: [weightSets[0]!.slice(0, 1)] };
    expect(() => referenceEngine.replay(short)).toThrow(/has no weights/);
    expect(() => engine.replay(short)).toThrow(/has no weights/);
  });

  it('positions at cuts equal the reference computed on the bars up to each cut, and leave the engine as it was', () => {
    const bars = ohlc(walkWithFlats(1500, 21), 22);
    const trials = trialGrid(1500);
    const rng = createRng(23);
    const cuts = trials.map((_, i) => [0, 1499, 420, ...Array.from({ length: 6 }, () => rng.int(0, 1499)), ...(i % 3 === 0 ? [700, 700] : [])]);
    const got = engine.positionsAtCuts!(bars, trials, cuts);
    const want = trials.map((trial, i) => Float64Array.from(cuts[i]!, (c) => trialPositions(sliceBars(bars, c + 1), trial)[c]!));
    expect(got).toEqual(want);
    // not vacuous: most trials hold a position at some cut
    expect(got.filter((p) => p.some((x) => x !== 0)).length).toBeGreaterThan(trials.length / 2);
    const batch = { bars, window: { start: 100, end: 1500 }, trials, regimes: [], costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252, captureSignals: true };
    expect(engine.runTrials(batch)).toEqual(referenceEngine.runTrials(batch));
    expect(() => engine.positionsAtCuts!(bars, trials.slice(0, 1), [[1500]])).toThrow(/a cut must be a bar index/);
    expect(() => engine.positionsAtCuts!(bars, trials.slice(0, 2), [[3]])).toThrow(/one list of cut bars per trial/);
    expect(engine.positionsAtCuts!(bars, trials.slice(0, 2), [[], []])).toEqual([new Float64Array(0), new Float64Array(0)]);
  });
});
