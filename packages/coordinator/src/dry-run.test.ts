import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile, TrialsFileSchema, workspacePaths } from '@regimen/core';
import { availableParallelism } from 'node:os';
import { dryRun, fitTimeout } from './dry-run.js';
import { MEASURED_COSTS, predictSpeedup } from './speedup-model.js';
import { runWorkflow } from './run.js';

/** A 2,000 × 5,000 = 10⁷-point space with `fast < slow` (7,999,000 admissible points). */
function bigSpace(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-big-'));
  const file = join(dir, 'big.yaml');
  writeFileSync(
    file,
    `workflow:
  seed: 9
  strategies:
    trend:
      type: sma_crossover
      parameter_space:
        fast: { min: 1, max: 2000, step: 1 }
        slow: { min: 1, max: 5000, step: 1 }
      constraints: ["fast < slow"]
  phases:
    - name: parameter_discovery
      config: { algorithm: grid${extra} }
`,
  );
  return file;
}

describe('search spaces too big to enumerate', () => {
  it('--dry-run counts a 10^7-point constrained space from a sample, quickly', async () => {
    const t0 = performance.now();
    const r = await dryRun(bigSpace(), { workers: 2 });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.strategies[0]!.grid_points).toBe(10_000_000);
    expect(r.strategies[0]!.exact).toBe(false);
    // exact admissible count: Σ_{fast=1}^{2000} (5000 − fast) = 7,999,000
    expect(Math.abs(r.trials - 7_999_000) / 7_999_000).toBeLessThan(0.01);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.bytes).toBeGreaterThan(r.trials * 1000);
    expect(seconds).toBeLessThan(30); // generous: a sanity bound, the benchmark numbers are elsewhere
  });

  it('--executor URL adds the speedup model\'s estimate on --workers remote workers (URL shown without its password)', async () => {
    const executors = { check: () => {}, create: () => Promise.reject(new Error('a dry run opens no executor')) };
    const r = await dryRun(bigSpace(', algorithm_options: { sample: 5000 }'), { workers: 32, executor: 'redis://ops:secret@redis.lan:6379', executors });
    const d = r.distributed!;
    expect(d.executor).toBe('redis://ops:***@redis.lan:6379');
    expect(d.trial_seconds).toBeCloseTo(r.strategies[0]!.seconds_per_trial, 12);
    const same = predictSpeedup({ series: 1, strategy_trials: [5000], folds: 1, bars: r.train_bars }, { ...MEASURED_COSTS.costs, trial_seconds: d.trial_seconds }, 32, { file_threads: availableParallelism() });
    expect(d.prediction).toEqual(same);
    // 5,000 trials on 32 workers: chunks of 8,192, so one call; batches of ≥ ⌈10⁶ / train bars⌉ trials
    // (the Redis executor's least bar-trials), at most ⌈5000 / 64⌉ = 79 (two per worker): 64 of 79
    expect(Math.ceil(1e6 / r.train_bars)).toBeGreaterThanOrEqual(79);
    expect(d.prediction.batches).toBe(64);
    expect(d.one_worker_seconds).toBeGreaterThanOrEqual(d.prediction.seconds);
    expect((await dryRun(bigSpace(', algorithm_options: { sample: 5000 }'), { workers: 32 })).distributed).toBeUndefined();
  });

  it('runs a seeded random sample of it as phase 1', async () => {
    const config = bigSpace(', algorithm_options: { sample: 12 }');
    const out = join(mkdtempSync(join(tmpdir(), 'regimen-big-ws-')), 'ws');
    await runWorkflow(config, { outDir: out, workers: 0 });
    const { trials } = readJsonFile(workspacePaths(out).trials, TrialsFileSchema);
    expect(trials).toHaveLength(12);
    for (const t of trials) expect(Number(t.params.fast)).toBeLessThan(Number(t.params.slow));
    expect(new Set(trials.map((t) => t.trial_id)).size).toBe(12);
  });

  it('a timeout gives the strategies the same count until one runs out (rounds of equal size)', () => {
    const rows = [
      { trials: 50, exact: true, seconds_per_trial: 0.01 },
      { trials: 1000, exact: true, seconds_per_trial: 0.01 },
      { trials: Number.POSITIVE_INFINITY, exact: false, seconds_per_trial: 0.02 },
    ];
    // 50 each costs 50 × 0.04 = 2 s; the other 8 s at 0.03 s a trial raise both to 50 + 266.7
    fitTimeout(rows, 10);
    expect(rows.map((r) => r.trials)).toEqual([50, 317, 317]);
    expect(rows.map((r) => r.exact)).toEqual([true, false, false]);
  });
});

