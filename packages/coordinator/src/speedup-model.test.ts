import { describe, expect, it } from 'vitest';
import { distributedBatchSize, formBatches } from '@regimen/backtester';
import type { TrialSpec } from '@regimen/core';
import { phase1Batches, predictSpeedup, type SpeedupCosts } from './speedup-model.js';

const none: SpeedupCosts = {
  trial_seconds: 0, worker_batch_seconds: 0, redis_batch_seconds: 0, coordinator_batch_seconds: 0, coordinator_trial_seconds: 0, coordinator_file_seconds: 0,
  coordinator_series_seconds: 0, coordinator_analysis_seconds: 0, worker_analysis_seconds: 0,
};

describe('the speedup model', () => {
  it('counts the batches phase 1 forms: its chunks of max(64·W·4, 256) trials, each cut by formBatches', () => {
    const trials = (n: number): TrialSpec[] => Array.from({ length: n }, (_, i) => ({ trial_id: `t${i}`, strategy: 's', type: 'momentum', params: { lookback: i } }));
    for (const n of [1, 75, 300, 600, 5000, 10_000]) {
      for (const w of [1, 2, 4, 8, 32, 128]) {
        const chunk = Math.max(64 * w * 4, 256);
        let want = 0;
        for (let s = 0; s < n; s += chunk) want += formBatches(trials(n).slice(s, s + chunk), 64, w).length;
        expect(phase1Batches(n, w), `${n} trials on ${w} workers`).toBe(want);
      }
    }
  });

  it('gives each bound by its formula (a case computed by hand)', () => {
    // 2 series × 2 strategies × 300 trials, 1 fold, 2 workers: chunk 512 → batches of min(64, ⌈300/4⌉) = 64 → 5 per strategy, B = 20
    const costs: SpeedupCosts = { ...none, trial_seconds: 0.01, worker_batch_seconds: 0.02, coordinator_batch_seconds: 0.005, coordinator_file_seconds: 0.001, coordinator_series_seconds: 0.1, coordinator_analysis_seconds: 2 };
    const p = predictSpeedup({ series: 2, strategy_trials: [300, 300], folds: 1 }, costs, 2);
    expect(p.batches).toBe(20);
    // C = 20·0.005 + 1200·2·0.001 + 2·0.1 + 2·1·2 = 0.1 + 2.4 + 0.2 + 4 = 6.7
    expect(p.coordinator_seconds).toBeCloseTo(6.7, 12);
    // Wk = 1200·0.01 + 20·0.02 = 12.4; workers' bound ⌈20/2⌉ × (60·0.01 + 0.02) + 1·2 = 10 × 0.62 + 2 = 8.2
    expect(p.worker_seconds).toBeCloseTo(12.4, 12);
    expect(p.bounds.workers).toBeCloseTo(8.2, 12);
    expect(p.bound).toBe('workers');
    expect(p.seconds).toBeCloseTo(8.2, 12);
    // T(1): chunks of 256 + 44 → batches 4 × 64 and 2 × 22 per strategy, B = 24; ⌈24/1⌉ × (50·0.01 + 0.02) + 2 = 14.48
    expect(predictSpeedup({ series: 2, strategy_trials: [300, 300], folds: 1 }, costs, 1).seconds).toBeCloseTo(14.48, 12);
    expect(p.speedup).toBeCloseTo(14.48 / 8.2, 12);
    expect(p.limit).toBeCloseTo(14.48 / 6.7, 12);
    // on 2 shared cores the work itself, (6.7 + 12.4) / 2 = 9.55, is the bound
    const shared = predictSpeedup({ series: 2, strategy_trials: [300, 300], folds: 1 }, costs, 2, { cores: 2 });
    expect(shared.bound).toBe('cores');
    expect(shared.seconds).toBeCloseTo(9.55, 12);
    // the files (2.4 s) on 2 threads of their own: off the main thread, C = 4.3
    const threads = predictSpeedup({ series: 2, strategy_trials: [300, 300], folds: 1 }, costs, 2, { file_threads: 2 });
    expect(threads.coordinator_seconds).toBeCloseTo(4.3, 12);
    expect(threads.bounds.files).toBeCloseTo(1.2, 12);
    expect(threads.limit).toBeCloseTo(14.48 / 4.3, 12);
  });

  it('is linear without serial work and overheads, and never passes Amdahl\'s limit with them', () => {
    const work = { series: 500, strategy_trials: [5000, 5000], folds: 10 };
    const kernelOnly = { ...none, trial_seconds: 0.001 };
    // linear up to the last round's granularity (⌈B/W⌉ rounds of the mean batch)
    for (const w of [8, 32, 128]) expect(Math.abs(predictSpeedup(work, kernelOnly, w).speedup - w) / w).toBeLessThan(2e-3);
    const serial = { ...kernelOnly, worker_batch_seconds: 0.01, coordinator_batch_seconds: 0.002, coordinator_file_seconds: 0.00001 };
    for (const w of [1, 2, 8, 32, 128, 1024]) {
      const p = predictSpeedup(work, serial, w);
      expect(p.speedup).toBeLessThanOrEqual(p.limit + 1e-9);
      expect(p.speedup).toBeLessThanOrEqual(w + 1e-9);
    }
    expect(predictSpeedup(work, serial, 1024).bound).toBe('coordinator');
  });

  it('cuts batches as the Redis executor does: short series in larger batches, the workers shared by the jobs in flight', () => {
    const trials = (n: number): TrialSpec[] => Array.from({ length: n }, (_, i) => ({ trial_id: `t${i}`, strategy: 's', type: 'momentum', params: { lookback: i } }));
    for (const [n, w, bars, folds, inFlight] of [[300, 2, 1770, 1, 2], [300, 4, 1770, 1, 1], [5000, 32, 1770, 10, 32], [600, 2, 1_000_000, 1, 2], [2500, 8, 20_000, 3, 3]] as const) {
      const chunk = Math.max(64 * w * 4, 256);
      let want = 0;
      for (let s = 0; s < n; s += chunk) want += formBatches(trials(n).slice(s, s + chunk), distributedBatchSize(64, bars, folds), Math.ceil(w / inFlight)).length;
      expect(phase1Batches(n, w, 64, { bars, folds, inFlight }), `${n} trials, ${w} workers, ${bars} bars × ${folds} folds, ${inFlight} in flight`).toBe(want);
    }
    // a daily series' 300 trials with 2 series in flight on 2 workers: 2 batches of 150, not 5 of ≤ 64
    expect(phase1Batches(300, 2, 64, { bars: 1770, inFlight: 2 })).toBe(2);
  });

  it('runs no more batches at once than there are cores, and counts Redis\'s CPU among the work on them', () => {
    const work = { series: 4, strategy_trials: [300, 300], folds: 1 };
    const costs: SpeedupCosts = { ...none, trial_seconds: 0.001, worker_batch_seconds: 0.01, redis_batch_seconds: 0.004 };
    const two = predictSpeedup(work, costs, 2, { cores: 2 });
    const four = predictSpeedup(work, costs, 4, { cores: 2 });
    // 4 worker processes on 2 cores are 2 at a time: ⌈B/2⌉ rounds, not ⌈B/4⌉
    expect(four.bounds.workers).toBeCloseTo(Math.ceil(four.batches / 2) * (four.batch_trials * 0.001 + 0.01), 12);
    expect(four.seconds).toBeGreaterThanOrEqual(two.seconds * (four.batches / two.batches) * 0.99);
    expect(four.redis_seconds).toBeCloseTo(four.batches * 0.004, 12);
    expect(four.bounds.cores).toBeCloseTo((four.worker_seconds + four.redis_seconds) / 2, 12);
  });
});
