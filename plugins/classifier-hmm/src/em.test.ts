import { describe, expect, it } from 'vitest';
import { readCsvBars, realDataPath, sliceBars, syntheticBars } from '@regimen/plugin-testkit';
import type { EmEngine } from './em-engine.js';
import { aitkenSmall, runEm, type EmRunSettings } from './em.js';
import { computeFeatures } from './features.js';
import { mStep } from './m-step.js';
import type { HmmParams } from './params.js';
import { wasmEngine } from './wasm-engine.js';

const floor = Float64Array.from([1e-9]);
const settings = (o: Partial<EmRunSettings> = {}): EmRunSettings => ({ initial: 'stationary', floor, tol: 1e-8, maxIter: 300, ...o });

function start(k: number, means: number[], variances: number[], stay: number): HmmParams {
  const transition = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) transition[i * k + j] = i === j ? stay : (1 - stay) / (k - 1);
  return { states: k, dims: 1, means: Float64Array.from(means), variances: Float64Array.from(variances), transition, initial: new Float64Array(k).fill(1 / k) };
}

/** Plain EM, no extrapolation and no zero handling: the yardstick (stops at tol, or once it reaches `enough`). */
function plainEm(e: EmEngine, p0: HmmParams, maxIter: number, tol: number, enough = Infinity) {
  let p = p0;
  let ll = e.forward(p);
  for (let it = 1; it <= maxIter && ll < enough; it++) {
    const next = mStep(e.backward(p), p, { initial: 'stationary', floor }, e.rows);
    const nextLl = e.forward(next);
    if (!(nextLl >= ll)) return { params: p, logLikelihood: ll, iterations: it };
    const gain = nextLl - ll;
    p = next;
    ll = nextLl;
    if (gain <= tol * Math.abs(ll) || ll >= enough) return { params: p, logLikelihood: ll, iterations: it };
  }
  return { params: p, logLikelihood: ll, iterations: maxIter };
}

describe('EM with SQUAREM and exact zeros', () => {
  const f = computeFeatures(syntheticBars(6000, 4), [{ name: 'log_return' }]);
  const engine = wasmEngine(f.values, f.rows, 1, 3);
  const p0 = start(3, [0.001, 0, -0.002], [3e-5, 1e-4, 6e-4], 0.9);

  it('never lowers the log-likelihood: stopping after n updates gives a non-decreasing sequence', () => {
    let prev = -Infinity;
    for (let n = 1; n <= 30; n++) {
      const r = runEm(engine, p0, settings({ maxIter: n, tol: 0 }));
      expect(r.iterations).toBeLessThanOrEqual(n);
      expect(r.logLikelihood).toBeGreaterThanOrEqual(prev);
      prev = r.logLikelihood;
    }
  });

  it('gets within 1e-4 of the optimum in at most half the updates plain EM needs', () => {
    const nyse = readCsvBars(realDataPath('nyse_composite_daily_close.csv'));
    const g = computeFeatures(sliceBars(nyse, 6517), [{ name: 'log_return' }]);
    const e = wasmEngine(g.values, g.rows, 1, 3);
    const opt = runEm(e, p0, settings({ tol: 0, maxIter: 5000 })).logLikelihood;
    let fast = 1;
    while (runEm(e, p0, settings({ tol: 0, maxIter: fast })).logLikelihood < opt - 1e-4) fast++;
    const plain = plainEm(e, p0, 5000, 0, opt - 1e-4);
    expect(plain.logLikelihood).toBeGreaterThanOrEqual(opt - 1e-4);
    expect(fast * 2).toBeLessThanOrEqual(plain.iterations);
  });

  it('is deterministic: the same start gives the same bits', () => {
    expect(runEm(engine, p0, settings())).toEqual(runEm(engine, p0, settings()));
  });

  it('reaches a boundary optimum (a transition of exactly 0) that plain EM only creeps towards', () => {
    // NYSE 1966–1992, K=3: the crash state never moves straight to the calm one
    const nyse = readCsvBars(realDataPath('nyse_composite_daily_close.csv'));
    const g = computeFeatures(sliceBars(nyse, Math.floor(0.7 * nyse.close.length)), [{ name: 'log_return' }]);
    const e = wasmEngine(g.values, g.rows, 1, 3);
    const q = start(3, [0.0003, 0.0002, -0.03], [3e-5, 3e-4, 7e-3], 0.95);
    const fast = runEm(e, q, settings({ tol: 0, maxIter: 2000 }));
    const zeros = Array.from(fast.params.transition).flatMap((v, i) => (v === 0 ? [i] : []));
    expect(zeros).toEqual([2 * 3 + 0]);
    const creeping = plainEm(e, q, 400, 0);
    expect(creeping.params.transition[6]).toBeGreaterThan(0);
    expect(fast.logLikelihood).toBeGreaterThan(creeping.logLikelihood);
  });

  it('reopens a zero that the gradient says should grow', () => {
    // every transition of the generating chain is positive; start with one forced to 0
    const q = start(3, [0.001, 0, -0.002], [3e-5, 1e-4, 6e-4], 0.9);
    q.transition.set([0.95, 0.05, 0], 0);
    const reopened = runEm(engine, q, settings({ tol: 1e-10, maxIter: 2000 }));
    const free = runEm(engine, p0, settings({ tol: 1e-10, maxIter: 2000 }));
    expect(reopened.params.transition[2]).toBeGreaterThan(0);
    expect(reopened.logLikelihood).toBeCloseTo(free.logLikelihood, 4);
  });
});

describe('the stopping rule', () => {
  // tolerance 1e-8 at a log-likelihood of 5000: 5e-5
  it('stops on a small step only when the steps still to come (Aitken: g1·ρ/(1 − ρ)) are small too', () => {
    // steps of 4e-5 shrinking to 2e-5 (ρ = 0.5): 2e-5 still to come — converged
    expect(aitkenSmall(4e-5, 2e-5, 5000, 1e-8)).toBe(true);
    // steps of 4e-5 shrinking by 1 % a step (a flat ridge, a creep to a zero): ~4e-3 to come — not converged
    expect(aitkenSmall(4e-5, 3.96e-5, 5000, 1e-8)).toBe(false);
    // steps that do not shrink are not convergence
    expect(aitkenSmall(4e-5, 5e-5, 5000, 1e-8)).toBe(false);
    // a second step that gains nothing, or a first at round-off level, is the optimum
    expect(aitkenSmall(4e-5, 0, 5000, 1e-8)).toBe(true);
    expect(aitkenSmall(4e-5, -1e-12, 5000, 1e-8)).toBe(true);
    expect(aitkenSmall(1e-10, 2e-10, 5000, 1e-8)).toBe(true);
  });
});
