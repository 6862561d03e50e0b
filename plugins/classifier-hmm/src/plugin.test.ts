import { describe, expect, it } from 'vitest';
import { NO_REGIME, parsePluginOptions } from '@regimen/core';
import { classifierConformance, readCsvBars, realDataPath, sliceBars, syntheticBars } from '@regimen/plugin-testkit';
import hmmDefault, { hmmClassifier } from './index.js';
import { HmmOptionsSchema, type HmmOptionsInput } from './options.js';
import type { HmmModel } from './model.js';

const plugin = hmmClassifier();
const nyse = readCsvBars(realDataPath('nyse_composite_daily_close.csv'), { limit: 1500 });
const msft = readCsvBars(realDataPath('msft_daily_ohlcv.csv'));

classifierConformance(plugin, { data: nyse });
classifierConformance(plugin, {
  data: nyse,
  options: { states: 2, features: ['log_return', { name: 'rolling_vol', window: 10 }], min_dwell: 3, restarts: 3 },
});
classifierConformance(plugin, { data: msft, options: { states: 2, initial: 'fitted' } });

const opts = (o: HmmOptionsInput = {}) => HmmOptionsSchema.parse(o);

describe('hmm plugin', () => {
  it('is the default export, with documented defaults and strict options', async () => {
    expect(hmmDefault.name).toBe('hmm');
    const o = parsePluginOptions<ReturnType<typeof opts>>(plugin, {});
    expect(o).toMatchObject({ states: 3, features: [{ name: 'log_return' }], initial: 'stationary', restarts: 8, max_iter: 300, tol: 1e-8, min_dwell: 1 });
    expect(() => parsePluginOptions(plugin, { state: 2 })).toThrow(/state/);
    expect(() => parsePluginOptions(plugin, { initial: 'uniform' })).toThrow();
  });

  it('lastProbabilities is the last row of probabilities, bit for bit, also in the warm-up', async () => {
    const o = opts({ states: 2, features: ['log_return', { name: 'rolling_vol', window: 15 }], restarts: 2 });
    const model = await plugin.fit(sliceBars(nyse, 1000), o, { seed: 1 });
    for (const end of [5, 16, 700, nyse.close.length]) {
      const cut = sliceBars(nyse, end);
      expect(Array.from(plugin.lastProbabilities!(cut, model, o))).toEqual(Array.from(plugin.probabilities!(cut, model, o)[end - 1]!));
    }
  });

  it('labels bar 0 and the rolling-volatility warm-up NO_REGIME, nothing after', async () => {
    const o = opts({ states: 2, features: ['log_return', { name: 'rolling_vol', window: 15 }], restarts: 2 });
    const model = await plugin.fit(sliceBars(nyse, 1000), o, { seed: 1 });
    const labels = plugin.label(nyse, model, o);
    for (let t = 0; t < 15; t++) expect(labels[t]).toBe(NO_REGIME);
    for (let t = 15; t < labels.length; t++) expect(labels[t]).toBeLessThan(2);
    const plain = opts({ states: 2, restarts: 2 });
    const l2 = plugin.label(nyse, await plugin.fit(nyse, plain, { seed: 1 }), plain);
    expect(l2[0]).toBe(NO_REGIME);
    expect(l2[1]).not.toBe(NO_REGIME);
  });

  it('orders and names states canonically, whatever the seed', async () => {
    const bars = syntheticBars(3000, 11);
    const fits = await Promise.all([1, 2, 3, 4].map((seed) => plugin.fit(bars, opts({ restarts: 3 }), { seed })));
    for (const m of fits) {
      expect(plugin.regimes(m, opts())).toEqual(['bull', 'neutral', 'bear']);
      const mu = m.means.map((r) => r[0]!);
      expect(mu[0]).toBeGreaterThan(mu[1]!);
      expect(mu[1]).toBeGreaterThan(mu[2]!);
    }
    // the same optimum from every seed gives the same state order, so the bull mean agrees
    const best = Math.max(...fits.map((m) => m.log_likelihood));
    const atBest = fits.filter((m) => m.log_likelihood > best - 1e-3);
    // (to the fit tolerance: 1e-3 of the bull sd)
    for (const m of atBest) expect(m.means[0]![0]).toBeCloseTo(atBest[0]!.means[0]![0]!, 5);
    expect(hmmClassifier().regimes({ ...fits[0]!, states: 2, names: ['bull', 'bear'], means: [[1], [0]], variances: [[1], [1]], transition: [[1, 0], [0, 1]], initial: [0.5, 0.5] }, opts())).toEqual(['bull', 'bear']);
  });

  it('keeps every variance at or above the floor on a series with long flat runs', async () => {
    // USD/CHF half-hours: 6 % exact-zero changes, runs of up to 27 identical prices
    const fx = readCsvBars(realDataPath('usdchf_30min.csv'), { limit: 12_000 });
    const o = opts({ states: 3, restarts: 3 });
    const model = await plugin.fit(fx, o, { seed: 0 });
    expect(Number.isFinite(model.log_likelihood)).toBe(true);
    let n = 0;
    let s = 0;
    let s2 = 0;
    for (let t = 1; t < fx.close.length; t++) {
      const r = Math.log(fx.close[t]! / fx.close[t - 1]!);
      n++;
      s += r;
      s2 += r * r;
    }
    const variance = (s2 - (s * s) / n) / (n - 1);
    expect(model.variance_floor[0]).toBeCloseTo(1e-3 * variance, 15);
    for (const v of model.variances) expect(v[0]).toBeGreaterThanOrEqual(model.variance_floor[0]!);
    // without a floor the zero returns would be an unbounded likelihood; with it, finite and stable
    const labels = plugin.label(fx, model, o);
    expect(labels.slice(1).every((l) => l < 3)).toBe(true);
  });

  it('represents exact-zero transitions in the model and its JSON', async () => {
    const model: HmmModel = {
      ...(await plugin.fit(sliceBars(nyse, 600), opts({ states: 2, restarts: 1 }), { seed: 0 })),
      transition: [[1, 0], [0.25, 0.75]],
      initial: [1, 0],
    };
    const back = JSON.parse(JSON.stringify(model)) as HmmModel;
    expect(back.transition[0]![1]).toBe(0);
    // from state 0 with P(0→1) = 0 the filter can never leave state 0
    const labels = plugin.label(nyse, back, opts({ states: 2 }));
    expect(labels.slice(1).every((l) => l === 0)).toBe(true);
  });

  it('min_dwell: a switch is taken only after min_dwell bars of the new argmax', async () => {
    const o1 = opts({ states: 2, restarts: 2 });
    const model = await plugin.fit(nyse, o1, { seed: 0 });
    const raw = plugin.label(nyse, model, o1);
    const dwell = 4;
    const held = plugin.label(nyse, model, opts({ states: 2, min_dwell: dwell }));
    // independent restatement of the rule over the raw argmax labels
    let current = raw[1]!;
    let run = 0;
    let cand = -1;
    for (let t = 1; t < raw.length; t++) {
      if (t > 1) {
        if (raw[t] === current) run = 0;
        else {
          run = raw[t] === cand ? run + 1 : 1;
          cand = raw[t]!;
          if (run >= dwell) {
            current = raw[t]!;
            run = 0;
          }
        }
      }
      expect(held[t]).toBe(current);
    }
    const switches = (l: Uint8Array) => l.slice(2).filter((v, i) => v !== l[i + 1]).length;
    expect(switches(held)).toBeLessThan(switches(raw));
  });

  it('reports log-likelihood, AIC and BIC with the documented parameter count', async () => {
    const o = opts({ states: 3, restarts: 2 });
    const model = await plugin.fit(nyse, o, { seed: 0 });
    const s = plugin.summary!(model, o) as Record<string, number>;
    expect(s.n_params).toBe(3 + 3 + 6);
    expect(s.aic).toBeCloseTo(2 * 12 - 2 * model.log_likelihood, 9);
    expect(s.bic).toBeCloseTo(12 * Math.log(nyse.close.length - 1) - 2 * model.log_likelihood, 9);
    const fitted = opts({ states: 3, restarts: 2, initial: 'fitted' });
    expect((plugin.summary!(await plugin.fit(nyse, fitted, { seed: 0 }), fitted) as Record<string, number>).n_params).toBe(14);
  });

  it('more EM iterations never lower the log-likelihood; options.seed overrides the context seed', async () => {
    const short = await plugin.fit(nyse, opts({ states: 2, restarts: 1, max_iter: 3 }), { seed: 0 });
    const long = await plugin.fit(nyse, opts({ states: 2, restarts: 1, max_iter: 200 }), { seed: 0 });
    expect(long.log_likelihood).toBeGreaterThanOrEqual(short.log_likelihood);
    const a = await plugin.fit(nyse, opts({ states: 2, restarts: 3, seed: 5 }), { seed: 0 });
    const b = await plugin.fit(nyse, opts({ states: 2, restarts: 3 }), { seed: 5 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('rejects non-positive prices and a corrupted model with one clear error', async () => {
    const bad = sliceBars(nyse, 100);
    bad.close[50] = 0;
    await expect(plugin.fit(bad, opts(), { seed: 0 })).rejects.toThrow(/close\[50\]|positive/);
    const model = await plugin.fit(sliceBars(nyse, 300), opts({ states: 2, restarts: 1 }), { seed: 0 });
    expect(() => plugin.label(nyse, { ...model, transition: [[0.5, 0.6], [0.5, 0.5]] }, opts())).toThrow(/transition/);
  });
});
