import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candidateKey, createRng, regimenError, type Candidate, type OptimizerPlugin, type Search } from '@regimen/core';
import { buildSearchSpace } from '@regimen/optimizer';
import genetic from '@regimen/optimizer-genetic';
import random from '@regimen/optimizer-random';
import tpe from '@regimen/optimizer-tpe';
import type { BenchOptions } from './options.js';
import { lookupIndex, searchLookup, SEARCH_SPACES, type Lookup } from './search-lookup.js';

/**
 * `search`: which search finds each classifier × regime's best parameters with the fewest trials
 * (issue 22). On real spaces whose full grids are computed once (search-lookup.ts), every method
 * runs for ≥ 20 seeds up to 5 % of the grid; a pair is *hit* at a budget when the best in-sample
 * regime score found so far is within that regime's top 1 % of the grid. Also: the out-of-sample
 * sharpe (test split, same regime) of each method's per-regime winners against the full grid's.
 */
export const BUDGETS = [0.01, 0.02, 0.05] as const;

interface Spread { median: number; p25: number; p75: number; min: number; max: number }
export interface SearchMethodRow {
  space: string;
  method: string;
  /** hit share (0..1) per budget, over seeds */
  hits: Spread[];
  /** per budget: mean over pairs of the out-of-sample sharpe of the method's per-regime winners, over seeds */
  oos: Spread[];
  /** milliseconds per run (one seed, up to the largest budget), median */
  run_ms: number;
}
export interface SearchSpaceRow {
  space: string;
  parameters: number;
  grid: number;
  pairs: string[];
  /** trials at each budget */
  budgets: number[];
  /** mean over pairs of the out-of-sample sharpe of the full grid's per-regime winners */
  grid_oos: number;
  grid_seconds: number;
}
export interface RegimeSearchResult {
  suite: 'search';
  seeds: number;
  spaces: SearchSpaceRow[];
  rows: SearchMethodRow[];
  /** the targets, checked on these numbers */
  targets: Array<{ space: string; best_method: string; best_hits_5: number; best_ok: boolean; aware_minus_random_5: number; aware_ok: boolean }>;
  optuna: string;
  seconds: number;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (h - lo);
};
const spread = (xs: number[]): Spread => ({ median: quantile(xs, 0.5), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), min: Math.min(...xs), max: Math.max(...xs) });

/**
 * A method: the lookup rows of its trials in order, at most `budget` (Optuna's may repeat a row
 * or be −1, a point the constraints exclude: every suggestion is a trial of an Optuna study).
 */
type Method = (l: Lookup, seed: number, budget: number) => number[];

function regimesOf(l: Lookup, i: number): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  l.pairs.forEach((p, k) => {
    const [c, r] = p.split('.') as [string, string];
    (out[c] ??= {})[r] = l.inSample[k]![i] ?? Number.NaN;
  });
  return out;
}

/** Drive an ask/tell search on the lookup as phase 1 does: ask, evaluate, tell (with regime scores). */
function driven(plugin: OptimizerPlugin, options: Record<string, unknown>): Method {
  return (l, seed, budget) => {
    const index = lookupIndex(l);
    const space = buildSearchSpace(l.space.parameter_space, { constraints: l.space.constraints });
    // tpe's own trial count is the budget; the others run until the budget stops them
    const search: Search = plugin.create(space, plugin.options.parse(plugin.name === 'tpe' ? { ...options, trials: budget } : options), createRng(seed).fork('phase1:s'));
    const seq: number[] = [];
    const seen = new Set<number>();
    while (seq.length < budget && !search.done) {
      const asked = search.ask(256);
      if (asked.length === 0) break;
      search.tell(asked.map((c: Candidate) => {
        const i = index.get(candidateKey(c));
        if (i === undefined) throw regimenError({ code: 'internal', value: c, message: `${plugin.name} asked a point outside the grid of ${l.space.name}` });
        if (!seen.has(i)) seen.add(i), seq.push(i);
        return { candidate: c, score: l.overall[i] ?? Number.NaN, regimes: regimesOf(l, i) };
      }));
    }
    return seq.slice(0, budget);
  };
}

const METHODS: Array<[string, Method]> = [
  ['grid order', (l, _s, budget) => Array.from({ length: Math.min(budget, l.points.length) }, (_, i) => i)],
  ['uniform random', driven(random, { sampler: 'uniform' })],
  ['sobol', driven(random, { sampler: 'sobol' })],
  ['genetic', driven(genetic, { generations: 100_000, patience: 100_000 })],
  ['tpe', driven(tpe, { regime_aware: false })],
  ['tpe regime-aware', driven(tpe, {})],
  ['tpe regime-aware multivariate', driven(tpe, { multivariate: true })],
];

