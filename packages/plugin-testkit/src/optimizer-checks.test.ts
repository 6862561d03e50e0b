import { describe, expect, it } from 'vitest';
import { candidateKey, gridSize, iterateGrid, PLUGIN_API_VERSION, regimenError, type Candidate, type OptimizerPlugin, type Search, type SearchSpace } from '@regimen/core';
import { z } from 'zod';
import {
  admissiblePoints,
  checkOptimizerAsks,
  checkOptimizerDeterminism,
  checkOptimizerExhaustion,
  checkOptimizerRefusesOrSearches,
  outsideSpace,
  OPTIMIZER_SPACES,
} from './optimizer-checks.js';

/** An optimizer whose search is `make(space)`: each broken one below breaks exactly one rule. */
function optimizer(make: (space: SearchSpace) => Search): OptimizerPlugin {
  return { kind: 'optimizer', name: 'probe', apiVersion: PLUGIN_API_VERSION, options: z.object({}).strict(), create: (space) => make(space) };
}

/** A correct search over a candidate list, with hooks to break it. */
function listSearch(all: Candidate[], o: { onTell?: (score: number) => void; doneNever?: boolean } = {}): Search {
  let i = 0;
  return {
    ask: (n) => all.slice(i, (i = Math.min(all.length, i + n))),
    tell: (rs) => rs.forEach((r) => o.onTell?.(r.score)),
    get done() {
      return !o.doneNever && i >= all.length;
    },
    estimate: () => all.length,
  };
}

const discrete = OPTIMIZER_SPACES.discrete;

