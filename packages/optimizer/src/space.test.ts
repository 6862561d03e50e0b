import { describe, expect, it } from 'vitest';
import { formatError, isContinuous, isRegimenError, iterateGrid, gridSize, type Candidate } from '@regimen/core';
import { assertSatisfiable, buildSearchSpace, estimateTrials, weightSpace } from './index.js';

const take = <T>(it: Iterable<T>, n: number): T[] => {
  const out: T[] = [];
  for (const x of it) {
    if (out.length >= n) break;
    out.push(x);
  }
  return out;
};
const configError = (f: () => unknown): { field?: string; message: string; line: string } => {
  try {
    f();
  } catch (e) {
    if (!isRegimenError(e) || e.code !== 'config') throw e;
    return { field: e.field, message: e.message, line: formatError(e) };
  }
  throw new Error('expected a config error');
};

describe('buildSearchSpace', () => {
  it('enumerates float steps without drift (0.1 steps give 0.3, not 0.30000000000000004)', () => {
    const s = buildSearchSpace({ x: { min: 0, max: 1, step: 0.1 } });
    expect(s.dimensions[0]!.kind).toBe('float');
    expect([...iterateGrid(s)].map((c) => c.x)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    const t = buildSearchSpace({ x: { min: 0.005, max: 0.025, step: 0.005 } });
    expect([...iterateGrid(t)].map((c) => c.x)).toEqual([0.005, 0.01, 0.015, 0.02, 0.025]);
  });
  it('infers int ranges, dedupes lists in first-occurrence order, and keeps scalars and fixed params constant', () => {
    const s = buildSearchSpace({ lookback: { min: 10, max: 50, step: 10 }, kind: ['ema', 'sma', 'ema'], n: [3, 1, 3, 2, 1], z: 7 }, { fixed: { side: 'long', z: 9 } });
    expect(s.dimensions.map((d) => [d.name, d.kind])).toEqual([['lookback', 'int'], ['kind', 'values'], ['n', 'values'], ['side', 'values'], ['z', 'values']]);
    expect(s.dimensions[2]).toMatchObject({ values: [3, 1, 2] });
    expect(gridSize(s)).toBe(5 * 2 * 3);
    const first = iterateGrid(s).next().value as Candidate;
    expect(first).toEqual({ lookback: 10, kind: 'ema', n: 3, side: 'long', z: 9 });
  });
  it('builds log ranges by count, rounding and deduplicating int ones', () => {
    const f = buildSearchSpace({ lr: { min: 0.001, max: 1, count: 4, log: true } });
    expect([...iterateGrid(f)].map((c) => c.lr)).toEqual([0.001, 0.01, 0.1, 1]);
    const i = buildSearchSpace({ n: { min: 1, max: 4, count: 7, log: true, type: 'int' } });
    // 4^(k/6) for k = 0..6 = 1, 1.26, 1.59, 2, 2.52, 3.17, 4 → rounded 1, 1, 2, 2, 3, 3, 4
    expect([...iterateGrid(i)].map((c) => c.n)).toEqual([1, 2, 3, 4]);
  });
  it('builds continuous and log-uniform int ranges when a range says so (type: float, log: true)', () => {
    const s = buildSearchSpace({ x: { min: -1, max: 1, type: 'float' }, lr: { min: 0.001, max: 1, log: true }, n: { min: 5, max: 500, log: true } });
    expect(s.dimensions).toEqual([
      { name: 'x', kind: 'float', min: -1, max: 1 },
      { name: 'lr', kind: 'float', min: 0.001, max: 1, log: true },
      { name: 'n', kind: 'int', min: 5, max: 500, step: 1, log: true },
    ]);
    expect(s.dimensions.map(isContinuous)).toEqual([true, true, false]);
    expect(configError(() => buildSearchSpace({ x: { min: 0, max: 10, log: true } })).message).toMatch(/min > 0/);
    expect(configError(() => buildSearchSpace({ x: { min: 1, max: 10 } })).message).toMatch(/step or count/);
  });
  it('rejects ranges it cannot enumerate with one config line', () => {
    expect(configError(() => buildSearchSpace({ x: { min: 1, max: 10, step: 1, log: true } }, { where: 'workflow.strategies.s' })).field).toBe('workflow.strategies.s.parameter_space.x');
    expect(configError(() => buildSearchSpace({ x: { min: 0.5, max: 10, step: 1, type: 'int' } })).message).toMatch(/whole/);
  });
});

describe('lazy grids with constraints', () => {
  it('sizes a 10^7-point space instantly and iterates its first 1000 admissible points lazily', () => {
    const t0 = performance.now();
    const s = buildSearchSpace({ fast: { min: 1, max: 100, step: 1 }, slow: { min: 1, max: 100, step: 1 }, c: { min: 1, max: 1000, step: 1 } }, { constraints: ['fast < slow'] });
    expect(gridSize(s)).toBe(1e7);
    expect(estimateTrials(s)).toBe(1e7);
    const first = take(iterateGrid(s), 1000);
    expect(performance.now() - t0).toBeLessThan(500);
    // (1,1,·) fails fast < slow; the first 1000 admissible points are fast=1, slow=2, c=1..1000
    expect(first[0]).toEqual({ fast: 1, slow: 2, c: 1 });
    expect(first[999]).toEqual({ fast: 1, slow: 2, c: 1000 });
    expect(first.every((c) => (c.fast as number) < (c.slow as number))).toBe(true);
  });
  it('reports a constraint syntax error or unknown parameter as one config line naming the field', () => {
    const syntax = configError(() => buildSearchSpace({ fast: [1], slow: [2] }, { constraints: ['fast < slow', 'fast <'], where: 'workflow.strategies.trend' }));
    expect(syntax.field).toBe('workflow.strategies.trend.constraints[1]');
    expect(syntax.message).toMatch(/syntax error/);
    const unknown = configError(() => buildSearchSpace({ fast: [1], slow: [2] }, { constraints: ['fats < slow'] }));
    expect(unknown.message).toMatch(/unknown parameter "fats"/);
    expect(unknown.line).not.toMatch(/\n/);
    expect(configError(() => buildSearchSpace({ a: [1] }, { constraints: ['a.b > 1'] })).message).toMatch(/unsupported syntax/);
  });
  it('evaluates arithmetic, logic and string comparisons in constraints', () => {
    const s = buildSearchSpace({ a: [1, 2, 3], b: [2, 4], k: ['x', 'y'] }, { constraints: ['(a * 2 <= b || a % 3 == 0) && !(k != "x")'] });
    expect([...iterateGrid(s)]).toEqual([
      { a: 1, b: 2, k: 'x' },
      { a: 1, b: 4, k: 'x' },
      { a: 2, b: 4, k: 'x' },
      { a: 3, b: 2, k: 'x' },
      { a: 3, b: 4, k: 'x' },
    ]);
  });
  it('an empty space after constraints iterates to nothing and is a config error before any trial runs', () => {
    const s = buildSearchSpace({ a: [1, 2], b: [1, 2] }, { constraints: ['a > 5'] });
    expect([...iterateGrid(s)]).toEqual([]);
    expect(configError(() => assertSatisfiable(s, 'workflow.strategies.s.constraints')).message).toMatch(/no parameter set satisfies/);
    expect(() => assertSatisfiable(buildSearchSpace({ a: [1, 2] }, { constraints: ['a > 1'] }))).not.toThrow();
  });
});

describe('weightSpace', () => {
  const sum = (c: Candidate) => Object.values(c).reduce<number>((a, b) => a + (b as number), 0);
  it("normalises the seed's [0, 0.5, 1]² grid to its 5 distinct points, all-zero dropped", () => {
    const s = weightSpace(['s1', 's2'], { values: { s1: [0, 0.5, 1], s2: [0, 0.5, 1] }, sum_to_one: true, min_weight: 0 });
    expect(s.simplex).toEqual({ min_weight: 0 });
    const pts = [...iterateGrid(s)];
    // raw grid order: (0,.5)→(0,1), (.5,0)→(1,0), (.5,.5), (.5,1)→(⅓,⅔), (1,.5)→(⅔,⅓); the rest repeat
    const expected = [[0, 1], [1, 0], [0.5, 0.5], [1 / 3, 2 / 3], [2 / 3, 1 / 3]];
    expect(pts).toHaveLength(5);
    pts.forEach((p, i) => {
      expect(p.s1).toBeCloseTo(expected[i]![0]!, 6);
      expect(p.s2).toBeCloseTo(expected[i]![1]!, 6);
      expect(sum(p)).toBe(1);
    });
  });
  it('drops points under min_weight after normalisation', () => {
    const s = weightSpace(['s1', 's2'], { values: { s1: [0, 0.5, 1], s2: [0, 0.5, 1] }, sum_to_one: true, min_weight: 0.25 });
    const pts = [...iterateGrid(s)];
    expect(pts).toHaveLength(3);
    for (const p of pts) for (const w of Object.values(p)) expect(w).toBeGreaterThanOrEqual(0.25);
  });
  it('uses listed weights as they are without sum_to_one, and rejects impossible constraints', () => {
    const s = weightSpace(['a', 'b'], { values: { a: [0, 0.5], b: [0.5, 1] }, sum_to_one: false, min_weight: 0.1 });
    expect([...iterateGrid(s)]).toEqual([{ a: 0.5, b: 0.5 }, { a: 0.5, b: 1 }]);
    expect(configError(() => weightSpace(['a', 'b', 'c'], { sum_to_one: true, min_weight: 0.4 })).message).toMatch(/exceeds 1/);
    expect(configError(() => weightSpace(['a'], { values: { b: [1] }, sum_to_one: true, min_weight: 0 })).message).toMatch(/not a strategy/);
    expect(configError(() => weightSpace(['a'], { values: { a: [-1, 1] }, sum_to_one: true, min_weight: 0 })).message).toMatch(/>= 0/);
  });
});
