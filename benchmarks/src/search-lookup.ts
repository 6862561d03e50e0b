import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candidateKey, iterateGrid, NO_REGIME, workspacePaths, type Candidate, type ParameterSpaceSpec, type PluginSource, type RegimeTrack, type TrialSpec } from '@regimen/core';
import { localExecutor, useStrategySources, type TrialJob } from '@regimen/backtester';
import { runWorkflow } from '@regimen/coordinator';
import { embeddedDataPath, loadMarketData, readRegimeLabels } from '@regimen/data';
import { buildSearchSpace, compileObjective, regimeScores } from '@regimen/optimizer';
import type { BenchOptions } from './options.js';

/**
 * The full grid of a real parameter space, computed once and kept as a lookup: for every point,
 * its in-sample score (the phase-1 objective), every classifier × regime score in sample (the
 * phase-2 objective with its filters — what a regime-aware search is told) and out of sample.
 * With it a search method's run is a walk through a table, so 20 seeds × 7 methods cost seconds.
 */
export interface SpaceDef {
  name: string;
  type: string;
  side?: 'long_only' | 'long_short';
  /** a strategy plugin file (path from the repository root), for a type that is not built in */
  plugin?: string;
  parameter_space: ParameterSpaceSpec;
  constraints?: string[];
}

