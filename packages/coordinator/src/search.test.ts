import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointSchema, readJsonFile, TrialsFileSchema, workspacePaths } from '@regimen/core';
import { dryRun } from './dry-run.js';
import { runWorkflow } from './run.js';
import { smallWorkflow } from './test-fixtures.js';

// the pool loads the built worker (dist/), which `npm ci` makes
const built = existsSync(new URL('../../backtester/dist/worker.js', import.meta.url));

// 8 PBO blocks (70 CSCV splits): at the default 16 the PBO of a few hundred trials was 9 of a run's 10 CPU-seconds
const phases = (p1: string) => `    - name: parameter_discovery
      config: ${p1}
    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10, pbo_blocks: 8 }`;

/** trials.json, the analysis files and the names of every trial file: what must not depend on the worker count */
function workspaceFacts(dir: string): Record<string, string> {
  const p = workspacePaths(dir);
  const out: Record<string, string> = { trials: readFileSync(p.trials, 'utf8') };
  for (const f of readdirSync(p.analysis)) out[`analysis/${f}`] = readFileSync(join(p.analysis, f), 'utf8');
  out.performance = readdirSync(p.performance).filter((f) => f.startsWith('trial_')).sort().join(',');
  out.signals = readdirSync(p.signals).filter((f) => f.startsWith('trial_')).sort().join(',');
  return out;
}

