import { describe, expect, it } from 'vitest';
import { NO_REGIME, type RegimeTrack, type TrialSpec } from '@regimen/core';
import { loadMarketData } from '@regimen/data';
import { referenceEngine } from '@regimen/kernel';
import { loadEngine } from '@regimen/backtester';
import { eventsBlob, labelsBlob, marketBlob, readEvents, readLabels, readMarket, readSeries, seriesBlob } from './blobs.js';
import { decodeReplayRows, decodeTrialRows, encodeReplayRows, encodeTrialRows } from './rows.js';

const nyse = loadMarketData('packages/data/embedded/nyse_composite_daily_close.csv');
const n = 3000;
const bars = { time: nyse.bars.time.subarray(0, n), open: nyse.bars.close.subarray(0, n), high: nyse.bars.close.subarray(0, n), low: nyse.bars.close.subarray(0, n), close: nyse.bars.close.subarray(0, n) };
bars.open = bars.high = bars.low = bars.close;
const labels = Uint8Array.from({ length: n }, (_, t) => (t < 20 ? NO_REGIME : t % 7 < 3 ? 0 : t % 7 < 5 ? 1 : 2));
const tracks: RegimeTrack[] = [
  { classifier: 'hmm', names: ['bull', 'neutral', 'bear'], labels },
  { classifier: 'pattern', names: ['breakout', 'range'], labels: labels.map((l) => (l === NO_REGIME ? l : l % 2)) },
];
const trials: TrialSpec[] = [5, 10, 20, 40].flatMap((lookback) => [
  { trial_id: `m-${lookback}`, strategy: 'a', type: 'momentum', params: { lookback, threshold: 0.01, side: 'long_short' } },
  { trial_id: `r-${lookback}`, strategy: 'b', type: 'mean_reversion', params: { lookback, threshold: 0.02, side: 'long_only' } },
]);
const batch = { bars, regimes: tracks, window: { start: 0, end: n }, trials, costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252, captureSignals: true };

