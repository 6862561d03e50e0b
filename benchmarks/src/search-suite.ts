import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createRng, readJsonFile, RegimeOptimalParamsSchema, workspacePaths, type Candidate, type Rng, type SearchSpace } from '@regimen/core';
import { loadEngine, runSignalReplay } from '@regimen/backtester';
import { runWorkflow } from '@regimen/coordinator';
import { embeddedDataPath, loadMarketData, readRegimeLabels } from '@regimen/data';
import { compileObjective, weightSpace } from '@regimen/optimizer';
import genetic from '@regimen/optimizer-genetic';
import type { BenchOptions } from './options.js';

/**
 * `genetic` (named `search` before issue 22 took that name): the genetic optimizer against random search at an equal number of evaluations, on
 * standard test functions (minimised) and on a real phase-3 weight search (per-regime sharpe of
 * replayed signals, maximised). Each row is the median over seeds of the best value found.
 */
export interface SearchRow {
  problem: string;
  evaluations: number;
  seeds: number;
  genetic: number;
  random: number;
  /** true when the genetic result is the better one (lower for test functions, higher for sharpe) */
  genetic_better: boolean;
}

export interface SearchResult {
  suite: 'genetic';
  rows: SearchRow[];
  seconds: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Best score (higher is better) the genetic plugin finds within `budget` evaluations. */
function runGenetic(space: SearchSpace, score: (c: Candidate) => number, budget: number, rng: Rng): number {
  const search = genetic.create(space, genetic.options.parse({ population: 20, generations: Math.ceil(budget / 20), patience: 1000 }), rng);
  let best = -Infinity;
  let used = 0;
  while (!search.done && used < budget) {
    const asked = search.ask(Math.min(20, budget - used));
    if (asked.length === 0) break;
    const told = asked.map((candidate) => ({ candidate, score: score(candidate) }));
    used += asked.length;
    for (const t of told) if (t.score > best) best = t.score;
    search.tell(told);
  }
  return best;
}

/** Uniform random search: box dimensions uniformly, simplex weights from a flat Dirichlet. */
function runRandom(space: SearchSpace, score: (c: Candidate) => number, budget: number, rng: Rng): number {
  let best = -Infinity;
  for (let i = 0; i < budget; i++) {
    let c: Candidate;
    if (space.simplex) {
      const m = space.simplex.min_weight;
      const e = space.dimensions.map(() => -Math.log(1 - rng.next()));
      const sum = e.reduce((a, b) => a + b, 0);
      const k = space.dimensions.length;
      c = Object.fromEntries(space.dimensions.map((d, j) => [d.name, m + (1 - k * m) * (e[j]! / sum)]));
    } else {
      c = Object.fromEntries(space.dimensions.map((d) => (d.kind === 'float' || d.kind === 'int' ? [d.name, d.min + (d.max - d.min) * rng.next()] : [d.name, 0])));
    }
    best = Math.max(best, score(c));
  }
  return best;
}

const rastrigin = (x: number[]) => 10 * x.length + x.reduce((a, v) => a + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
const rosenbrock = (x: number[]) => x.slice(0, -1).reduce((a, v, i) => a + 100 * (x[i + 1]! - v * v) ** 2 + (1 - v) ** 2, 0);

function testFunctionRows(seeds: number, budget: number): SearchRow[] {
  const problems = [
    { name: 'rastrigin', f: rastrigin, lo: -5.12, hi: 5.12 },
    { name: 'rosenbrock', f: rosenbrock, lo: -2, hi: 2 },
  ];
  const rows: SearchRow[] = [];
  for (const p of problems) {
    for (const dims of [2, 4, 8]) {
      // continuous genes: a config range needs a step, so the space is built directly
      const space: SearchSpace = { dimensions: Array.from({ length: dims }, (_, i) => ({ name: `x${i}`, kind: 'float' as const, min: p.lo, max: p.hi })), constraints: [] };
      const score = (c: Candidate) => -p.f(Array.from({ length: dims }, (_, i) => Number(c[`x${i}`])));
      const g: number[] = [];
      const r: number[] = [];
      for (let s = 1; s <= seeds; s++) {
        g.push(-runGenetic(space, score, budget, createRng(s).fork('genetic')));
        r.push(-runRandom(space, score, budget, createRng(s).fork('random')));
      }
      rows.push({ problem: `${p.name} ${dims}-D (min)`, evaluations: budget, seeds, genetic: median(g), random: median(r), genetic_better: median(g) < median(r) });
    }
  }
  return rows;
}

/** Phase 1 + 2 of a three-strategy workflow on the embedded NYSE series, then weight searches per HMM regime. */
async function phase3Rows(seeds: number, budget: number): Promise<SearchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-search-'));
  try {
    const config = join(dir, 'w.yaml');
    writeFileSync(
      config,
      `workflow:
  seed: 5
  data: { path: ${embeddedDataPath()} }
  strategies:
    momentum: { type: momentum, side: long_short, parameter_space: { lookback: [10, 20, 40, 80], threshold: [0, 0.01, 0.02] } }
    reversion: { type: mean_reversion, parameter_space: { lookback: [10, 20, 40], threshold: [0.01, 0.02, 0.03] } }
    trend: { type: sma_crossover, side: long_short, parameter_space: { fast: [5, 10, 20], slow: [50, 100, 200] } }
  classifiers: { hmm: { options: { states: 3, restarts: 4 } } }
  phases:
    - name: parameter_discovery
    - name: regime_analysis
`,
    );
    const ws = join(dir, 'ws');
    const run = await runWorkflow(config, { outDir: ws, workers: 0 });
    const paths = workspacePaths(ws);
    const optimal = readJsonFile(paths.regimeOptimalParams, RegimeOptimalParamsSchema);
    const track = { ...readRegimeLabels(paths.regimeLabels('hmm', 'train')), classifier: 'hmm' };
    const close = loadMarketData(embeddedDataPath()).bars.close;
    const engine = await loadEngine('js');
    const strategies = ['momentum', 'reversion', 'trend'];
    const sharpe = compileObjective('sharpe');
    const input = { close, window: { start: 0, end: track.labels.length }, regime: track, breakdown: [track], strategies, winners: optimal.hmm!, costs: run.config.costs, barsPerYear: run.manifest.bars_per_year };
    const space = weightSpace(strategies, { sum_to_one: true, min_weight: 0 });
    const rows: SearchRow[] = [];
    for (const regime of track.names) {
      const score = (c: Candidate) => {
        const [row] = runSignalReplay(input, (id) => paths.trialSignals(id), [Object.fromEntries(strategies.map((s) => [s, Number(c[s])]))], engine);
        return sharpe.score(row!.regimes.hmm![regime]!);
      };
      const g: number[] = [];
      const r: number[] = [];
      for (let s = 1; s <= seeds; s++) {
        g.push(runGenetic(space, score, budget, createRng(s).fork('genetic')));
        r.push(runRandom(space, score, budget, createRng(s).fork('random')));
      }
      rows.push({ problem: `phase 3 weights, hmm ${regime} sharpe (max)`, evaluations: budget, seeds, genetic: median(g), random: median(r), genetic_better: median(g) > median(r) });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function searchSuite(o: BenchOptions): Promise<SearchResult> {
  const t0 = performance.now();
  const seeds = Math.max(3, o.repeat);
  const rows = [...testFunctionRows(Math.max(seeds, 11), 400), ...(await phase3Rows(seeds, 60))];
  return { suite: 'genetic', rows, seconds: (performance.now() - t0) / 1000 };
}

export function formatSearch(r: SearchResult): string {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [`genetic: genetic vs random at equal evaluations (median of seeds; ${r.seconds.toFixed(1)} s)`];
  lines.push(`${pad('problem', 44)} ${pad('evals', 6)} ${pad('seeds', 6)} ${pad('genetic', 12)} ${pad('random', 12)} better`);
  for (const x of r.rows) lines.push(`${pad(x.problem, 44)} ${pad(String(x.evaluations), 6)} ${pad(String(x.seeds), 6)} ${pad(x.genetic.toPrecision(5), 12)} ${pad(x.random.toPrecision(5), 12)} ${x.genetic_better ? 'genetic' : 'random'}`);
  return lines.join('\n');
}
