import { describe, expect, it } from 'vitest';
import type { ClassifierPlugin } from '@regimen/core';
import { checkClassifierStep, readCsvBars, realDataPath, sliceBars, stepSplits } from '@regimen/plugin-testkit';
import { hmmClassifier } from './index.js';
import { HmmOptionsSchema } from './options.js';
import type { HmmStepState } from './step.js';

// labelStep on 30-minute FX (intraday) with four states and two features (the general kernel, not
// the unrolled K = 3 one), resumed at seeded random splits: labels and the last filtered row of each
// piece equal label() and probabilities() bit for bit.
const plugin = hmmClassifier();
const fx = readCsvBars(realDataPath('usdchf_30min.csv'), { limit: 3000 });
const options = HmmOptionsSchema.parse({ states: 4, features: ['log_return', { name: 'rolling_vol', window: 16 }], restarts: 1, max_iter: 30, min_dwell: 2 });

describe('hmm labelStep', () => {
  it('equals label and probabilities at random splits of intraday data (K = 4, two features, min_dwell 2)', async () => {
    const model = await plugin.fit(sliceBars(fx, 2000), options, { seed: 3 });
    for (const seed of [1, 2, 3]) {
      expect(checkClassifierStep(plugin, model, options, fx, stepSplits(fx.close.length, 15, seed)).message).toBeUndefined();
    }
  });

  it('a control: resuming from the normalised α instead of the recursion\'s own u changes bits and is caught', async () => {
    const model = await plugin.fit(sliceBars(fx, 2000), options, { seed: 3 });
    const alphaState: ClassifierPlugin = {
      ...plugin,
      labelStep(state, bars, m, o) {
        const r = plugin.labelStep!(state, bars, m, o);
        const s = r.state as HmmStepState;
        // mathematically the same filter (u and α differ by a scale factor), numerically not
        return { ...r, state: { ...s, u: s.alpha } };
      },
    };
    expect(checkClassifierStep(alphaState, model, options, fx, stepSplits(fx.close.length, 15, 1)).ok).toBe(false);
  });
});
