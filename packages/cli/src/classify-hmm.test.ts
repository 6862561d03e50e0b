import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realDataPath, type RealDataFile } from '@regimen/plugin-testkit';
import { cli } from '../test/harness.js';

/**
 * `regimen classify --classifier hmm` with its default options reaches the optimum of the
 * classifier's independent reference (statsmodels' MarkovRegression, maximised on the boundary
 * where a transition probability is exactly 0: plugins/classifier-hmm/reference/), as the
 * plugin's own reference test does — the CLI (and a workflow's phase 1, which fits through the
 * same fitClassifier) must not stop short where EM crawls along a flat ridge or toward a zero.
 */
interface Optimum { log_likelihood: number; transition: number[][] }
interface Fit { file: RealDataFile; column: string; k: number; n: number; boundary: Optimum | null; best_regular: Optimum | null; best: Optimum }
const reference = JSON.parse(readFileSync(new URL('../../../plugins/classifier-hmm/reference/statsmodels_optimum.json', import.meta.url), 'utf8')) as { fits: Fit[] };

describe('regimen classify --classifier hmm against statsmodels', () => {
  // the daily SWX series whose three-state optimum has an exact-zero transition (the NYSE one is
  // checked by the plugin's test; it takes longer)
  const fits = reference.fits.filter((f) => f.file === 'swx_daily_close.csv' && f.k === 3 && f.boundary);
  it('has the series it checks', () => expect(fits.map((f) => f.column).sort()).toEqual(['SII', 'SPI']));

  // the default seed, and seed 0, from which the fit used to stop 3.8e-4 short on SII (EM's steps
  // were below the tolerance long before it arrived)
  for (const ref of fits) for (const seed of [[], ['--seed', '0']]) {
    it(`${ref.column}${seed.length ? ', seed 0' : ''}: the default settings reach the optimum to 1e-4 in log-likelihood, with its exact zeros`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'regimen-hmm-')), 'labels.csv');
      const r = await cli('classify', '--classifier', 'hmm', '--data', realDataPath(ref.file), '--column', ref.column, ...seed, '--workers', '0', '--out', out, '--json');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const { log_likelihood: ll, model } = JSON.parse(r.out) as { log_likelihood: number; model: { transition: number[][]; train_bars: number } };
      const target = ref.boundary!;
      expect(model.train_bars).toBe(ref.n);
      expect(Math.abs(ll - target.log_likelihood)).toBeLessThanOrEqual(1e-4);
      target.transition.forEach((row, i) => row.forEach((p, j) => {
        expect(model.transition[i]![j] === 0, `transition ${i}→${j}`).toBe(p === 0);
        expect(Math.abs(model.transition[i]![j]! - p)).toBeLessThan(0.01);
      }));
    });
  }
});