export interface Lookup {
  space: SpaceDef;
  /** everything the numbers depend on, hashed: a lookup is recomputed when any of it changes */
  key: string;
  points: Candidate[];
  /** in-sample sharpe of the whole training window */
  overall: Array<number | null>;
  /** `classifier.regime` */
  pairs: string[];
  /** [pair][point]: in-sample regime sharpe, null where min_bars leaves the point out */
  inSample: Array<Array<number | null>>;
  /** [pair][point]: the same point's sharpe in that regime on the test split */
  outOfSample: Array<Array<number | null>>;
  setup: { data: string; split: string; classifiers: string[]; costs: { fee: number; slippage: number }; min_bars: number; train_bars: number; test_bars: number; grid_seconds: number };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SEARCH_SETUP = { testStart: '1995-01-01', costs: { fee: 0.0005, slippage: 0.0002 }, minBars: 40, objective: 'sharpe' };

/** The three spaces of `regimen bench search`: 2, 3 and 5 parameters. */
export const SEARCH_SPACES: SpaceDef[] = [
  { name: 'sma_crossover 2-D', type: 'sma_crossover', side: 'long_short', parameter_space: { fast: { min: 2, max: 100, step: 2 }, slow: { min: 10, max: 500, step: 5 } }, constraints: ['fast < slow'] },
  { name: 'rsi 3-D', type: 'rsi', parameter_space: { period: { min: 2, max: 59, step: 1 }, lower: { min: 10, max: 45, step: 5 }, upper: { min: 55, max: 90, step: 5 } } },
  {
    name: 'rsi_trend 5-D',
    type: 'rsi_trend',
    plugin: 'examples/strategies/rsi-trend.js',
    parameter_space: { period: [2, 3, 4, 5, 7, 10, 14, 20], entry: { min: 5, max: 35, step: 5 }, exit: { min: 50, max: 80, step: 5 }, trend: [0, 50, 100, 150, 200], stop: [0, 0.03, 0.05, 0.08, 0.12] },
  },
];

function lookupPath(dir: string, def: SpaceDef, key: string): string {
  return join(dir, `${def.name.replace(/[^A-Za-z0-9]+/g, '-')}-${key.slice(0, 12)}.json`);
}

function keyOf(def: SpaceDef, data: string): string {
  const files = [data, ...(def.plugin ? [join(ROOT, def.plugin)] : [])].map((f) => createHash('sha256').update(readFileSync(f)).digest('hex'));
  return createHash('sha256').update(JSON.stringify({ def, files, setup: SEARCH_SETUP, v: 1 })).digest('hex');
}

/** The demo's two classifiers fitted on the training split by the coordinator itself, as full-length causal tracks. */
async function fittedTracks(data: string, workers: number): Promise<{ train: RegimeTrack[]; test: RegimeTrack[]; trainEnd: number; testStart: number; barsPerYear: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-search-'));
  try {
    const config = join(dir, 'w.yaml');
    writeFileSync(config, `workflow:
  seed: 7
  data: { path: ${data}, split: { test_start: "${SEARCH_SETUP.testStart}" } }
  strategies:
    probe: { type: momentum, parameter_space: { lookback: [20], threshold: [0.01] } }
  classifiers: { hmm: {}, pattern_based: {} }
  phases:
    - name: parameter_discovery
`);
    const run = await runWorkflow(config, { outDir: join(dir, 'ws'), workers });
    const paths = workspacePaths(join(dir, 'ws'));
    const n = loadMarketData(data).bars.close.length;
    const out = { train: [] as RegimeTrack[], test: [] as RegimeTrack[], trainEnd: 0, testStart: 0, barsPerYear: run.manifest.bars_per_year };
    for (const c of ['hmm', 'pattern_based']) {
      const train = readRegimeLabels(paths.regimeLabels(c, 'train'));
      const test = readRegimeLabels(paths.regimeLabels(c, 'test'));
      out.trainEnd = train.labels.length;
      out.testStart = n - test.labels.length;
      const place = (labels: Uint8Array, at: number) => {
        const full = new Uint8Array(n).fill(NO_REGIME);
        full.set(labels, at);
        return { classifier: c, names: train.names, labels: full };
      };
      out.train.push(place(train.labels, 0));
      out.test.push(place(test.labels, out.testStart));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lookup of one space: read from `dir` when its key matches, else computed through the pool and written. */
export async function searchLookup(def: SpaceDef, o: BenchOptions, dir: string, log: (m: string) => void): Promise<Lookup> {
  const data = embeddedDataPath('nyse_composite_daily_close.csv');
  const key = keyOf(def, data);
  const path = lookupPath(dir, def, key);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as Lookup;
  const t0 = performance.now();
  const tracks = await fittedTracks(data, o.workers);
  const bars = loadMarketData(data).bars;
  const sources: PluginSource[] = def.plugin ? [{ spec: join(ROOT, def.plugin), from: ROOT }] : [];
  await useStrategySources(sources);
  const space = buildSearchSpace(def.parameter_space, { constraints: def.constraints, where: def.name });
  const points = [...iterateGrid(space)];
  log(`${def.name}: computing the full grid, ${points.length} trials (${o.workers} workers)`);
  const trials: TrialSpec[] = points.map((p, i) => ({ trial_id: String(i), strategy: 's', type: def.type, params: { ...p, side: def.side ?? 'long_only' } }));
  const executor = localExecutor({ workers: o.workers, engine: o.engine, strategyPlugins: sources });
  const n = bars.close.length;
  const job = (ts: TrialSpec[]): TrialJob => ({
    bars, window: { start: 0, end: n }, trials: ts, regimes: [],
    folds: [{ window: { start: 0, end: tracks.trainEnd }, regimes: tracks.train }, { window: { start: tracks.testStart, end: n }, regimes: tracks.test }],
    costs: SEARCH_SETUP.costs, barsPerYear: tracks.barsPerYear, captureSignals: false,
  });
  const rows = [];
  try {
    for (let i = 0; i < trials.length; i += 2000) rows.push(...(await executor.run(job(trials.slice(i, i + 2000)))));
  } finally {
    await executor.close();
  }
  const objective = compileObjective(SEARCH_SETUP.objective);
  const pairs = tracks.train.flatMap((t) => t.names.map((r) => `${t.classifier}.${r}`));
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
  const inSample = pairs.map(() => [] as Array<number | null>);
  const outOfSample = pairs.map(() => [] as Array<number | null>);
  const overall: Array<number | null> = [];
  for (const row of rows) {
    const [train, test] = row.folds!;
    overall.push(finite(objective.score(train!.metrics)));
    const scores = regimeScores(train!, { objective, min_bars: SEARCH_SETUP.minBars, min_trades: 0 });
    pairs.forEach((p, k) => {
      const [c, r] = p.split('.') as [string, string];
      inSample[k]!.push(finite(scores[c]?.[r]));
      const rm = test!.regimes[c]?.[r];
      outOfSample[k]!.push(rm ? finite(objective.score(rm)) : null);
    });
  }
  const lookup: Lookup = {
    space: def, key, points, overall, pairs, inSample, outOfSample,
    setup: {
      data: 'nyse_composite_daily_close.csv (embedded)', split: `test from ${SEARCH_SETUP.testStart}`, classifiers: ['hmm (defaults)', 'pattern_based (defaults)'],
      costs: SEARCH_SETUP.costs, min_bars: SEARCH_SETUP.minBars, train_bars: tracks.trainEnd, test_bars: n - tracks.testStart, grid_seconds: (performance.now() - t0) / 1000,
    },
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path + '.tmp', JSON.stringify(lookup));
  renameSync(path + '.tmp', path);
  return lookup;
}

/** Grid point → its row in the lookup. */
export function lookupIndex(l: Lookup): Map<string, number> {
  return new Map(l.points.map((p, i) => [candidateKey(p), i]));
}
