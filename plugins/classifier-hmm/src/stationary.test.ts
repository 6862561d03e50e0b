import { describe, expect, it } from 'vitest';
import { stationaryDistribution } from './stationary.js';
import { stationaryTransitionStep } from './stationary-step.js';

describe('stationary distribution', () => {
  it('2 states: π = (q, p)/(p + q) for a01 = p, a10 = q', () => {
    const p = 0.1;
    const q = 0.3;
    const pi = stationaryDistribution(Float64Array.from([1 - p, p, q, 1 - q]), 2);
    expect(pi[0]).toBeCloseTo(q / (p + q), 15);
    expect(pi[1]).toBeCloseTo(p / (p + q), 15);
  });

  it('3 states: πA = π, Σπ = 1, with exact zeros', () => {
    const a = Float64Array.from([0.9, 0.1, 0, 0, 0.8, 0.2, 0.5, 0, 0.5]);
    const pi = stationaryDistribution(a, 3);
    for (let j = 0; j < 3; j++) expect(pi[0]! * a[j]! + pi[1]! * a[3 + j]! + pi[2]! * a[6 + j]!).toBeCloseTo(pi[j]!, 14);
    expect(pi.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
  });

  it('an absorbing state takes all the mass; a reducible chain falls back to the long-run occupancy', () => {
    const absorbing = stationaryDistribution(Float64Array.from([0.5, 0.5, 0, 1]), 2);
    expect(absorbing[0]).toBeCloseTo(0, 12);
    expect(absorbing[1]).toBeCloseTo(1, 12);
    const identity = stationaryDistribution(Float64Array.from([1, 0, 0, 1]), 2);
    expect(Array.from(identity)).toEqual([0.5, 0.5]);
  });
});

describe('exact M-step for A under the stationary initial distribution', () => {
  const objective = (a: Float64Array, n: Float64Array, g: Float64Array) => {
    const pi = stationaryDistribution(a, 2);
    let f = 0;
    for (let i = 0; i < 4; i++) if (n[i]! > 0) f += n[i]! * Math.log(a[i]!);
    for (let i = 0; i < 2; i++) if (g[i]! > 0) f += g[i]! * Math.log(pi[i]!);
    return f;
  };
  // few transitions, so the first-state term matters
  const n = Float64Array.from([6, 2, 1, 3]);
  const g = Float64Array.from([0.1, 0.9]);
  const hamilton = Float64Array.from([6 / 8, 2 / 8, 1 / 4, 3 / 4]);

  it('beats Baum–Welch’s row normalisation and is a local maximum on the simplex', () => {
    const a = stationaryTransitionStep(n, g, 2, hamilton, 200);
    const f = objective(a, n, g);
    expect(f).toBeGreaterThan(objective(hamilton, n, g) + 1e-6);
    for (const [p, q] of [[1e-4, 0], [-1e-4, 0], [0, 1e-4], [0, -1e-4]] as const) {
      const b = Float64Array.from([a[0]! - p, a[1]! + p, a[2]! + q, a[3]! - q]);
      expect(objective(b, n, g)).toBeLessThanOrEqual(f + 1e-12);
    }
  });
});
