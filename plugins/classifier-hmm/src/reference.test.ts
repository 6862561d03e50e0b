import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvBars, sliceBars } from '@regimen/plugin-testkit';
import { hmmClassifier } from './plugin.js';
import { HmmOptionsSchema } from './options.js';

/**
 * The optimum reached by an independent implementation: statsmodels' MarkovRegression (switching mean
 * and variance, stationary initial distribution), numbers from reference/statsmodels_reference.py.
 */
interface StatsmodelsState { mean: number; variance: number }
interface StatsmodelsFit {
  file: string;
  column: string;
  k: number;
  n: number;
  train_bars: number;
  best: { log_likelihood: number; states: StatsmodelsState[] };
  best_regular: { log_likelihood: number; states: StatsmodelsState[] } | null;
}
const fixture = JSON.parse(readFileSync(new URL('../reference/statsmodels_optimum.json', import.meta.url), 'utf8')) as { fits: StatsmodelsFit[] };

describe('Gaussian HMM against statsmodels MarkovRegression on real daily series', () => {
  const plugin = hmmClassifier();
  for (const ref of fixture.fits) {
    it(`${ref.file}:${ref.column}, K=${ref.k}: log-likelihood reaches statsmodels' optimum`, () => {
      const bars = readCsvBars(`/work/shared/data/${ref.file}`, { column: ref.column });
      const train = sliceBars(bars, ref.train_bars);
      const options = HmmOptionsSchema.parse({ states: ref.k, initial: 'stationary' });
      const model = plugin.fit(train, options, { seed: 0 });
      expect(model.train_bars).toBe(ref.n);
      // statsmodels has no variance floor: where its best fit put a state on the exact-zero returns
      // (variance ~1e-35, an unbounded likelihood), compare with its best non-degenerate fit
      const target = ref.best_regular ?? ref.best;
      const tol = Math.max(1e-3, 1e-6 * Math.abs(target.log_likelihood));
      expect(model.log_likelihood).toBeGreaterThanOrEqual(target.log_likelihood - tol);
      // …and it is the same optimum (statsmodels' BFGS stops a little short, hence 1 % of a state's sd)
      target.states.forEach((s, i) => {
        expect(Math.abs(model.means[i]![0]! - s.mean)).toBeLessThan(0.01 * Math.sqrt(s.variance));
        expect(Math.abs(model.variances[i]![0]! / s.variance - 1)).toBeLessThan(1e-2);
      });
    });
  }
});
