import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NO_REGIME, createRng, type BarColumns, type RegimeTrack, type ReplayBatch, type TrialBatch, type TrialSpec } from '@regimen/core';
import { referenceEngine } from './engine.js';
import { evaluatePositions } from './evaluate.js';
import { prepareReplay, replayPositions } from './replay.js';

function msft(): BarColumns {
  const fx = JSON.parse(readFileSync(new URL('./fixtures/ttr-msft.json', import.meta.url), 'utf8')) as {
    input: { date: string[]; high: number[]; low: number[]; close: number[] };
  };
  const close = Float64Array.from(fx.input.close);
  return { time: Float64Array.from(fx.input.date, (d) => Date.parse(d)), open: close, high: Float64Array.from(fx.input.high), low: Float64Array.from(fx.input.low), close };
}

const bars = msft();
const n = bars.close.length;
const window = { start: 60, end: n };
const single: RegimeTrack = { classifier: 'all', names: ['all'], labels: new Uint8Array(n) };
const rng = createRng(11);
const mixed: RegimeTrack = {
  classifier: 'mixed',
  names: ['calm', 'wild'],
  labels: Uint8Array.from({ length: n }, (_, t) => (t < 70 ? NO_REGIME : rng.int(0, 1))),
};
const trials: TrialSpec[] = [
  { trial_id: 't1', strategy: 's1', type: 'sma_crossover', params: { fast: 5, slow: 20, side: 'long_short' } },
  { trial_id: 't2', strategy: 's1', type: 'sma_crossover', params: { fast: '10', slow: 20 } },
  { trial_id: 't3', strategy: 's2', type: 'momentum', params: { lookback: 10, threshold: 0.02, side: 'long_short' } },
  { trial_id: 't4', strategy: 's3', type: 'breakout', params: { lookback: 15, side: 'long_short' } },
  { trial_id: 't5', strategy: 's4', type: 'rsi', params: { period: 10, lower: 40, upper: 60, side: 'long_short' } },
  { trial_id: 't6', strategy: 's5', type: 'mean_reversion', params: { lookback: 10, threshold: 0.03 } },
];
const costs = { fee: 0.0005, slippage: 0.0002 };
const batch: TrialBatch = { bars, window, trials, regimes: [single, mixed], costs, barsPerYear: 252, captureSignals: true };
const rows = referenceEngine.runTrials(batch);

describe('referenceEngine.runTrials', () => {
  it('returns one row per trial, in order, with signals inside the window', () => {
    expect(rows.map((r) => r.trial_id)).toEqual(trials.map((t) => t.trial_id));
    for (const r of rows) {
      expect(r.metrics.trades).toBeGreaterThan(0);
      expect(Object.keys(r.regimes)).toEqual(['all', 'mixed']);
      const bars = Array.from(r.signals!.bar);
      expect(bars.every((b) => b >= window.start && b < window.end)).toBe(true);
    }
    expect(referenceEngine.runTrials({ ...batch, captureSignals: false })[0]!.signals).toBeUndefined();
  });
  it('per-regime bars add up to the returns outside NO_REGIME', () => {
    const r = rows[0]!.regimes.mixed!;
    // returns t = 61..248 belong to labels[60..247]; labels < 70 are NO_REGIME → 248 − 70 = 178
    expect(r.calm!.bars + r.wild!.bars).toBe(n - 1 - 70);
    expect(rows[0]!.regimes.all!.all!.bars).toBe(n - window.start - 1);
  });
});

describe('referenceEngine.replay', () => {
  it('replay of one trial with weight 1 in its only regime reproduces its metrics exactly', () => {
    for (const row of rows) {
      const replay: ReplayBatch = {
        close: bars.close,
        window,
        regime: single,
        breakdown: [single, mixed],
        legs: [{ strategy: 'only', byRegime: [row.signals!] }],
        weightSets: [[Float64Array.of(1)]],
        costs,
        barsPerYear: 252,
      };
      const [out] = referenceEngine.replay(replay);
      expect(out!.metrics).toEqual(row.metrics);
      expect(out!.regimes).toEqual(row.regimes);
    }
  });
  it('combines legs per regime with the weights, clips to [−1, 1], and is flat in NO_REGIME', () => {
    const [a, b] = [rows[0]!.signals!, rows[2]!.signals!];
    const replay: ReplayBatch = {
      close: bars.close,
      window,
      regime: mixed,
      breakdown: [mixed],
      // calm: a with b; wild: only b (a's wild leg is null)
      legs: [
        { strategy: 's1', byRegime: [a, null] },
        { strategy: 's2', byRegime: [b, b] },
      ],
      weightSets: [
        [Float64Array.of(0.75, 0.75), Float64Array.of(1, 0.5)],
        [Float64Array.of(0, 0), Float64Array.of(0, 0)],
      ],
      costs,
      barsPerYear: 252,
    };
    const prepared = prepareReplay(replay);
    const pos = replayPositions(prepared, replay.weightSets[0]!);
    const posA = rows[0]!.signals!;
    const at = (ev: typeof posA, t: number) => {
      let p = 0;
      for (let i = 0; i < ev.bar.length && ev.bar[i]! <= t; i++) p = ev.position[i]!;
      return p;
    };
    let clipped = 0;
    for (let t = 0; t < n; t++) {
      const k = mixed.labels[t]!;
      let expected = 0;
      if (t >= window.start && k !== NO_REGIME) {
        const raw = k === 0 ? 0.75 * at(a, t) + 0.75 * at(b, t) : 0.5 * at(b, t);
        expected = Math.max(-1, Math.min(1, raw));
        if (Math.abs(raw) > 1) clipped++;
      }
      expect(pos[t]).toBe(expected);
    }
    expect(clipped).toBeGreaterThan(0);
    const out = referenceEngine.replay(replay);
    expect(out[0]).toEqual(evaluatePositions(bars.close, pos, window, costs, 252, [mixed]));
    expect(out[1]!.metrics).toMatchObject({ trades: 0, exposure: 0, total_return: 0 });
  });
});
