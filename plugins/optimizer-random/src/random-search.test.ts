import { describe, expect, it } from 'vitest';
import { assertPlugin, candidateKey, createRng, parsePluginOptions, type Candidate, type Dimension, type Search, type SearchSpace } from '@regimen/core';
import plugin, { randomOptimizer, type RandomOptions } from './index.js';

const ints = (name: string, min: number, max: number): Dimension => ({ name, kind: 'int', min, max, step: 1 });
const lt = (a: string, b: string) => (c: Candidate) => (c[a] as number) < (c[b] as number);
const opts = (o: Partial<RandomOptions> = {}): RandomOptions => parsePluginOptions(randomOptimizer(), o);

function drain(s: Search, batch: number, limit = Infinity): Candidate[] {
  const out: Candidate[] = [];
  while (!s.done && out.length < limit) {
    const got = s.ask(Math.min(batch, limit - out.length));
    s.tell(got.map((candidate, i) => ({ candidate, score: i })));
    out.push(...got);
  }
  return out;
}

// a space of every kind of dimension: int, stepped float, categorical, log int, continuous, log continuous
const mixed: SearchSpace = {
  dimensions: [
    ints('fast', 2, 60),
    ints('slow', 10, 250),
    { name: 'band', kind: 'float', min: 0, max: 0.05, step: 0.005 },
    { name: 'kind', kind: 'values', values: ['ema', 'sma', 'wma'] },
    { name: 'lookback', kind: 'int', min: 2, max: 500, step: 1, log: true },
    { name: 'threshold', kind: 'float', min: -1, max: 1 },
    { name: 'lr', kind: 'float', min: 1e-4, max: 1, log: true },
    { name: 'side', kind: 'values', values: ['long_only'] },
  ],
  constraints: [lt('fast', 'slow')],
};

describe('random optimizer plugin', () => {
  it('is a valid plugin with strict options and defaults', () => {
    expect(assertPlugin(plugin, 'test').name).toBe('random');
    expect(opts()).toEqual({ sampler: 'uniform', max_attempts: 10_000 });
    expect(() => parsePluginOptions(randomOptimizer(), { sampler: 'lattice' })).toThrow(/plugin "random"/);
  });

  for (const sampler of ['uniform', 'sobol', 'halton'] as const) {
    it(`${sampler}: every dimension kind within bounds, constraints held, no repeats, same trials for any batch size, seeded`, () => {
      const run = (seed: number, batch: number) => drain(plugin.create(mixed, opts({ sampler }), createRng(seed)), batch, 600);
      const a = run(7, 64);
      expect(a).toHaveLength(600);
      expect(run(7, 1)).toEqual(a);
      expect(run(7, 37)).toEqual(a);
      expect(run(8, 64)).not.toEqual(a);
      expect(new Set(a.map(candidateKey)).size).toBe(600);
      for (const c of a) {
        expect(c.fast).toBeLessThan(c.slow as number);
        expect(Number.isInteger(c.fast) && Number.isInteger(c.slow) && Number.isInteger(c.lookback)).toBe(true);
        expect(c.lookback).toBeGreaterThanOrEqual(2);
        expect(c.lookback).toBeLessThanOrEqual(500);
        expect(Math.round((c.band as number) / 0.005) * 0.005).toBeCloseTo(c.band as number, 12);
        expect(['ema', 'sma', 'wma']).toContain(c.kind);
        expect(Math.abs(c.threshold as number)).toBeLessThanOrEqual(1);
        expect(c.lr).toBeGreaterThanOrEqual(1e-4);
        expect(c.lr).toBeLessThanOrEqual(1);
        expect(c.side).toBe('long_only');
        expect(Object.keys(c)).toEqual(mixed.dimensions.map((d) => d.name));
      }
      // log dimensions are log-uniform: about half the draws below the geometric midpoint
      const below = (k: string, mid: number) => a.filter((c) => (c[k] as number) < mid).length / a.length;
      expect(below('lr', 1e-2)).toBeGreaterThan(0.4);
      expect(below('lr', 1e-2)).toBeLessThan(0.6);
      expect(below('lookback', Math.sqrt(2 * 500))).toBeGreaterThan(0.4);
      expect(below('lookback', Math.sqrt(2 * 500))).toBeLessThan(0.6);
      expect(below('threshold', 0)).toBeGreaterThan(0.4);
      expect(below('threshold', 0)).toBeLessThan(0.6);
    });

    it(`${sampler}: a finite space is exhausted — each admissible point once, then done`, () => {
      const space: SearchSpace = { dimensions: [ints('fast', 1, 12), ints('slow', 1, 12), { name: 'side', kind: 'values', values: ['long_only', 'long_short'] }], constraints: [lt('fast', 'slow')] };
      const s = plugin.create(space, opts({ sampler, max_attempts: 50 }), createRng(3));
      expect(s.estimate()).toBe(288);
      const got = drain(s, 10);
      expect(got).toHaveLength(66 * 2);
      expect(new Set(got.map(candidateKey)).size).toBe(132);
      expect(s.ask(5)).toEqual([]);
    });
  }

  it('sobol covers a grid more evenly than uniform draws: fewer empty cells for the same trials', () => {
    const space: SearchSpace = { dimensions: [{ name: 'x', kind: 'float', min: 0, max: 1 }, { name: 'y', kind: 'float', min: 0, max: 1 }], constraints: [] };
    const empty = (sampler: RandomOptions['sampler']) => {
      const pts = drain(plugin.create(space, opts({ sampler }), createRng(11)), 64, 256);
      const cells = new Set(pts.map((c) => `${Math.floor((c.x as number) * 16)},${Math.floor((c.y as number) * 16)}`));
      return 256 - cells.size;
    };
    // 256 points on 16 × 16 cells: a (0, m, 2)-net fills every cell; independent draws leave ≈ 256/e empty
    expect(empty('sobol')).toBe(0);
    expect(empty('uniform')).toBeGreaterThan(60);
  });

  it('a continuous space whose constraints leave too little is one clear error', () => {
    const space: SearchSpace = { dimensions: [{ name: 'x', kind: 'float', min: 0, max: 1 }], constraints: [(c) => (c.x as number) > 0.9999999] };
    const s = plugin.create(space, opts({ max_attempts: 1000 }), createRng(1));
    expect(() => s.ask(1)).toThrow(/feasible region is too small/);
  });

  it('continuous spaces are endless (a budget stops them); finite estimates are the grid size', () => {
    expect(plugin.create(mixed, opts(), createRng(1)).estimate()).toBeUndefined();
    const s = plugin.create({ dimensions: [ints('a', 1, 5)], constraints: [] }, opts(), createRng(1));
    expect(s.estimate()).toBe(5);
  });

  it('samples weight (simplex) spaces without repeats', () => {
    const w = (name: string): Dimension => ({ name, kind: 'values', values: [0, 0.5, 1] });
    const space: SearchSpace = { dimensions: [w('s1'), w('s2')], constraints: [], simplex: { min_weight: 0 } };
    const got = drain(plugin.create(space, opts({ max_attempts: 20 }), createRng(2)), 3);
    expect(got.map(candidateKey).sort()).toHaveLength(5);
    for (const c of got) expect((c.s1 as number) + (c.s2 as number)).toBe(1);
  });
});
