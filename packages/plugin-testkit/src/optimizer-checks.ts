import { candidateKey, createRng, dimensionSize, dimensionValue, hash32, isRegimenError, parsePluginOptions, type Candidate, type Dimension, type OptimizerPlugin, type Search, type SearchSpace } from '@regimen/core';
import type { CheckResult } from './checks.js';

/**
 * Checks of an optimizer plugin (ask/tell, DESIGN §6), each a plain function returning
 * { ok, message? }. A search is driven the way the coordinator drives one: ask a batch, evaluate,
 * tell every result (a failed trial's score is NaN), until `done` — so a search that passes here
 * neither stalls nor asks outside its space in a workflow.
 */

/** A test space and, when it is finite, how many admissible points it has (counted here by brute force). */
export interface OptimizerTestSpace {
  name: string;
  space: () => SearchSpace;
}

const int = (name: string, min: number, max: number, step = 1): Dimension => ({ name, kind: 'int', min, max, step });

/**
 * The kit's spaces: the shapes a workflow gives an optimizer. Constraints are functions, so each is
 * made fresh per search.
 */
export const OPTIMIZER_SPACES: Record<'discrete' | 'floats' | 'tiny' | 'empty' | 'weights' | 'continuous', OptimizerTestSpace> = {
  // parameter discovery: integer ranges with a constraint, plus a categorical dimension (5·5·2 = 50, 38 admissible)
  discrete: {
    name: 'discrete',
    space: () => ({
      dimensions: [int('fast', 2, 10, 2), int('slow', 4, 20, 4), { name: 'mode', kind: 'values', values: ['trend', 'revert'] }],
      constraints: [(c) => (c.fast as number) < (c.slow as number)],
    }),
  },
  // float grids by step and by log-spaced count (5·3 = 15 points)
  floats: {
    name: 'floats',
    space: () => ({
      dimensions: [{ name: 'x', kind: 'float', min: 0, max: 1, step: 0.25 }, { name: 'y', kind: 'float', min: 1, max: 100, count: 3, log: true }],
      constraints: [],
    }),
  },
  // fewer admissible points than any population: the search must stop once it has asked them all
  tiny: {
    name: 'tiny',
    space: () => ({ dimensions: [int('a', 1, 3), int('b', 1, 3)], constraints: [(c) => c.a === c.b] }),
  },
  // constraints reject every point: done at once, nothing asked
  empty: {
    name: 'empty',
    space: () => ({ dimensions: [int('a', 1, 5)], constraints: [(c) => (c.a as number) > 99] }),
  },
  // ensemble weights: each ≥ min_weight, summing to 1
  weights: {
    name: 'weights',
    space: () => ({
      dimensions: ['strategy_1', 'strategy_2', 'strategy_3'].map((name) => ({ name, kind: 'float' as const, min: 0, max: 1, step: 0.25 })),
      constraints: [],
      simplex: { min_weight: 0.1 },
    }),
  },
  // a float range without step or count: a search may refuse it (with a Regimen error), not misuse it
  continuous: {
    name: 'continuous',
    space: () => ({ dimensions: [{ name: 'x', kind: 'float', min: -1, max: 1 }, int('n', 1, 4)], constraints: [(c) => (c.x as number) < 0.9] }),
  },
};