describe('budgets and random search in phase 1', () => {
  it.skipIf(!built)('random (sobol) with max_trials and patience: the same trials, files and analysis with 0 and 2 workers; the stop is recorded', async () => {
    const { dir, config } = smallWorkflow({
      bars: 700,
      // two strategies: rounds interleave them in chunks that grow with the workers
      strategies: `    trend: { type: momentum, parameter_space: { lookback: { min: 5, max: 200, log: true }, threshold: { min: 0, max: 0.05, type: float } } }
    swing: { type: mean_reversion, parameter_space: { lookback: { min: 5, max: 100, step: 1 }, threshold: { min: 0.001, max: 0.1, log: true } } }`,
      // batch 40: rounds of 256 trials per strategy with no workers, 320 with two — the strategies
      // interleave differently, and a patience stop falls inside the rounds differently
      phases: phases('{ algorithm: random, algorithm_options: { sampler: sobol }, max_trials: 300, patience: 120, batch_size: 40 }'),
    });
    await runWorkflow(config, { outDir: join(dir, 'a'), workers: 0 });
    await runWorkflow(config, { outDir: join(dir, 'b'), workers: 2 });
    const a = workspaceFacts(join(dir, 'a'));
    expect(workspaceFacts(join(dir, 'b'))).toEqual(a);
    const { trials } = readJsonFile(workspacePaths(join(dir, 'a')).trials, TrialsFileSchema);
    const cp = readJsonFile(workspacePaths(join(dir, 'a')).checkpoint('parameter_discovery'), CheckpointSchema);
    const outcome = cp.search!.trend!;
    expect(outcome.algorithm).toBe('random');
    expect(['patience', 'max_trials']).toContain(outcome.stopped_by);
    expect(outcome.reproducible).toBe(true);
    expect(outcome.trials + cp.search!.swing!.trials).toBe(trials.length);
    expect(outcome.trials).toBeLessThanOrEqual(300);
    expect(a.performance!.split(',')).toHaveLength(trials.length);
    for (const t of trials.filter((x) => x.strategy === 'trend')) {
      expect(Number.isInteger(t.params.lookback)).toBe(true);
      expect(t.params.lookback as number).toBeGreaterThanOrEqual(5);
      expect(t.params.threshold as number).toBeLessThanOrEqual(0.05);
    }
  });

  it.skipIf(!built)('a patience stop resumes to the same workspace after an interruption past it, with another worker count', async () => {
    const { dir, config } = smallWorkflow({
      bars: 700,
      strategies: '    trend: { type: momentum, parameter_space: { lookback: { min: 5, max: 200, log: true }, threshold: { min: 0, max: 0.05, type: float } } }',
      phases: phases('{ algorithm: random, max_trials: 400, patience: 25, batch_size: 40 }'),
    });
    await runWorkflow(config, { outDir: join(dir, 'a'), workers: 0 });
    const kept = readJsonFile(workspacePaths(join(dir, 'a')).trials, TrialsFileSchema).trials.length;
    // stop the two-worker run after more trials were written than the search keeps
    const stop = new AbortController();
    const interrupted = runWorkflow(config, {
      outDir: join(dir, 'b'), workers: 2, signal: stop.signal,
      onEvent: (e) => e.type === 'progress' && e.done >= kept + 20 && stop.abort(),
    });
    await expect(interrupted).rejects.toThrow(/interrupted/);
    expect(readdirSync(workspacePaths(join(dir, 'b')).performance).filter((f) => f.startsWith('trial_')).length).toBeGreaterThan(kept);
    await runWorkflow(config, { outDir: join(dir, 'b'), workers: 0, resume: true });
    expect(workspaceFacts(join(dir, 'b'))).toEqual(workspaceFacts(join(dir, 'a')));
  });

  it.skipIf(!built)('phase 3 weight searches run under their own budget, recorded per classifier × regime', async () => {
    const { dir, config } = smallWorkflow({ bars: 700, ensemble: '{ algorithm: genetic, objective: sharpe, max_trials: 12, algorithm_options: { population: 8, generations: 10 } }' });
    await runWorkflow(config, { outDir: join(dir, 'ws'), workers: 0 });
    const cp = readJsonFile(workspacePaths(join(dir, 'ws')).checkpoint('ensemble_optimization'), CheckpointSchema);
    const outcomes = Object.entries(cp.search!);
    expect(outcomes.length).toBeGreaterThanOrEqual(4);
    for (const [key, o] of outcomes) {
      expect(key).toMatch(/^(hmm|pattern_based)\//);
      expect(o).toMatchObject({ algorithm: 'genetic', trials: 12, stopped_by: 'max_trials', reproducible: true });
    }
  });

  it.skipIf(!built)('side in parameter_space is searched: --dry-run and the run count the same trials, both sides run', async () => {
    const { dir, config } = smallWorkflow({
      strategies: '    trend: { type: momentum, parameter_space: { lookback: [10, 20, 30], threshold: [0.005, 0.02], side: [long_only, long_short] } }',
      phases: phases('{ algorithm: grid }'),
    });
    const plan = await dryRun(config, { outDir: join(dir, 'ws'), workers: 0 });
    await runWorkflow(config, { outDir: join(dir, 'ws'), workers: 0 });
    const { trials } = readJsonFile(workspacePaths(join(dir, 'ws')).trials, TrialsFileSchema);
    expect(plan.trials).toBe(12);
    expect(trials).toHaveLength(12);
    expect(trials.filter((t) => t.params.side === 'long_short')).toHaveLength(6);
    expect(trials.filter((t) => t.params.side === 'long_only')).toHaveLength(6);
  });

  it.skipIf(!built)('max_trials at least the grid runs the whole grid and says so; a timeout is recorded as not reproducible', async () => {
    const { dir, config } = smallWorkflow({
      strategies: '    trend: { type: momentum, parameter_space: { lookback: [10, 20, 30], threshold: [0.005, 0.02] } }',
      phases: phases('{ algorithm: random, max_trials: 50, timeout: 1h }'),
    });
    const infos: string[] = [];
    const plan = await dryRun(config, { outDir: join(dir, 'ws'), workers: 0 });
    expect(plan.strategies[0]!.algorithm).toBe('grid');
    expect(plan.notes.join()).toMatch(/max_trials 50 ≥ the 6 points of its grid: the whole grid runs/);
    await runWorkflow(config, { outDir: join(dir, 'ws'), workers: 0, onEvent: (e) => e.type === 'info' && infos.push(e.message) });
    expect(infos.join('\n')).toMatch(/the whole grid runs/);
    const cp = readJsonFile(workspacePaths(join(dir, 'ws')).checkpoint('parameter_discovery'), CheckpointSchema);
    expect(cp.search!.trend).toMatchObject({ algorithm: 'grid', trials: 6, stopped_by: 'exhausted', reproducible: true, budget: { max_trials: 50, timeout_seconds: 3600 } });
  });
});
