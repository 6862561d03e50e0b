import { describe, expect, it } from 'vitest';
import { candidateKey, createRng, gridSize, iterateGrid, type Candidate, type Evaluated, type SearchSpace } from '@regimen/core';
import tpe from './index.js';

const grid2: SearchSpace = {
  dimensions: [
    { name: 'fast', kind: 'int', min: 2, max: 60, step: 2 },
    { name: 'slow', kind: 'int', min: 10, max: 300, step: 10 },
    { name: 'side', kind: 'values', values: ['long_only'] },
  ],
  constraints: [(c) => (c.fast as number) < (c.slow as number)],
};
const mixed: SearchSpace = {
  dimensions: [
    { name: 'period', kind: 'int', min: 2, max: 40, step: 1 },
    { name: 'mode', kind: 'values', values: ['a', 'b', 'c'] },
    { name: 'rate', kind: 'float', min: 0.001, max: 1, count: 12, log: true },
    { name: 'cut', kind: 'float', min: -1, max: 1 },
  ],
  constraints: [],
};

const sq = (x: number) => x * x;
/** A smooth landscape with its top at fast = 20, slow = 120 (and regime optima elsewhere). */
const score = (c: Candidate) => -sq(((c.fast as number) - 20) / 20) - sq(((c.slow as number) - 120) / 100);
type RegimeScores = Record<string, Record<string, number>>;
const regimes = (c: Candidate): RegimeScores => ({
  hmm: { bull: -sq(((c.fast as number) - 50) / 20) - sq(((c.slow as number) - 280) / 100), bear: score(c) },
  pattern: { up: (c.fast as number) === 4 ? Number.NaN : -sq(((c.fast as number) - 6) / 20) - sq(((c.slow as number) - 30) / 100) },
});

function run(space: SearchSpace, options: Record<string, unknown>, seed: number, ask = 7, evaluate: (c: Candidate) => Evaluated = (c) => ({ candidate: c, score: score(c), regimes: regimes(c) })): Candidate[] {
  const search = tpe.create(space, tpe.options.parse(options), createRng(seed));
  const asked: Candidate[] = [];
  while (!search.done) {
    const cs = search.ask(ask);
    if (cs.length === 0) break;
    asked.push(...cs);
    search.tell(cs.map(evaluate));
  }
  return asked;
}

