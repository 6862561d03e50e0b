import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { defaultGamma, defaultWeights, OPTUNA_PARZEN_DEFAULTS, parzenEstimator, type ParzenParam } from './parzen-estimator.js';

/** Optuna 3.1's own estimator on fixed observations: reference/optuna-parzen.py wrote these numbers. */
interface Case {
  name: string;
  multivariate: boolean;
  endpoints: boolean;
  magic_clip: boolean;
  prior_weight: number;
  space: Record<string, { kind: 'numeric'; low: number; high: number; step: number | null } | { kind: 'categorical'; choices: number }>;
  observations: Record<string, number>[];
  probes: Record<string, number>[];
  weights: number[];
  mus: Record<string, number[]>;
  sigmas: Record<string, number[]>;
  categorical: Record<string, number[][]>;
  log_pdf: number[];
  /** the same mixture through scipy's truncnorm, which keeps the −log σ term Optuna 3.1 drops */
  log_pdf_scipy: number[];
}
const expected = JSON.parse(readFileSync(new URL('../reference/optuna-parzen.json', import.meta.url), 'utf8')) as {
  gamma: Record<string, number>;
  weights: Record<string, number[]>;
  cases: Case[];
};

const close = (got: ArrayLike<number>, want: number[]) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(w))));
};

describe('Parzen estimator against Optuna 3.1', () => {
  it("γ(n) and the weights function are Optuna's defaults", () => {
    for (const [n, g] of Object.entries(expected.gamma)) expect(defaultGamma(Number(n))).toBe(g);
    for (const [n, w] of Object.entries(expected.weights)) close(defaultWeights(Number(n)), w);
  });

  for (const c of expected.cases) {
    it(c.name, () => {
      const names = Object.keys(c.space);
      const params: ParzenParam[] = names.map((k) => c.space[k]!);
      const settings = { ...OPTUNA_PARZEN_DEFAULTS, multivariate: c.multivariate, endpoints: c.endpoints, magicClip: c.magic_clip, priorWeight: c.prior_weight };
      const pe = parzenEstimator(c.observations.map((o) => names.map((k) => o[k]!)), params, settings);
      close(pe.weights, c.weights);
      names.forEach((k, d) => {
        const kd = pe.kernels[d]!;
        if ('row' in kd) c.categorical[k]!.forEach((want, i) => close(kd.row(i), want));
        else {
          close(kd.mus, c.mus[k]!);
          close(kd.sigmas, c.sigmas[k]!);
        }
      });
      const logPdf = pe.logPdf(c.probes.map((p) => names.map((k) => p[k]!)));
      close(logPdf, c.log_pdf_scipy);
      // without a continuous parameter the σ term cancels and Optuna's own numbers hold as well
      if (params.every((p) => p.kind === 'categorical' || p.step !== null)) close(logPdf, c.log_pdf);
    });
  }

  it('samples stay on the grid and inside the bounds, and follow the kernels', () => {
    const c = expected.cases.find((x) => x.name.startsWith('mixed, 40') && !x.multivariate)!;
    const names = Object.keys(c.space);
    const params: ParzenParam[] = names.map((k) => c.space[k]!);
    const pe = parzenEstimator(c.observations.map((o) => names.map((k) => o[k]!)), params, OPTUNA_PARZEN_DEFAULTS);
    const xs = pe.sample(createRng(3), 4000);
    for (const x of xs) {
      params.forEach((p, d) => {
        if (p.kind === 'categorical') expect(Number.isInteger(x[d]) && x[d]! >= 0 && x[d]! < p.choices).toBe(true);
        else {
          expect(x[d]! >= p.low && x[d]! <= p.high).toBe(true);
          if (p.step !== null) expect(Math.abs((x[d]! - p.low - p.step / 2) / p.step - Math.round((x[d]! - p.low - p.step / 2) / p.step))).toBeLessThan(1e-9);
        }
      });
    }
    // the share of draws per category matches the mixture's marginal Σ_k w_k·P_k(c)
    const cat = names.indexOf('c');
    const kd = pe.kernels[cat]!;
    const rows = 'row' in kd ? Array.from(pe.weights, (_, k) => kd.row(k)) : [];
    for (let choice = 0; choice < 3; choice++) {
      const want = rows.reduce((a, row, k) => a + pe.weights[k]! * row[choice]!, 0);
      const got = xs.filter((x) => x[cat] === choice).length / xs.length;
      expect(Math.abs(got - want)).toBeLessThan(0.03);
    }
  });
});
