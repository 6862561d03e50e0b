import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { workspacePaths } from '@regimen/core';
import { runWorkflow } from './run.js';
import { analysisFiles as results, smallWorkflow } from './test-fixtures.js';

// the pool loads the built worker (dist/), which `npm ci` makes; skipped if never built, a failure under CI=true
const built = !requireOrSkip('the built backtester', builtMissing(new URL('../../backtester/dist/worker.js', import.meta.url)));

describe('determinism', () => {
  it.skipIf(!built)('gives byte-identical analysis and validation files with 0 and 2 workers', async () => {
    const { dir, config } = smallWorkflow({ ensemble: '{ algorithm: genetic, objective: minimize_regime_drawdown, algorithm_options: { population: 8, generations: 3 } }' });
    await runWorkflow(config, { outDir: join(dir, 'a'), workers: 0 });
    await runWorkflow(config, { outDir: join(dir, 'b'), workers: 2 });
    const a = results(join(dir, 'a'));
    const b = results(join(dir, 'b'));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(a.size).toBeGreaterThanOrEqual(6);
    for (const [name, text] of a) expect(b.get(name), name).toBe(text);
  });
});

describe('phase 1 with algorithm: tpe', () => {
  const phases = (options: string) => `    - name: parameter_discovery
      config:
        algorithm: tpe
        algorithm_options: ${options}
        parameter_space: { lookback: { min: 5, max: 80, step: 5 }, threshold: [0.005, 0.01, 0.02, 0.03] }
    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10, pbo_blocks: 8 }`; // 70 CSCV splits: the PBO is not what this compares
  const asked = (dir: string) => readFileSync(workspacePaths(dir).trials, 'utf8');

  it.skipIf(!built)('asks the same trials with 0 and 2 workers, and the regime scores reach it (regime-aware asks differ from plain)', async () => {
    const aware = smallWorkflow({ phases: phases('{ trials: 24, startup_trials: 6, batch: 4 }') });
    await runWorkflow(aware.config, { outDir: join(aware.dir, 'a'), workers: 0 });
    await runWorkflow(aware.config, { outDir: join(aware.dir, 'b'), workers: 2 });
    expect(asked(join(aware.dir, 'b'))).toBe(asked(join(aware.dir, 'a')));
    expect((JSON.parse(asked(join(aware.dir, 'a'))) as { trials: unknown[] }).trials).toHaveLength(24 * 2);
    const plain = smallWorkflow({ phases: phases('{ trials: 24, startup_trials: 6, batch: 4, regime_aware: false }') });
    await runWorkflow(plain.config, { outDir: join(plain.dir, 'a'), workers: 0 });
    expect(asked(join(plain.dir, 'a'))).not.toBe(asked(join(aware.dir, 'a')));
  });
});