describe('tpe optimizer: the conformance checks of an optimizer plugin', () => {
  it('the same seed and tells give byte-identical asks; another seed does not', () => {
    for (const o of [{ trials: 40 }, { trials: 40, multivariate: true }, { trials: 40, regime_aware: false }]) {
      expect(JSON.stringify(run(grid2, o, 11))).toBe(JSON.stringify(run(grid2, o, 11)));
      expect(JSON.stringify(run(grid2, o, 11))).not.toBe(JSON.stringify(run(grid2, o, 12)));
    }
    const f = (c: Candidate) => ({ candidate: c, score: -Math.abs((c.cut as number) - 0.3) - (c.mode === 'b' ? 0 : 1) });
    expect(JSON.stringify(run(mixed, { trials: 40 }, 5, 3, f))).toBe(JSON.stringify(run(mixed, { trials: 40 }, 5, 3, f)));
  });

  it('asks do not depend on how many the caller asks for (the pool size): batches are capped by `batch`', () => {
    const a = run(grid2, { trials: 80, batch: 8 }, 3, 256);
    const b = run(grid2, { trials: 80, batch: 8 }, 3, 10_000);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('every ask is inside the space and its constraints, and no point is asked twice', () => {
    for (const [space, o] of [[grid2, { trials: 100 }], [grid2, { trials: 100, multivariate: true, batch: 32 }], [mixed, { trials: 100 }]] as const) {
      const asked = run(space, o, 9, 16, (c) => ({ candidate: c, score: Number(c.period ?? c.fast) }));
      expect(asked.length).toBe(100);
      expect(new Set(asked.map(candidateKey)).size).toBe(asked.length);
      for (const c of asked) {
        expect(space.constraints.every((ok) => ok(c))).toBe(true);
        for (const d of space.dimensions) {
          const v = c[d.name]!;
          if (d.kind === 'values') expect(d.values).toContain(v);
          else if (d.kind === 'int') expect(Number.isInteger(((v as number) - d.min) / d.step) && (v as number) >= d.min && (v as number) <= d.max).toBe(true);
          else expect((v as number) >= d.min && (v as number) <= d.max).toBe(true);
        }
      }
      const rates = new Set([...iterateGrid({ dimensions: [mixed.dimensions[2]!], constraints: [] })].map((c) => c.rate));
      if (space === mixed) for (const c of asked) expect(rates.has(c.rate)).toBe(true);
    }
  });

  it('a log-uniform int range is searched in log space (Optuna\'s log int): its start-up draws favour small values', () => {
    const logInt: SearchSpace = { dimensions: [{ name: 'lookback', kind: 'int', min: 2, max: 1000, step: 1, log: true }], constraints: [] };
    const asked = run(logInt, { trials: 60, startup_trials: 60 }, 3, 16, (c) => ({ candidate: c, score: 0 }));
    expect(asked.every((c) => Number.isInteger(c.lookback) && (c.lookback as number) >= 2 && (c.lookback as number) <= 1000)).toBe(true);
    // log-uniform: about half the draws under √(2·1000) ≈ 45; a linear draw would put ~4 % there
    expect(asked.filter((c) => (c.lookback as number) < 45).length).toBeGreaterThan(15);
  });

  it('failed tells (NaN) are left out of the model, never asked again, and the search goes on', () => {
    const failing = (c: Candidate): Evaluated => ({ candidate: c, score: (c.fast as number) % 4 === 0 ? Number.NaN : score(c) });
    const asked = run(grid2, { trials: 120 }, 4, 5, failing);
    expect(asked.length).toBe(120);
    expect(new Set(asked.map(candidateKey)).size).toBe(120);
    const search = tpe.create(grid2, tpe.options.parse({ trials: 30, batch: 30 }), createRng(1));
    const all = search.ask(30);
    search.tell(all.map((c) => ({ candidate: c, score: Number.NaN })));
    expect(search.done).toBe(true);
  });

  it('is done when a small space is exhausted: every admissible point asked once, then nothing', () => {
    const small: SearchSpace = { dimensions: [{ name: 'fast', kind: 'int', min: 1, max: 6, step: 1 }, { name: 'slow', kind: 'values', values: [3, 5, 8] }], constraints: [(c) => (c.fast as number) < (c.slow as number)] };
    const admissible = [...iterateGrid(small)].map(candidateKey).sort();
    const search = tpe.create(small, tpe.options.parse({ trials: 1000, startup_trials: 3 }), createRng(2));
    expect(search.estimate()).toBe(gridSize(small));
    const asked: string[] = [];
    while (!search.done) {
      const cs = search.ask(2);
      if (!cs.length) break;
      asked.push(...cs.map(candidateKey));
      search.tell(cs.map((c) => ({ candidate: c, score: (c.fast as number) - (c.slow as number) })));
    }
    expect(asked.sort()).toEqual(admissible);
    expect(search.done).toBe(true);
    expect(search.ask(5)).toEqual([]);
  });
});

describe('tpe optimizer: the model earns its keep', () => {
  const bestOf = (asked: Candidate[], f: (c: Candidate) => number) => Math.max(...asked.map(f));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

  it('finds the top of a peaked landscape more often than its own start-up (uniform) draws do at the same budget', () => {
    const peak = (c: Candidate) => -Math.abs((c.fast as number) - 22) - Math.abs((c.slow as number) - 170) / 10;
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const tpeBest = seeds.map((s) => bestOf(run(grid2, { trials: 40, regime_aware: false }, s, 1, (c) => ({ candidate: c, score: peak(c) })), peak));
    const randomBest = seeds.map((s) => bestOf(run(grid2, { trials: 40, startup_trials: 1000 }, s, 1, (c) => ({ candidate: c, score: peak(c) })), peak));
    expect(tpeBest.filter((x) => x === 0).length).toBeGreaterThan(randomBest.filter((x) => x === 0).length);
    expect(median(tpeBest)).toBeGreaterThan(median(randomBest));
  });

  it('regime-aware: asks take turns over the regimes, so each regime finds its own top', () => {
    const search = tpe.create(grid2, tpe.options.parse({ trials: 1 }), createRng(1));
    search.tell([{ candidate: { fast: 2, slow: 10, side: 'long_only' }, score: 0, regimes: regimes({ fast: 2, slow: 10 }) }]);
    expect((search as unknown as { targets: string[] }).targets).toEqual(['hmm.bull', 'hmm.bear', 'pattern.up']);
    const seeds = [1, 2, 3, 4, 5, 6, 7];
    const gaps = { aware: [] as number[], plain: [] as number[] };
    for (const s of seeds) {
      for (const [name, o] of [['aware', { trials: 70 }], ['plain', { trials: 70, regime_aware: false }]] as const) {
        const asked = run(grid2, o, s, 1);
        // the worst regime's shortfall from its best possible score
        const worst = Math.min(...(['bull', 'bear'] as const).map((r) => bestOf(asked, (c) => regimes(c).hmm![r]!) - 0), bestOf(asked, (c) => regimes(c).pattern!.up! || -Infinity));
        gaps[name].push(worst);
      }
    }
    expect(median(gaps.aware)).toBeGreaterThan(median(gaps.plain));
  });
});
