import { describe, expect, it } from 'vitest';
import { createRng, type TaskPool } from '@regimen/core';
import { readCsvBars, realDataPath, sliceBars } from '@regimen/plugin-testkit';
import { POOL_MIN_WORK, fitHmm } from './fit.js';
import { HmmOptionsSchema, type HmmOptionsInput } from './options.js';
import restartWorker from './restart-worker.js';

const nyse = readCsvBars(realDataPath('nyse_composite_daily_close.csv'), { limit: 4000 });
const opts = (o: HmmOptionsInput = {}) => HmmOptionsSchema.parse(o);

/**
 * A pool that runs each task through the worker module's default export after a random delay, on a
 * structured clone of the task (what crossing to a thread does), so tasks finish in any order.
 */
function shuffledPool(workers: number, seed: number, modules: string[]): TaskPool {
  const rng = createRng(seed);
  return {
    workers,
    async run<R>(module: string, task: unknown): Promise<R> {
      modules.push(module);
      await new Promise((r) => setTimeout(r, rng.int(0, 15)));
      return structuredClone(restartWorker(structuredClone(task) as Parameters<typeof restartWorker>[0])) as R;
    },
  };
}

describe('HMM fit schedule', () => {
  it('gives the same model with no pool and with pools finishing tasks in any order', async () => {
    for (const o of [opts({ states: 3 }), opts({ states: 2, features: ['log_return', { name: 'rolling_vol', window: 10 }], initial: 'fitted', restarts: 5 })]) {
      const alone = JSON.stringify(await fitHmm(nyse, o, 11));
      const modules: string[] = [];
      for (const [workers, seed] of [[1, 1], [2, 2], [3, 3]] as const) {
        expect(JSON.stringify(await fitHmm(nyse, o, 11, shuffledPool(workers, seed, modules), 0))).toBe(alone);
      }
      // the pool is asked to run the built worker module (workers run dist/, never TypeScript)
      expect(new Set(modules)).toEqual(new Set([modules[0]]));
      expect(modules[0]).toMatch(/classifier-hmm[\\/]dist[\\/]restart-worker\.js$/);
    }
  });

  it('probes every restart, then runs only the best to convergence', async () => {
    const calls: Array<{ maxIter: number; start: unknown }> = [];
    const pool: TaskPool = {
      workers: 2,
      async run<R>(_module: string, task: unknown): Promise<R> {
        const t = task as Parameters<typeof restartWorker>[0];
        calls.push({ maxIter: t.maxIter, start: 'restart' in t.start ? t.start.restart : 'continued' });
        return restartWorker(t) as R;
      },
    };
    const model = await fitHmm(nyse, opts({ states: 3, restarts: 8 }), 4, pool, 0);
    const probes = calls.filter((c) => c.start !== 'continued');
    expect(probes.map((c) => c.start)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(calls.length - probes.length).toBeLessThanOrEqual(2);
    expect(model.converged).toBe(true);
    expect(model.iterations).toBeGreaterThan(6);
  });

  it('keeps a small fit on the calling thread even when given a pool', async () => {
    const modules: string[] = [];
    const o = opts({ states: 3, restarts: 4 });
    expect(nyse.close.length * 4).toBeLessThan(POOL_MIN_WORK);
    expect(JSON.stringify(await fitHmm(nyse, o, 11, shuffledPool(2, 1, modules)))).toBe(JSON.stringify(await fitHmm(nyse, o, 11)));
    expect(modules).toEqual([]);
  });
});

describe('HMM stopping rule on slow fits', () => {
  // SII (SWX daily), training 70 %: fits whose EM crawls after its steps are already small. The
  // default tolerance must land where EM run out with tol 1e-12 lands (not an independent optimum:
  // the statsmodels one, for K=3, is in reference.test.ts; this checks that the fit does not stop early)
  const sii = readCsvBars(realDataPath('swx_daily_close.csv'), { column: 'SII' });
  const train = sliceBars(sii, Math.floor(0.7 * sii.close.length));
  for (const [states, seed] of [[3, 0], [4, 42]] as const) {
    it(`K=${states}, seed ${seed}: the default settings reach the fully converged log-likelihood to 1e-5`, async () => {
      const fit = await fitHmm(train, opts({ states }), seed);
      const full = await fitHmm(train, opts({ states, tol: 1e-12, max_iter: 5000 }), seed);
      expect(full.log_likelihood - fit.log_likelihood).toBeLessThanOrEqual(1e-5);
    });
  }
});