/** Every admissible grid point of a discrete, non-simplex space, enumerated with nested loops (independent of core's iterateGrid). */
export function admissiblePoints(space: SearchSpace): Candidate[] {
  let points: Candidate[] = [{}];
  for (const d of space.dimensions) {
    const values = Array.from({ length: dimensionSize(d) }, (_, i) => dimensionValue(d, i));
    points = points.flatMap((p) => values.map((v) => ({ ...p, [d.name]: v })));
  }
  return points.filter((c) => space.constraints.every((ok) => ok(c)));
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Why a candidate is not a point of the space (undefined when it is). */
export function outsideSpace(space: SearchSpace, c: Candidate): string | undefined {
  const names = space.dimensions.map((d) => d.name);
  const extra = Object.keys(c).filter((k) => !names.includes(k));
  if (extra.length) return `has keys outside the space: ${extra.join(', ')}`;
  for (const d of space.dimensions) {
    const v = c[d.name];
    if (v === undefined) return `has no value for ${d.name}`;
    if (space.simplex) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < space.simplex.min_weight - 1e-12) return `weight ${d.name} = ${v} is below min_weight ${space.simplex.min_weight}`;
      continue;
    }
    if (d.kind === 'values') {
      if (!d.values.includes(v)) return `${d.name} = ${JSON.stringify(v)} is not one of ${JSON.stringify(d.values)}`;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < d.min - 1e-12 || v > d.max + 1e-12) return `${d.name} = ${v} is outside [${d.min}, ${d.max}]`;
    if (d.kind === 'int' && (!Number.isInteger(v) || (v - d.min) % d.step !== 0)) return `${d.name} = ${v} is not min + k·step (${d.min}, ${d.step})`;
    if (d.kind === 'float' && (d.step !== undefined || d.count !== undefined)) {
      const onGrid = Array.from({ length: dimensionSize(d) }, (_, i) => dimensionValue(d, i) as number).some((g) => close(g, v));
      if (!onGrid) return `${d.name} = ${v} is not a point of its grid`;
    }
  }
  if (space.simplex) {
    let sum = 0;
    for (const n of names) sum += c[n] as number;
    if (!close(sum, 1)) return `weights sum to ${sum}, not 1`;
  }
  const broken = space.constraints.findIndex((ok) => !ok(c));
  if (broken >= 0) return `fails constraint ${broken + 1}`;
  return undefined;
}

/**
 * The evaluation the kit tells back: a score that depends on the candidate only (so two runs with
 * the same seed are told the same), NaN — a failed trial — for about `failRate` of candidates.
 */
export function kitScore(c: Candidate, failRate = 0): number {
  const h = hash32(candidateKey(c));
  if (failRate > 0 && (h % 1000) / 1000 < failRate) return Number.NaN;
  return ((h >>> 10) % 100_000) / 1000 - 50;
}

export interface DrainOptions {
  seed?: number;
  /** candidates per ask; default 5 */
  batch?: number;
  /** share of evaluations that fail (told NaN); default 0 */
  failRate?: number;
  /** a search still asking after this many candidates fails the check; default 20 000 */
  maxAsked?: number;
}

export interface Drained {
  /** every ask's candidates, in order */
  asks: Candidate[][];
  done: boolean;
  /** the first broken rule, if any */
  message?: string;
}

/**
 * Drive a search to the end as the host does, checking each step: ask(n) gives at most n
 * candidates, none asked before, each inside the space; a second ask before any tell gives new
 * candidates too; an ask that gives nothing while nothing is outstanding means done.
 */
export function drainSearch(plugin: OptimizerPlugin, space: SearchSpace, rawOptions: unknown, opts: DrainOptions = {}): Drained {
  const batch = opts.batch ?? 5;
  const maxAsked = opts.maxAsked ?? 20_000;
  const options = parsePluginOptions(plugin, rawOptions ?? {});
  const search: Search = plugin.create(space, options, createRng(opts.seed ?? 7));
  const asks: Candidate[][] = [];
  const seen = new Set<string>();
  let asked = 0;
  const fail = (message: string): Drained => ({ asks, done: search.done, message });
  const estimate = search.estimate();
  if (estimate !== undefined && !(typeof estimate === 'number' && estimate >= 0)) return fail(`estimate() returned ${String(estimate)}, not a count ≥ 0 or undefined`);
  const take = (n: number): Candidate[] | string => {
    const got = search.ask(n);
    if (!Array.isArray(got)) return `ask(${n}) returned ${typeof got}, not an array`;
    if (got.length > n) return `ask(${n}) returned ${got.length} candidates`;
    for (const c of got) {
      const key = candidateKey(c);
      if (seen.has(key)) return `asked ${key} twice`;
      seen.add(key);
      const why = outsideSpace(space, c);
      if (why) return `asked ${key}, which ${why}`;
    }
    asks.push(got);
    asked += got.length;
    return got;
  };
  for (let round = 0; !search.done; round++) {
    // the first round asks twice before telling: a host may hand out several batches at once
    const first = take(batch);
    if (typeof first === 'string') return fail(first);
    const second = round === 0 ? take(batch) : [];
    if (typeof second === 'string') return fail(second);
    const got = [...first, ...second];
    if (got.length === 0) {
      if (!search.done) return fail(`ask(${batch}) returned nothing with nothing outstanding, yet done is false (the host would stop here without the search saying it was done)`);
      break;
    }
    try {
      search.tell(got.map((candidate) => ({ candidate, score: kitScore(candidate, opts.failRate) })));
    } catch (e) {
      return fail(`tell() of ${got.length} results (${got.filter((c) => Number.isNaN(kitScore(c, opts.failRate))).length} failed, score NaN) threw: ${(e as Error)?.message ?? String(e)}`);
    }
    if (asked > maxAsked) return fail(`still not done after ${asked} candidates`);
  }
  const after = search.ask(batch);
  if (after.length) return fail(`asked ${after.length} more candidates after done`);
  return { asks, done: true };
}

