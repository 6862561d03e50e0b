import { describe, expect, it } from 'vitest';
import { checkClassifierStep, readCsvBars, realDataPath, stepSplits } from '@regimen/plugin-testkit';
import { patternClassifier } from './index.js';
import { PatternOptionsSchema } from './options.js';

// labelStep on 30-minute FX with every rule on (channel, hold, ATR range expansion, ADX trend),
// resumed at seeded random splits: every label equals classify()'s bit for bit.
const plugin = patternClassifier();
const fx = readCsvBars(realDataPath('usdchf_30min.csv'), { limit: 5000 });

describe('pattern labelStep', () => {
  it.each([
    { channel: 48, hold: 4, vol_expansion: 1.5, atr: 10, trend: true, adx: 7, adx_threshold: 20 },
    { channel: 1, hold: 1 },
    { channel: 5, trend: true, adx: 1 },
  ])('equals label at random splits of intraday data: %o', (raw) => {
    const options = PatternOptionsSchema.parse(raw);
    const model = plugin.fit(fx, options, { seed: 0 });
    for (const seed of [1, 2]) expect(checkClassifierStep(plugin, model, options, fx, stepSplits(fx.close.length, 15, seed)).message).toBeUndefined();
  });
});
