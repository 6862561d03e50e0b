import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { readCsvBars, realDataPath, syntheticBars } from '@regimen/plugin-testkit';
import { emBuffers, logLikelihood, plainIteration } from './baum-welch.js';
import { typescriptEngine, typescriptFilteredArgmax, type EmEngine } from './em-engine.js';
import { expNonPositive } from './em-pass.js';
import { computeFeatures } from './features.js';
import { mStep, type EmSettings } from './m-step.js';
import type { HmmParams } from './params.js';
import { wasmEngine, wasmFilteredArgmax } from './wasm-engine.js';

const nyse = readCsvBars(realDataPath('nyse_composite_daily_close.csv'), { limit: 3000 });

/** A valid random model over features y (means and variances near the data's), optional exact zeros. */
function randomParams(k: number, d: number, seed: number, zeros: Array<[number, number]> = []): HmmParams {
  const rng = createRng(seed);
  const p: HmmParams = {
    states: k,
    dims: d,
    means: Float64Array.from({ length: k * d }, () => 0.004 * rng.normal()),
    variances: Float64Array.from({ length: k * d }, () => 1e-5 * (1 + 20 * rng.next())),
    transition: new Float64Array(k * k),
    initial: new Float64Array(k).fill(1 / k),
  };
  for (let i = 0; i < k; i++) {
    let row = 0;
    for (let j = 0; j < k; j++) {
      const v = zeros.some(([a, b]) => a === i && b === j) ? 0 : (i === j ? 5 : 0) + rng.next();
      p.transition[i * k + j] = v;
      row += v;
    }
    for (let j = 0; j < k; j++) p.transition[i * k + j]! /= row;
  }
  return p;
}

const cases = [
  // K = 3 over one feature runs the unrolled kernel (assembly/em3.ts), the others the general one
  { name: 'K=3 log returns', k: 3, features: [{ name: 'log_return' as const }], zeros: [] as Array<[number, number]> },
  { name: 'K=3 with an exact-zero transition', k: 3, features: [{ name: 'log_return' as const }], zeros: [[2, 0]] as Array<[number, number]> },
  { name: 'K=2 with rolling volatility (d=2)', k: 2, features: [{ name: 'log_return' as const }, { name: 'rolling_vol' as const, window: 10 }], zeros: [] },
  { name: 'K=4 with exact-zero transitions', k: 4, features: [{ name: 'log_return' as const }], zeros: [[0, 3], [3, 0], [2, 1]] as Array<[number, number]> },
];

describe('fused EM passes: WebAssembly kernel against the TypeScript reference', () => {
  for (const c of cases) {
    it(`${c.name}: log-likelihood, filtered probabilities, statistics and labels are the same bits`, () => {
      const f = computeFeatures(nyse, c.features);
      const d = c.features.length;
      // a 40-sigma bar exercises the shifted densities
      const y = f.values.slice();
      y[(f.rows >> 1) * d] = 0.5;
      const engines: EmEngine[] = [typescriptEngine(y, f.rows, d, c.k), wasmEngine(y, f.rows, d, c.k)];
      for (const seed of [1, 2]) {
        const p = randomParams(c.k, d, seed, c.zeros);
        const [ts, wasm] = engines.map((e) => ({ ll: e.forward(p), alpha: e.filtered().slice(), stats: e.backward(p).slice() }));
        expect(Number.isFinite(ts!.ll)).toBe(true);
        expect(wasm).toEqual(ts);
        expect(wasmFilteredArgmax(y, f.rows, p)).toEqual(typescriptFilteredArgmax(y, f.rows, p));
      }
    });
  }

  it('a bar no state with prior mass can explain: log-likelihood −∞ from both, same filtered bits', () => {
    for (const k of [3, 4]) {
      const y = Float64Array.from({ length: 50 }, (_, t) => (t === 20 ? 0.5 : 0.001 * Math.sin(t)));
      // state 0 is absorbing, starts with all the mass and is far too narrow for a 50 % return
      const p = randomParams(k, 1, 3);
      p.variances[0] = 1e-8;
      p.transition.fill(0, 0, k);
      p.transition[0] = 1;
      p.initial.fill(0);
      p.initial[0] = 1;
      const [ts, wasm] = [typescriptEngine(y, 50, 1, k), wasmEngine(y, 50, 1, k)].map((e) => ({ ll: e.forward(p), alpha: e.filtered().slice() }));
      expect(ts!.ll).toBe(-Infinity);
      expect(wasm).toEqual(ts);
      expect(wasmFilteredArgmax(y, 50, p)).toEqual(typescriptFilteredArgmax(y, 50, p));
    }
  });

  it('labels are the argmax of the stored filtered probabilities (ties to the lower state)', () => {
    const f = computeFeatures(nyse, [{ name: 'log_return' }]);
    const p = randomParams(3, 1, 7);
    const e = wasmEngine(f.values, f.rows, 1, 3);
    e.forward(p);
    const alpha = e.filtered();
    const argmax = wasmFilteredArgmax(f.values, f.rows, p);
    for (let t = 0; t < f.rows; t++) {
      let arg = 0;
      for (let i = 1; i < 3; i++) if (alpha[t * 3 + i]! > alpha[t * 3 + arg]!) arg = i;
      expect(argmax[t]).toBe(arg);
    }
  });

  it('one fused iteration equals one plain Baum–Welch iteration', () => {
    for (const initial of ['stationary', 'fitted'] as const) {
      const bars = syntheticBars(4000, 3);
      const f = computeFeatures(bars, [{ name: 'log_return' }]);
      const s: EmSettings = { initial, floor: Float64Array.from([1e-9]) };
      const p = randomParams(3, 1, 4);
      const buf = emBuffers(f.rows, 3);
      const ll = logLikelihood(f.values, f.rows, p, buf);
      const plain = plainIteration(f.values, f.rows, p, s, buf);
      const e = wasmEngine(f.values, f.rows, 1, 3);
      expect(e.forward(p)).toBeCloseTo(ll, 8);
      const fused = mStep(e.backward(p), p, s, f.rows);
      expect(e.forward(fused)).toBeCloseTo(plain.logLikelihood, 8);
      for (const key of ['means', 'variances', 'transition', 'initial'] as const) {
        fused[key].forEach((v, i) => expect(Math.abs(v - plain.params[key][i]!)).toBeLessThanOrEqual(1e-10 * Math.max(1e-12, Math.abs(v))));
      }
    }
  });

  it('the inlined exp is within one rounding of Math.exp over the range the densities use', () => {
    const rng = createRng(9);
    for (let n = 0; n < 20_000; n++) {
      const x = -750 * rng.next() ** 3;
      const want = Math.exp(x);
      expect(Math.abs(expNonPositive(x) - want)).toBeLessThanOrEqual(want * 2 ** -52 + Number.MIN_VALUE);
    }
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-746)).toBe(0);
  });
});
