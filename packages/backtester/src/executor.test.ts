import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { Piscina } from 'piscina';
import { NO_REGIME, isRegimenError, workspacePaths, type TrialSpec } from '@regimen/core';
import { loadMarketData } from '@regimen/data';
import { marketBytesCopied, referenceEngine, shareMarket } from '@regimen/kernel';
import { batchName, formBatches, runWithRetry } from './batches.js';
import { localExecutor, type Executor, type TrialJob } from './executor.js';
import { runFullBacktest } from './full.js';
import { buildLegs, replayBatch } from './replay.js';
import type { TaskProbe, TrialTask, TrialTaskResult } from './worker.js';

// the pool loads the built worker (dist/), which `npm ci` makes; skipped if never built, a failure under CI=true
const built = !requireOrSkip('the built backtester', builtMissing(new URL('../dist/worker.js', import.meta.url)));

const nyse = loadMarketData(fileURLToPath(new URL('../../data/embedded/nyse_composite_daily_close.csv', import.meta.url)));
const len = nyse.bars.close.length;
const labels = new Uint8Array(len).fill(NO_REGIME);
for (let t = 50; t < len; t++) labels[t] = nyse.bars.close[t]! > nyse.bars.close[t - 50]! ? 0 : 1;

function job(trials: TrialSpec[]): TrialJob {
  return {
    bars: nyse.bars, window: { start: 0, end: 6000 }, trials, regimes: [{ classifier: 'c', names: ['up', 'down'], labels }],
    costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252, captureSignals: true, batchSize: 7,
  };
}

function grid(): TrialSpec[] {
  const out: TrialSpec[] = [];
  for (const lookback of [5, 10, 20, 40, 80]) {
    for (const threshold of [0, 0.01, 0.03]) {
      out.push({ trial_id: `m-${lookback}-${threshold}`, strategy: 'a', type: 'momentum', params: { lookback, threshold } });
      out.push({ trial_id: `r-${lookback}-${threshold}`, strategy: 'b', type: 'mean_reversion', params: { lookback, threshold, side: 'long_short' } });
    }
  }
  return out;
}

