import { describe, expect, it } from 'vitest';
import { emissions, forward } from './forward.js';
import type { HmmParams } from './params.js';

const normal = (y: number, m: number, v: number) => Math.exp(-((y - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);

/** Brute force over all K^n state paths: p(y_1..y_n) and P(s_t = i | y_1..y_t), no recursion. */
function enumerate(y: number[], p: HmmParams) {
  const k = p.states;
  const joint = (path: number[], upto: number) => {
    let pr = p.initial[path[0]!]! * normal(y[0]!, p.means[path[0]!]!, p.variances[path[0]!]!);
    for (let t = 1; t <= upto; t++) pr *= p.transition[path[t - 1]! * k + path[t]!]! * normal(y[t]!, p.means[path[t]!]!, p.variances[path[t]!]!);
    return pr;
  };
  const paths = (len: number): number[][] => (len === 0 ? [[]] : paths(len - 1).flatMap((q) => Array.from({ length: k }, (_, i) => [...q, i])));
  const filteredAt = (t: number) => {
    const mass = new Array(k).fill(0);
    for (const path of paths(t + 1)) mass[path[t]!] += joint(path, t);
    const s = mass.reduce((a, b) => a + b, 0);
    return mass.map((m) => m / s);
  };
  const total = paths(y.length).reduce((s, path) => s + joint(path, y.length - 1), 0);
  return { ll: Math.log(total), filtered: y.map((_, t) => filteredAt(t)) };
}

describe('scaled forward filter', () => {
  const p: HmmParams = {
    states: 2,
    dims: 1,
    means: Float64Array.from([0.01, -0.02]),
    variances: Float64Array.from([0.0001, 0.0009]),
    transition: Float64Array.from([0.9, 0.1, 0.3, 0.7]),
    initial: Float64Array.from([0.75, 0.25]),
  };
  const y = [0.012, -0.05, 0.003, -0.01, 0.02, -0.031];

  it('equals brute-force enumeration of all paths (likelihood and filtered probabilities)', () => {
    const rows = y.length;
    const b = new Float64Array(rows * 2);
    const shift = new Float64Array(rows);
    const alpha = new Float64Array(rows * 2);
    const scale = new Float64Array(rows);
    emissions(Float64Array.from(y), rows, p, b, shift);
    const ll = forward(b, shift, rows, p, alpha, scale);
    const ref = enumerate(y, p);
    expect(ll).toBeCloseTo(ref.ll, 10);
    for (let t = 0; t < rows; t++) {
      expect(alpha[t * 2]).toBeCloseTo(ref.filtered[t]![0]!, 12);
      expect(alpha[t * 2 + 1]).toBeCloseTo(ref.filtered[t]![1]!, 12);
    }
  });

  it('first step by hand: α_1 ∝ π ⊙ b(y_1)', () => {
    const b = new Float64Array(2);
    const shift = new Float64Array(1);
    const alpha = new Float64Array(2);
    const ll = forward((emissions(Float64Array.from([0.012]), 1, p, b, shift), b), shift, 1, p, alpha, new Float64Array(1));
    const u = 0.75 * normal(0.012, 0.01, 0.0001);
    const v = 0.25 * normal(0.012, -0.02, 0.0009);
    expect(alpha[0]).toBeCloseTo(u / (u + v), 14);
    expect(ll).toBeCloseTo(Math.log(u + v), 12);
  });

  it('survives a 40-sigma move without underflow', () => {
    const b = new Float64Array(4);
    const shift = new Float64Array(2);
    const alpha = new Float64Array(4);
    emissions(Float64Array.from([0.0, 2.0]), 2, p, b, shift);
    const ll = forward(b, shift, 2, p, alpha, new Float64Array(2));
    expect(Number.isFinite(ll)).toBe(true);
    expect(alpha[3]).toBeCloseTo(1, 12); // only the wide state can explain +200 %
  });

  it('allows exact-zero transitions', () => {
    const q: HmmParams = { ...p, transition: Float64Array.from([1, 0, 0.5, 0.5]), initial: Float64Array.from([1, 0]) };
    const rows = 3;
    const b = new Float64Array(rows * 2);
    const shift = new Float64Array(rows);
    const alpha = new Float64Array(rows * 2);
    emissions(Float64Array.from([-0.05, -0.05, -0.05]), rows, q, b, shift);
    const ll = forward(b, shift, rows, q, alpha, new Float64Array(rows));
    expect(Number.isFinite(ll)).toBe(true);
    // state 1 is unreachable from state 0: the filter must keep it at exactly 0 whatever the data say
    expect(alpha[1]).toBe(0);
    expect(alpha[5]).toBe(0);
    expect(ll).toBeCloseTo(3 * Math.log(normal(-0.05, 0.01, 0.0001)), 8);
  });
});