describe('optimizer checks', () => {
  it('count the admissible points of a space independently of core', () => {
    // fast ∈ {2..10 by 2}, slow ∈ {4..20 by 4}, fast < slow: 1 + 3 + 5 + 5 + 5 = 19 pairs, × 2 modes
    expect(admissiblePoints(discrete.space())).toHaveLength(38);
    expect(admissiblePoints(discrete.space()).map(candidateKey).sort()).toEqual([...iterateGrid(discrete.space())].map(candidateKey).sort());
    expect(gridSize(OPTIMIZER_SPACES.floats.space())).toBe(15);
    expect(admissiblePoints(OPTIMIZER_SPACES.tiny.space())).toHaveLength(3);
    expect(admissiblePoints(OPTIMIZER_SPACES.empty.space())).toHaveLength(0);
  });

  it('say why a candidate is outside its space', () => {
    const s = discrete.space();
    expect(outsideSpace(s, { fast: 2, slow: 4, mode: 'trend' })).toBeUndefined();
    expect(outsideSpace(s, { fast: 3, slow: 4, mode: 'trend' })).toMatch(/fast = 3 is not min \+ k·step/);
    expect(outsideSpace(s, { fast: 12, slow: 4, mode: 'trend' })).toMatch(/outside \[2, 10\]/);
    expect(outsideSpace(s, { fast: 8, slow: 4, mode: 'trend' })).toMatch(/fails constraint 1/);
    expect(outsideSpace(s, { fast: 2, slow: 4, mode: 'x' })).toMatch(/not one of/);
    expect(outsideSpace(s, { fast: 2, slow: 4 })).toMatch(/no value for mode/);
    expect(outsideSpace(s, { fast: 2, slow: 4, mode: 'trend', extra: 1 })).toMatch(/keys outside/);
    const f = OPTIMIZER_SPACES.floats.space();
    expect(outsideSpace(f, { x: 0.75, y: 10 })).toBeUndefined();
    expect(outsideSpace(f, { x: 0.7, y: 10 })).toMatch(/not a point of its grid/);
    const w = OPTIMIZER_SPACES.weights.space();
    expect(outsideSpace(w, { strategy_1: 0.5, strategy_2: 0.3, strategy_3: 0.2 })).toBeUndefined();
    expect(outsideSpace(w, { strategy_1: 0.5, strategy_2: 0.45, strategy_3: 0.05 })).toMatch(/below min_weight/);
    expect(outsideSpace(w, { strategy_1: 0.5, strategy_2: 0.3, strategy_3: 0.3 })).toMatch(/sum to 1\.1/);
  });

  it('pass a correct search and count what it asked', () => {
    const r = checkOptimizerAsks(optimizer((s) => listSearch([...iterateGrid(s)])), discrete.space(), {});
    expect(r.message).toBeUndefined();
    expect(r.asked).toBe(38);
  });

  it('catch an ask outside the space, a repeated ask, and too many candidates per ask', () => {
    const outside = optimizer(() => listSearch([{ fast: 2, slow: 4, mode: 'trend' }, { fast: 10, slow: 4, mode: 'trend' }]));
    expect(checkOptimizerAsks(outside, discrete.space(), {}).message).toMatch(/asked .*"fast":10.* which fails constraint 1/);
    const twice = optimizer(() => listSearch([{ fast: 2, slow: 4, mode: 'trend' }, { fast: 2, slow: 4, mode: 'trend' }]));
    expect(checkOptimizerAsks(twice, discrete.space(), {}).message).toMatch(/twice/);
    const greedy = optimizer((s) => {
      const inner = listSearch([...iterateGrid(s)]);
      return { ...inner, ask: (n) => inner.ask(n + 1), get done() { return inner.done; } };
    });
    expect(checkOptimizerAsks(greedy, discrete.space(), {}).message).toMatch(/ask\(5\) returned 6/);
  });

  it('catch a search that stalls, one that never ends, and one that throws on a failed trial', () => {
    const stalls = optimizer((s) => listSearch([...iterateGrid(s)], { doneNever: true }));
    expect(checkOptimizerAsks(stalls, discrete.space(), {}).message).toMatch(/returned nothing .* done is false/);
    let k = 0;
    const endless = optimizer(() => ({ ask: (n) => Array.from({ length: n }, () => ({ fast: 2, slow: 4, mode: `m${k++}` })), tell() {}, done: false, estimate: () => undefined }));
    const endlessSpace: SearchSpace = { dimensions: [{ name: 'fast', kind: 'int', min: 2, max: 2, step: 1 }, { name: 'slow', kind: 'int', min: 4, max: 4, step: 1 }, { name: 'mode', kind: 'values', values: Array.from({ length: 200 }, (_, i) => `m${i}`) }], constraints: [] };
    expect(checkOptimizerAsks(endless, endlessSpace, {}, { maxAsked: 100 }).message).toMatch(/still not done after 10\d candidates/);
    const fragile = optimizer((s) => listSearch([...iterateGrid(s)], { onTell: (score) => { if (Number.isNaN(score)) throw new Error('NaN score'); } }));
    expect(checkOptimizerAsks(fragile, discrete.space(), {}).message).toBeUndefined();
    expect(checkOptimizerAsks(fragile, discrete.space(), {}, { failRate: 0.3 }).message).toMatch(/tell\(\) of 10 results \(\d failed, score NaN\) threw: NaN score/);
  });

  it('catch asks that depend on something other than the seed', () => {
    let runs = 0;
    const drifting = optimizer((s) => {
      const all = [...iterateGrid(s)];
      if (runs++ % 2) all.reverse();
      return listSearch(all);
    });
    expect(checkOptimizerDeterminism(drifting, discrete.space, {}).message).toMatch(/seed 7: ask 1 gave/);
  });

  it('catch a search that asks more than the admissible points, and accept a refusal only as a Regimen error', () => {
    const fine = optimizer((s) => listSearch([...iterateGrid(s)]));
    expect(checkOptimizerExhaustion(fine, OPTIMIZER_SPACES.tiny.space, {})).toEqual({ ok: true, asked: 3, admissible: 3 });
    const refuses = optimizer(() => {
      throw regimenError({ code: 'plugin', message: 'no continuous ranges' });
    });
    expect(checkOptimizerRefusesOrSearches(refuses, OPTIMIZER_SPACES.continuous.space(), {})).toMatchObject({ ok: true, refused: 'no continuous ranges' });
    const crashes = optimizer(() => {
      throw new TypeError('x is undefined');
    });
    expect(checkOptimizerRefusesOrSearches(crashes, OPTIMIZER_SPACES.continuous.space(), {}).message).toMatch(/threw x is undefined/);
  });
});