describe('runWithRetry', () => {
  it('runs a failed batch once more and returns its second result', async () => {
    let calls = 0;
    const r = await runWithRetry(batchName([]), async () => {
      if (++calls === 1) throw new Error('worker exited');
      return 42;
    });
    expect([r, calls]).toEqual([42, 2]);
  });

  it('rejects after the second failure, naming the trials and the cause', async () => {
    let calls = 0;
    const trials = grid().slice(0, 2);
    const p = runWithRetry(batchName(trials), async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    await expect(p).rejects.toThrow(`batch of trials ${trials[0]!.trial_id}, ${trials[1]!.trial_id} failed twice: boom 2`);
    expect(calls).toBe(2);
  });
});

describe('local executor', () => {
  const open: Executor[] = [];
  afterAll(() => Promise.all(open.map((e) => e.close())));

  it.skipIf(!built)('gives the same rows with 2 wasm workers as inline js, in trial order, batch by batch', async () => {
    const inline = localExecutor({ workers: 0, engine: 'js' });
    const pool = localExecutor({ workers: 2, engine: 'wasm' });
    open.push(pool);
    const want = await inline.run(job(grid()));
    const seen: number[] = [];
    const got = await pool.run(job(grid()), ({ indices }) => void seen.push(...indices));
    expect(got).toEqual(want);
    expect(seen.sort((a, b) => a - b)).toEqual(grid().map((_, i) => i));
    expect(want.some((r) => r.metrics.trades > 20)).toBe(true);
    // a second run over other data in the same workers
    const shorter = { ...job(grid().slice(0, 9)), window: { start: 100, end: 3000 } };
    expect(await pool.run(shorter)).toEqual(await inline.run(shorter));
  });

  it.skipIf(!built)('rejects a run whose batch throws twice, naming its trials, with the cause code kept', async () => {
    const pool = localExecutor({ workers: 2, engine: 'wasm' });
    open.push(pool);
    const trials = grid().slice(0, 4);
    trials.push({ trial_id: 'broken', strategy: 'a', type: 'momentum', params: { lookback: 0 } });
    const committed: number[] = [];
    const err = await pool.run({ ...job(trials), batchSize: 64 }, ({ indices }) => void committed.push(...indices)).catch((e: unknown) => e);
    expect(isRegimenError(err)).toBe(true);
    expect(String((err as Error).message)).toMatch(/batch of trials .*broken.* failed twice: momentum: Too small/);
    expect((err as { code: string; field: string }).code).toBe('config');
    expect((err as { field: string }).field).toBe('params.lookback');
  });

  // the folds of a walk-forward: each its window and tracks, one signals file per trial for all
  // (each fold's own labels: the test track with every (7 + k)-th bar's regime flipped)
  const foldTracks = [0, 1].map((k) => ({ classifier: 'c', names: ['up', 'down'], labels: labels.map((l, t) => (l !== NO_REGIME && t % (7 + k) === 0 ? 1 - l : l)) }));
  const folds = [{ window: { start: 300, end: 3000 }, regimes: [foldTracks[0]!] }, { window: { start: 2000, end: 6000 }, regimes: [foldTracks[1]!] }];

  it.skipIf(!built).each([['one window', undefined], ['two folds', folds]] as const)('has its workers write the trial files, byte for byte the files written on this thread (%s)', async (_, withFolds) => {
    const dirs = [mkdtempSync(join(tmpdir(), 'regimen-files-')), mkdtempSync(join(tmpdir(), 'regimen-files-'))];
    try {
      const pool = localExecutor({ workers: 2, engine: 'wasm' });
      open.push(pool);
      const trials = grid();
      const j: TrialJob = { ...job(trials), ...(withFolds ? { window: { start: 300, end: 6000 }, folds: [...withFolds] } : {}) };
      const outputs = (d: string) => ({ workspace: d, split: 'train' as const, signalFormat: 'arrow' as const, ...(withFolds ? { folds: [join(d, 'fold_0'), join(d, 'fold_1')] } : {}) });
      const written: boolean[] = [];
      const inPool = await pool.run({ ...j, outputs: outputs(dirs[0]!) }, (d) => void written.push(d.written));
      expect(written.every(Boolean)).toBe(true);
      expect(inPool.every((r) => r.signals === undefined)).toBe(true);
      // the same trials, files written by runFullBacktest on this thread from returned signals
      const inline = localExecutor({ workers: 0, engine: 'js' });
      const noFiles: Executor = { ...inline, run: (x, on) => inline.run({ ...x, outputs: undefined }, on) };
      const seconds: Array<{ backtest: number; files: number }> = [];
      const perfs = await runFullBacktest(j, noFiles, { ...outputs(dirs[1]!), onBatchSeconds: (s) => void seconds.push(s) });
      // the files written here count as file time, beside the engine's time
      expect(seconds.length).toBeGreaterThan(0);
      expect(seconds.every((s) => s.backtest > 0 && s.files > 0)).toBe(true);
      expect(perfs.map((p) => p.map((f) => f.trial_id))).toEqual(trials.map((t) => (withFolds ? [t.trial_id, t.trial_id] : [t.trial_id])));
      const places = (d: string) => {
        const top = workspacePaths(d);
        const perf = withFolds ? [workspacePaths(join(d, 'fold_0')).performance, workspacePaths(join(d, 'fold_1')).performance] : [top.performance];
        return [top.signals, ...perf];
      };
      const [a, b] = dirs.map(places);
      a!.forEach((dir, i) => {
        const names = readdirSync(dir).sort();
        expect(names).toEqual(readdirSync(b![i]!).sort());
        expect(names.length).toBe(trials.length);
        for (const n of names) expect(readFileSync(join(dir, n)).equals(readFileSync(join(b![i]!, n))), `${dir}/${n}`).toBe(true);
      });
      if (withFolds) {
        // each fold's file is that fold's evaluation, pointing at the shared signals
        const f1 = JSON.parse(readFileSync(join(workspacePaths(join(dirs[0]!, 'fold_1')).performance, `trial_${trials[3]!.trial_id}.json`), 'utf8'));
        const alone = await inline.run({ ...job([trials[3]!]), window: folds[1]!.window, regimes: folds[1]!.regimes });
        expect({ metrics: f1.metrics, regimes: f1.regimes, bars: f1.bars }).toEqual({ metrics: alone[0]!.metrics, regimes: alone[0]!.regimes, bars: 4000 });
        expect(f1.signals_path).toBe(`../signals/trial_${trials[3]!.trial_id}.arrow`);
      }
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it.skipIf(!built)('spreads replayed weight sets over the workers, with the rows of one engine replay', async () => {
    const pool = localExecutor({ workers: 2, engine: 'wasm' });
    open.push(pool);
    const trials = grid();
    const rows = await localExecutor({ workers: 0, engine: 'wasm' }).run(job(trials));
    const regime = job([]).regimes[0]!;
    const strategies = ['a', 'b'];
    const pick = (s: string, k: number) => trials.filter((t) => t.strategy === s)[k * 3]!;
    const winners = Object.fromEntries(regime.names.map((name, k) => [name, Object.fromEntries(strategies.map((s) => [s, { params: pick(s, k).params, trial_id: pick(s, k).trial_id, metric: 'sharpe', score: 0 }]))]));
    const events = new Map(trials.map((t, i) => [t.trial_id, rows[i]!.signals!]));
    const legs = buildLegs(regime, strategies, winners, (id) => events.get(id)!);
    const input = { close: nyse.bars.close, window: { start: 0, end: 6000 }, regime, breakdown: [regime], strategies, winners, costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252 };
    // 1,023 sets: four per kernel pass leaves a ragged last pass, and the two chunks are uneven
    const sets = Array.from({ length: 1023 }, (_, i) => ({ a: (i % 11) / 10, b: 1 - (i % 11) / 10 }));
    const want = referenceEngine.replay(replayBatch(input, legs, sets));
    const got = await pool.replay(replayBatch(input, legs, sets));
    expect(got).toEqual(want);
    // the second call over the same legs reuses the shared data; other sets, other rows
    const again = await pool.replay(replayBatch(input, legs, sets.slice(0, 700).reverse()));
    expect(again).toEqual(want.slice(0, 700).reverse());
  });

  it('does the same inline', async () => {
    const inline = localExecutor({ workers: 0, engine: 'wasm' });
    const err = await inline.run(job([{ trial_id: 'bad-rsi', strategy: 'a', type: 'rsi', params: { lower: 80, upper: 20 } }])).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/batch of trials bad-rsi failed twice: .*lower must be <= upper/);
  });
});

describe('wasm workers over one shared market memory', () => {
  it.skipIf(!built)('read market data in place (0 bytes copied per worker), scratch in the same memory, rows equal the reference', async () => {
    const j = job(grid());
    const market = shareMarket(j.bars, j.regimes);
    const heap = () => new Uint32Array(market.memory.buffer, market.header, 1)[0]!;
    expect(heap()).toBe(market.end);
    const copiedHere = marketBytesCopied();
    const pool = new Piscina({ filename: fileURLToPath(new URL('../dist/worker.js', import.meta.url)), minThreads: 2, maxThreads: 2, execArgv: [] });
    try {
      const batches = formBatches(j.trials, 3, 2);
      const results = await Promise.all(batches.map(async (b) => {
        const task: TrialTask = { window: j.window, trials: b.trials, costs: j.costs, barsPerYear: j.barsPerYear, captureSignals: true,
          engine: 'wasm', dataKey: 'shared-test', market, probe: true };
        const r: TrialTaskResult = await pool.run(task);
        if ('failed' in r) throw new Error(r.failed.message);
        return r;
      }));
      const probes = results.map((r) => r.probe as TaskProbe);
      expect(new Set(probes.map((p) => p.threadId)).size).toBe(2);
      expect(probes.every((p) => p.marketBytesCopied === 0)).toBe(true);
      // every worker's scratch was claimed from this memory's bump pointer, as seen from this thread
      expect(heap()).toBeGreaterThanOrEqual(market.end + 2 * (16 << 20));
      expect(market.memory.buffer.byteLength).toBeGreaterThanOrEqual(heap());
      const want = referenceEngine.runTrials(j);
      batches.forEach((b, k) => b.indices.forEach((idx, i) => expect(results[k]!.rows[i]).toEqual(want[idx])));
      expect(marketBytesCopied()).toBe(copiedHere);
    } finally {
      await pool.destroy();
    }
  });
});