/** Every ask inside the space and its constraints, never twice, ending in done (see drainSearch). */
export function checkOptimizerAsks(plugin: OptimizerPlugin, space: SearchSpace, options: unknown, opts: DrainOptions = {}): CheckResult & { asked?: number } {
  const r = drainSearch(plugin, space, options, opts);
  return r.message ? { ok: false, message: r.message } : { ok: true, asked: r.asks.flat().length };
}

/** Same seed, same results told → the same asks, batch by batch. */
export function checkOptimizerDeterminism(plugin: OptimizerPlugin, space: () => SearchSpace, options: unknown, opts: DrainOptions = {}): CheckResult {
  const a = drainSearch(plugin, space(), options, opts);
  const b = drainSearch(plugin, space(), options, opts);
  if (a.message) return { ok: false, message: a.message };
  const ka = a.asks.map((batch) => batch.map(candidateKey).join(' '));
  const kb = b.asks.map((batch) => batch.map(candidateKey).join(' '));
  const i = ka.findIndex((x, j) => x !== kb[j]);
  if (i >= 0 || ka.length !== kb.length) {
    const at = i >= 0 ? i : Math.min(ka.length, kb.length);
    return { ok: false, message: `seed ${opts.seed ?? 7}: ask ${at + 1} gave [${ka[at] ?? ''}] in one run and [${kb[at] ?? ''}] in another` };
  }
  return { ok: true };
}

/**
 * A finite space is exhausted: the search stops (done) having asked at most its admissible points,
 * and a space whose constraints admit nothing is done without asking anything.
 */
export function checkOptimizerExhaustion(plugin: OptimizerPlugin, space: () => SearchSpace, options: unknown, opts: DrainOptions = {}): CheckResult & { asked?: number; admissible?: number } {
  const admissible = admissiblePoints(space()).length;
  const r = drainSearch(plugin, space(), options, opts);
  if (r.message) return { ok: false, message: r.message };
  const asked = r.asks.flat().length;
  if (asked > admissible) return { ok: false, message: `asked ${asked} distinct candidates of a space with ${admissible} admissible points` };
  return { ok: true, asked, admissible };
}

/**
 * A space the search cannot use (a continuous range for a grid) may be refused at create() with a
 * Regimen error (one line for the user); anything else it must search like any other space.
 */
export function checkOptimizerRefusesOrSearches(plugin: OptimizerPlugin, space: SearchSpace, options: unknown, opts: DrainOptions = {}): CheckResult & { refused?: string } {
  try {
    plugin.create(space, parsePluginOptions(plugin, options ?? {}), createRng(opts.seed ?? 7));
  } catch (e) {
    if (isRegimenError(e)) return { ok: true, refused: e.message };
    return { ok: false, message: `create() threw ${(e as Error)?.message ?? String(e)} — refuse a space with a Regimen error (regimenError from @regimen/core)` };
  }
  return checkOptimizerAsks(plugin, space, options, opts);
}
