import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { localExecutor } from '@regimen/backtester';
import { loadMarketData } from '@regimen/data';
import { fitClassifier, runPool } from './classifier-run.js';
import { builtinRegistry } from './plugins.js';

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
