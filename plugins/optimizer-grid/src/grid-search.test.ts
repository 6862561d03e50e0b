import { describe, expect, it } from 'vitest';
import { assertPlugin, candidateKey, createRng, parsePluginOptions, type Candidate, type Search, type SearchSpace } from '@regimen/core';
import plugin, { gridOptimizer } from './index.js';

const ints = (name: string, min: number, max: number) => ({ name, kind: 'int' as const, min, max, step: 1 });
const lt = (a: string, b: string) => (c: Candidate) => (c[a] as number) < (c[b] as number);

function drain(s: Search, batch = 7): Candidate[] {
  const out: Candidate[] = [];
  while (!s.done) {
    const got = s.ask(batch);
    s.tell(got.map((candidate) => ({ candidate, score: 0 })));
    out.push(...got);
  }
  return out;
}

describe('grid optimizer plugin', () => {
  it('is a valid plugin with strict options', () => {
    expect(assertPlugin(plugin, 'test').name).toBe('grid');
    expect(parsePluginOptions(gridOptimizer(), { sample: 5 })).toEqual({ sample: 5 });
    expect(() => parsePluginOptions(gridOptimizer(), { samples: 5 })).toThrow(/plugin "grid"/);
  });

  it('asks every admissible point once, in grid order, in batches', () => {
    const space: SearchSpace = { dimensions: [ints('fast', 1, 4), ints('slow', 1, 4)], constraints: [lt('fast', 'slow')] };
    const s = plugin.create(space, {}, createRng(1));
    expect(s.estimate()).toBe(16);
    const got = drain(s, 4);
    expect(got).toEqual([
      { fast: 1, slow: 2 }, { fast: 1, slow: 3 }, { fast: 1, slow: 4 },
      { fast: 2, slow: 3 }, { fast: 2, slow: 4 }, { fast: 3, slow: 4 },
    ]);
    expect(s.ask(3)).toEqual([]);
  });

  it('is done at once when constraints leave nothing', () => {
    const s = plugin.create({ dimensions: [ints('a', 1, 3)], constraints: [(c) => (c.a as number) > 9] }, {}, createRng(1));
    expect(s.done).toBe(true);
    expect(s.ask(10)).toEqual([]);
  });

  it('samples a seeded subset without duplicates, replacing points that fail constraints', () => {
    const space: SearchSpace = { dimensions: [ints('a', 1, 100), ints('b', 1, 100), ints('c', 1, 1000)], constraints: [lt('a', 'b')] };
    const run = (seed: number) => drain(plugin.create(space, { sample: 500 }, createRng(seed)), 64);
    const t0 = performance.now();
    const a = run(7);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(a).toHaveLength(500);
    expect(new Set(a.map(candidateKey)).size).toBe(500);
    expect(a.every(lt('a', 'b'))).toBe(true);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
    expect(plugin.create(space, { sample: 500 }, createRng(7)).estimate()).toBe(500);
  });

  it('a sample larger than the admissible set returns each admissible point once', () => {
    const space: SearchSpace = { dimensions: [ints('fast', 1, 5), ints('slow', 1, 5)], constraints: [lt('fast', 'slow')] };
    const got = drain(plugin.create(space, { sample: 100 }, createRng(3)));
    expect(got).toHaveLength(10);
    expect(new Set(got.map(candidateKey)).size).toBe(10);
  });

  it("normalises and dedupes a simplex grid: the seed's weights give 5 points", () => {
    const w = (name: string) => ({ name, kind: 'values' as const, values: [0, 0.5, 1] });
    const space: SearchSpace = { dimensions: [w('s1'), w('s2')], constraints: [], simplex: { min_weight: 0 } };
    const full = drain(plugin.create(space, {}, createRng(1)));
    // grid order (0,.5)→(0,1), (.5,0)→(1,0), (.5,.5), (.5,1)→(⅓,⅔), (1,.5)→(⅔,⅓); weights are multiples of 1e-6
    expect(full.map((c) => c.s1)).toEqual([0, 1, 0.5, 0.333333, 0.666667]);
    expect(full).toHaveLength(5);
    for (const c of full) expect((c.s1 as number) + (c.s2 as number)).toBe(1);
    const sampled = drain(plugin.create(space, { sample: 50 }, createRng(1)));
    expect(sampled.map(candidateKey).sort()).toEqual(full.map(candidateKey).sort());
  });

  it('refuses continuous dimensions', () => {
    expect(() => plugin.create({ dimensions: [{ name: 'x', kind: 'float', min: 0, max: 1 }], constraints: [] }, {}, createRng(1))).toThrow(/continuous/);
  });
});
