import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workspacePaths } from '@regimen/core';
import { builtMissing, realDataPath, requireOrSkip } from '@regimen/plugin-testkit';
import { localExecutor } from '@regimen/backtester';
import { loadMarketData } from '@regimen/data';
import { fitClassifier, runPool } from './classifier-run.js';
import { builtinRegistry } from './plugins.js';
import { runWorkflow } from './run.js';

// the pool runs the built workers (dist/), which `npm ci` makes; skipped if never built, a failure under CI=true
const built = !requireOrSkip('the built workers', builtMissing(new URL('../../backtester/dist/worker.js', import.meta.url), new URL('../../../plugins/classifier-hmm/dist/restart-worker.js', import.meta.url)));

describe('classifier fits on the run’s workers', () => {
  it.skipIf(!built)('the HMM gives the same model with 0, 1 and 2 workers', async () => {
    const { bars } = loadMarketData(fileURLToPath(new URL('../../data/embedded/nyse_composite_daily_close.csv', import.meta.url)));
    const plugin = builtinRegistry().classifier('hmm');
    const options = plugin.options.parse({ states: 3 });
    const models: string[] = [];
    for (const workers of [0, 1, 2]) {
      const executor = localExecutor({ workers, engine: 'wasm' });
      expect(runPool(executor)?.workers).toBe(workers || undefined);
      models.push(JSON.stringify(await fitClassifier(plugin, options, bars, { start: 0, end: 3500 }, 42, runPool(executor))));
      await executor.close();
    }
    expect(models[1]).toBe(models[0]);
    expect(models[2]).toBe(models[0]);
  });

  it('sizes the pool by the threads tasks run on when an executor says (a distributed one: its local pool)', () => {
    const local = localExecutor({ workers: 0, engine: 'js' });
    // eight remote workers, but tasks run on a coordinator without threads: no pool
    expect(runPool({ ...local, workers: 8, taskWorkers: 0 })).toBeUndefined();
    expect(runPool({ ...local, workers: 0, taskWorkers: 2 })?.workers).toBe(2);
    expect(runPool({ ...local, workers: 3 })?.workers).toBe(3);
  });
});

describe('a workflow\'s phase 1 fits the HMM to the optimum of its independent reference', () => {
  it('SII (SWX daily), three states, restarts seeded 0: statsmodels\' boundary optimum to 1e-4 in log-likelihood, its zero exactly', async () => {
    const reference = JSON.parse(readFileSync(new URL('../../../plugins/classifier-hmm/reference/statsmodels_optimum.json', import.meta.url), 'utf8')) as { fits: Array<{ column: string; k: number; boundary: { log_likelihood: number; transition: number[][] } | null }> };
    const target = reference.fits.find((f) => f.column === 'SII' && f.k === 3)!.boundary!;
    const dir = mkdtempSync(join(tmpdir(), 'regimen-hmm-phase1-'));
    const config = join(dir, 'workflow.yaml');
    writeFileSync(config, `workflow:
  id: hmm_phase1
  seed: 0
  data: { path: ${realDataPath('swx_daily_close.csv')}, column: SII }
  strategies:
    momentum: { type: momentum }
  classifiers:
    hmm: { options: { states: 3, seed: 0 } }   # the fit's own seed: from 0 EM used to stop 3.8e-4 short
  phases:
    - name: parameter_discovery
      config:
        parameter_space: { lookback: [10, 20], threshold: [0.005] }
`);
    await runWorkflow(config, { outDir: join(dir, 'ws'), workers: 0 });
    const saved = JSON.parse(readFileSync(workspacePaths(join(dir, 'ws')).classifierModel('hmm'), 'utf8')) as { model: { log_likelihood: number; transition: number[][] } };
    expect(Math.abs(saved.model.log_likelihood - target.log_likelihood)).toBeLessThanOrEqual(1e-4);
    target.transition.forEach((row, i) => row.forEach((p, j) => expect(saved.model.transition[i]![j] === 0, `transition ${i}→${j}`).toBe(p === 0)));
  });
});