/** The top-1 % threshold of each pair over the full grid (the value of its ⌈1 %⌉-th best point). */
function thresholds(l: Lookup): number[] {
  return l.inSample.map((xs) => {
    const s = xs.filter((x): x is number => x !== null).sort((a, b) => b - a);
    return s.length ? s[Math.max(1, Math.ceil(0.01 * s.length)) - 1]! : Infinity;
  });
}

/** Per pair, the lookup row with the best in-sample score among `rows` (the first on ties). */
function winners(l: Lookup, rows: readonly number[]): Array<number | undefined> {
  return l.inSample.map((xs) => {
    let best: number | undefined;
    for (const i of rows) if (xs[i] !== null && (best === undefined || xs[i]! > xs[best]!)) best = i;
    return best;
  });
}

function meanOos(l: Lookup, w: Array<number | undefined>): number {
  const xs = w.map((i, k) => (i === undefined ? null : l.outOfSample[k]![i])).filter((x): x is number => x !== null);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}

/** A python3 that imports optuna: $REGIMEN_PYTHON (`none` leaves Optuna out), Debian's, or the PATH's. */
function python(): string | undefined {
  if (process.env.REGIMEN_PYTHON === 'none') return undefined;
  for (const p of [process.env.REGIMEN_PYTHON, '/usr/bin/python3', 'python3']) {
    if (p && spawnSync(p, ['-c', 'import optuna'], { stdio: 'ignore' }).status === 0) return p;
  }
  return undefined;
}

/**
 * Optuna's TPESampler on the same lookup, one process for every seed (benchmarks/optuna/tpe-on-lookup.py).
 * Its asks are kept beside the lookup (they depend on nothing else), since Optuna takes minutes.
 */