describe('what goes over the wire', () => {
  it('brings trial rows back as the same JSON, signals bit for bit, for both engines', async () => {
    for (const engine of [referenceEngine, await loadEngine('wasm')]) {
      const rows = engine.runTrials(batch);
      const back = decodeTrialRows(encodeTrialRows(rows, tracks), { trialIds: trials.map((t) => t.trial_id), tracks, signals: true });
      // JSON text, not toEqual: key order decides the bytes of performance files
      expect(JSON.stringify(back)).toBe(JSON.stringify(rows));
      back.forEach((r, i) => {
        expect(r.signals!.bar).toEqual(rows[i]!.signals!.bar);
        expect(Buffer.from(r.signals!.position.buffer).equals(Buffer.from(rows[i]!.signals!.position.slice().buffer))).toBe(true);
      });
    }
  });

  it('keeps -0 and the bits of every number', () => {
    const rows = referenceEngine.runTrials({ ...batch, trials: trials.slice(0, 1), captureSignals: false });
    rows[0]!.metrics.total_return = -0;
    const back = decodeTrialRows(encodeTrialRows(rows, tracks), { trialIds: ['m-5'], tracks, signals: false });
    expect(Object.is(back[0]!.metrics.total_return, -0)).toBe(true);
    expect(back[0]!.signals).toBeUndefined();
  });

  it('refuses rows of other trials, another regime layout or a broken number', () => {
    const rows = referenceEngine.runTrials({ ...batch, trials: trials.slice(0, 2), captureSignals: false });
    const bytes = encodeTrialRows(rows, tracks);
    expect(() => decodeTrialRows(bytes, { trialIds: ['m-5', 'x'], tracks, signals: false })).toThrow(/row 1 is trial r-5, the batch asked for x/);
    expect(() => decodeTrialRows(bytes, { trialIds: ['m-5'], tracks, signals: false })).toThrow(/2 rows for a batch of 1/);
    expect(() => decodeTrialRows(bytes, { trialIds: ['m-5', 'r-5'], tracks: tracks.slice(0, 1), signals: false })).toThrow(/other regimes/);
    expect(() => decodeTrialRows(bytes, { trialIds: ['m-5', 'r-5'], tracks, signals: true })).toThrow(/signal_bar is missing/);
    rows[1]!.metrics.max_drawdown = -1;
    const err = (() => {
      try {
        decodeTrialRows(encodeTrialRows(rows, tracks), { trialIds: ['m-5', 'r-5'], tracks, signals: false });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ field: 'trial rows.max_drawdown', message: expect.stringMatching(/row 1: Too small/) });
    expect(() => decodeTrialRows(new Uint8Array([1, 2, 3, 4]), { trialIds: [], tracks, signals: false })).toThrow(/not a valid Arrow IPC batch/);
  });

  it('brings a walk-forward batch\'s rows back with every fold\'s evaluation, and refuses another fold layout', () => {
    // fold 1's track labels only the bars its classifier may see (shorter than the data)
    const short: RegimeTrack = { classifier: 'hmm', names: ['up', 'down'], labels: labels.slice(0, 2500).map((l) => (l === NO_REGIME ? l : l % 2)) };
    const folds = [{ window: { start: 100, end: 1500 }, regimes: tracks }, { window: { start: 1000, end: 2500 }, regimes: [short] }];
    const rows = referenceEngine.runTrials({ ...batch, regimes: [], window: { start: 100, end: 2500 }, folds });
    const layouts = folds.map((f) => f.regimes);
    const back = decodeTrialRows(encodeTrialRows(rows, tracks, layouts), { trialIds: trials.map((t) => t.trial_id), tracks, signals: true, folds: layouts });
    expect(back[0]!.folds).toHaveLength(2);
    expect(JSON.stringify(back)).toBe(JSON.stringify(rows));
    const bytes = encodeTrialRows(rows, tracks, layouts);
    expect(() => decodeTrialRows(bytes, { trialIds: trials.map((t) => t.trial_id), tracks, signals: true })).toThrow(/other regimes/);
    expect(() => decodeTrialRows(bytes, { trialIds: trials.map((t) => t.trial_id), tracks, signals: true, folds: [tracks, tracks] })).toThrow(/other regimes/);
  });

  it('brings replay rows back as the same JSON', () => {
    const rows = referenceEngine.runTrials(batch);
    const legs = [{ strategy: 'a', byRegime: [rows[0]!.signals!, rows[2]!.signals!, null] }, { strategy: 'b', byRegime: [rows[1]!.signals!, rows[1]!.signals!, rows[3]!.signals!] }];
    const weightSets = [0, 0.25, 0.5, 1 / 3, 1].map((w) => [0, 1, 2].map(() => Float64Array.from([w, 1 - w])));
    const replay = referenceEngine.replay({ close: bars.close, window: { start: 0, end: n }, regime: tracks[0]!, breakdown: tracks, legs, weightSets, costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252 });
    const back = decodeReplayRows(encodeReplayRows(replay, tracks), { count: weightSets.length, tracks });
    expect(JSON.stringify(back)).toBe(JSON.stringify(replay));
  });

  it('publishes market data, labels, series and events as Arrow and reads them back exactly', () => {
    const market = readMarket(marketBlob(bars));
    expect(market.close).toEqual(bars.close);
    expect(market.time).toEqual(bars.time);
    // close-only data: open/high/low travel once, as close itself
    expect(market.open).toBe(market.close);
    const ohlc = { ...bars, open: bars.close.map((x) => x * 0.99), volume: bars.close.map(() => 7) };
    const back = readMarket(marketBlob(ohlc));
    expect(back.open).toEqual(ohlc.open);
    expect(back.high).toBe(back.close);
    expect(back.volume).toEqual(ohlc.volume);
    expect(marketBlob(ohlc).byteLength).toBeGreaterThan(marketBlob(bars).byteLength);

    expect(readLabels(labelsBlob(tracks[0]!))).toEqual(tracks[0]);
    const bad = { ...tracks[1]!, labels: Uint8Array.from([0, 1, 2]) };
    expect(() => readLabels(labelsBlob(bad))).toThrow(/bar 2 has label 2, there are 2 regimes/);
    expect(readSeries(seriesBlob(bars.close))).toEqual(bars.close);
    const ev = { bar: Int32Array.from([3, 9]), position: Float64Array.from([1, -0.5]) };
    expect(readEvents(eventsBlob(ev))).toEqual(ev);
    expect(() => readSeries(eventsBlob(ev))).toThrow(/series from Redis/);
  });
});
