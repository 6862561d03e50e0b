import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Piscina } from 'piscina';
import { NO_REGIME, isRegimenError, type TrialSpec } from '@regimen/core';
import { loadMarketData } from '@regimen/data';
import { marketBytesCopied, referenceEngine, shareMarket } from '@regimen/kernel';
import { formBatches, runWithRetry } from './batches.js';
import { localExecutor, type Executor, type TrialJob } from './executor.js';
import type { TaskProbe, TrialTask, TrialTaskResult } from './worker.js';

// the pool loads the built worker (dist/), which `npm ci` makes; reported as skipped if never built
const built = existsSync(new URL('../dist/worker.js', import.meta.url));

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
    const r = await runWithRetry([], async () => {
      if (++calls === 1) throw new Error('worker exited');
      return 42;
    });
    expect([r, calls]).toEqual([42, 2]);
  });

  it('rejects after the second failure, naming the trials and the cause', async () => {
    let calls = 0;
    const trials = grid().slice(0, 2);
    const p = runWithRetry(trials, async () => {
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