function optunaRuns(l: Lookup, seeds: number[], budget: number, py: string, cache: string): Map<number, number[]> {
  const kept = join(cache, `optuna-v2-${l.key.slice(0, 12)}-${budget}-${seeds[0]}-${seeds.length}.json`);
  if (existsSync(kept)) {
    const out = JSON.parse(readFileSync(kept, 'utf8')) as Record<string, number[]>;
    return new Map(seeds.map((s) => [s, out[String(s)]!]));
  }
  const dir = mkdtempSync(join(tmpdir(), 'regimen-optuna-'));
  try {
    const space = buildSearchSpace(l.space.parameter_space, { constraints: l.space.constraints });
    const dims = space.dimensions;
    const request = join(dir, 'request.json');
    writeFileSync(request, JSON.stringify({ dims, points: l.points.map((p) => dims.map((d) => p[d.name])), overall: l.overall, budget, seeds }));
    const script = fileURLToPath(new URL('../optuna/tpe-on-lookup.py', import.meta.url));
    const r = spawnSync(py, [script, request], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw regimenError({ code: 'internal', file: script, message: `optuna failed: ${r.stderr.trim().split('\n').pop()}` });
    const out = JSON.parse(r.stdout) as Record<string, number[]>;
    writeFileSync(kept + '.tmp', r.stdout);
    renameSync(kept + '.tmp', kept);
    return new Map(seeds.map((s) => [s, out[String(s)]!]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function regimeSearchSuite(o: BenchOptions): Promise<RegimeSearchResult> {
  const t0 = performance.now();
  const seedCount = Math.max(20, o.repeat);
  const seeds = Array.from({ length: seedCount }, (_, i) => o.seed + i);
  const cache = join(o.out ?? fileURLToPath(new URL('../out', import.meta.url)), 'search-lookups');
  const py = python();
  const log = (m: string) => process.stderr.write(`search: ${m}\n`);
  const spaces: SearchSpaceRow[] = [];
  const rows: SearchMethodRow[] = [];
  for (const def of SEARCH_SPACES.filter((d) => !o.space || d.name.includes(o.space))) {
    const l = await searchLookup(def, o, cache, log);
    const n = l.points.length;
    const budgets = BUDGETS.map((b) => Math.ceil(b * n));
    const top = thresholds(l);
    const grid = Array.from({ length: n }, (_, i) => i);
    spaces.push({ space: def.name, parameters: Object.keys(def.parameter_space).length, grid: n, pairs: l.pairs, budgets, grid_oos: meanOos(l, winners(l, grid)), grid_seconds: l.setup.grid_seconds });
    const picked = (name: string) => !o.methods || o.methods.includes(name);
    const methods: Array<[string, (seed: number) => number[]]> = METHODS.filter(([name]) => picked(name)).map(([name, m]) => [name, (seed) => m(l, seed, budgets.at(-1)!)]);
    if (py && picked('optuna 3.1 tpe')) {
      // last, so a long Optuna run (or its kept asks) comes after this space's own methods
      let runs: Map<number, number[]> | undefined;
      methods.push(['optuna 3.1 tpe', (seed) => (runs ??= optunaRuns(l, seeds, budgets.at(-1)!, py, cache)).get(seed)!]);
    }
    for (const [name, run] of methods) {
      const hits = budgets.map(() => [] as number[]);
      const oos = budgets.map(() => [] as number[]);
      const times: number[] = [];
      for (const seed of seeds) {
        const t = performance.now();
        const seq = run(seed);
        times.push(performance.now() - t);
        budgets.forEach((b, j) => {
          const w = winners(l, seq.slice(0, b).filter((i) => i >= 0));
          hits[j]!.push(w.filter((i, k) => i !== undefined && l.inSample[k]![i]! >= top[k]!).length / l.pairs.length);
          oos[j]!.push(meanOos(l, w));
        });
      }
      rows.push({ space: def.name, method: name, hits: hits.map(spread), oos: oos.map(spread), run_ms: quantile(times, 0.5) });
      log(`${def.name}: ${name} done`);
    }
  }
  // with --methods a run may hold part of the rows: targets only where the rows they need are there
  const targets = spaces.filter((s) => ['uniform random', 'tpe regime-aware'].every((m) => rows.some((r) => r.space === s.space && r.method === m))).map((s) => {
    const mine = rows.filter((r) => r.space === s.space);
    const best = mine.reduce((a, b) => (b.hits[2]!.median > a.hits[2]!.median ? b : a));
    const aware = mine.find((r) => r.method === 'tpe regime-aware')!.hits[2]!.median;
    const uniform = mine.find((r) => r.method === 'uniform random')!.hits[2]!.median;
    const aware_minus_random_5 = aware - uniform;
    return {
      space: s.space, best_method: best.method, best_hits_5: best.hits[2]!.median, best_ok: best.hits[2]!.median >= 0.95, aware_minus_random_5,
      aware_ok: aware_minus_random_5 >= -0.05 && (s.parameters < 5 || aware_minus_random_5 > 0),
    };
  });
  return { suite: 'search', seeds: seedCount, spaces, rows, targets, optuna: py ? 'python3-optuna 3.1 (' + py + ')' : 'not available (python3 with optuna not found): row left out', seconds: (performance.now() - t0) / 1000 };
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

export function formatRegimeSearch(r: RegimeSearchResult): string {
  const lines = [`search: share of classifier × regime pairs whose best is within the regime's top 1 % of the grid; median [p25–p75] over ${r.seeds} seeds; ${r.seconds.toFixed(0)} s; optuna: ${r.optuna}`];
  for (const s of r.spaces) {
    lines.push('', `${s.space}: ${s.grid} grid points, ${s.parameters} parameters, ${s.pairs.length} pairs (${s.pairs.join(', ')}); budgets ${s.budgets.join(' / ')} trials; full grid's winners: out-of-sample sharpe ${s.grid_oos.toFixed(3)} (mean over pairs); grid computed in ${s.grid_seconds.toFixed(0)} s`);
    const header = ['method', ...BUDGETS.map((b) => `hit @${pct(b)}`), 'OOS sharpe @5%', 'ms/run'];
    const body = r.rows.filter((x) => x.space === s.space).map((x) => [x.method, ...x.hits.map((h) => `${pct(h.median)} [${pct(h.p25)}–${pct(h.p75)}]`), `${x.oos[2]!.median.toFixed(3)} [${x.oos[2]!.p25.toFixed(3)}–${x.oos[2]!.p75.toFixed(3)}]`, x.method.startsWith('optuna') ? '—' : x.run_ms.toFixed(0)]);
    const width = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
    lines.push([header, ...body].map((row) => row.map((v, c) => (c === 0 ? v.padEnd(width[c]!) : v.padStart(width[c]!))).join('  ')).join('\n'));
  }
  lines.push('', 'targets (5 % of the grid): best method ≥ 95 % of pairs; regime-aware tpe ≥ uniform random − 5 points, and above it on the ≥ 5-parameter space');
  for (const t of r.targets) lines.push(`  ${t.space}: best ${t.best_method} ${pct(t.best_hits_5)} ${t.best_ok ? 'met' : 'NOT met'}; regime-aware tpe − uniform ${(100 * t.aware_minus_random_5).toFixed(0)} points ${t.aware_ok ? 'met' : 'NOT met'}`);
  return lines.join('\n');
}
