import { availableParallelism } from 'node:os';
import { gridPoint, gridSize, isContinuous, createRng, admitCandidate, type SearchSpace } from '@regimen/core';
import { loadEngine } from '@regimen/backtester';
import type { SearchBudget } from '@regimen/optimizer';
import { strategySearch } from './search.js';
import { prepareRun } from './prepare.js';
import { workerCount, type RunOptions } from './run.js';
import { makeTrial } from './trials.js';
import { MEASURED_COSTS, predictSpeedup, type SpeedupPrediction } from './speedup-model.js';

/**
 * `regimen run --dry-run`: how many trials phase 1 will run, and a rough time and disk estimate,
 * without touching a workspace. Counting never enumerates a big space: up to COUNT_EXACT grid
 * points are checked against the constraints one by one, larger spaces are estimated from a
 * seeded sample. Time comes from backtesting a few real trials of each strategy on the data — for
 * a walk-forward, scored on every fold as phase 1 does (a trial's signals are written once, its
 * performance file once per fold). A universe runs them on every series: time and disk are for all.
 */
const COUNT_EXACT = 200_000;
const SAMPLE = 20_000;
const CALIBRATION_TRIALS = 3;

export interface DryRunReport {
  workspace: string;
  train_bars: number;
  test_bars: number;
  workers: number;
  /** folds of a walk-forward (1 for a single split): each trial is computed once and scored on every fold */
  folds: number;
  /** a universe: its series (each runs every trial; train/test bars and the timing are of the first) */
  series: string[];
  /**
   * per strategy: `planned` is what its search (under the budget) says it will ask; `trials` the
   * count the plan comes to — min(admissible points, planned); a search stopped by patience or a
   * timeout may run fewer (`at_most`)
   */
  strategies: Array<{ name: string; type: string; algorithm: string; grid_points: number; trials: number; exact: boolean; planned: number | null; at_most: boolean; seconds_per_trial: number; bytes_per_trial: number }>;
  /** the phase-1 budget of each strategy's search (docs/search.md), {} without one */
  budget: SearchBudget;
  /** what the run will say before its searches start (a grid fallback, a grid cut by max_trials) */
  notes: string[];
  /** trials of one series */
  trials: number;
  /** trials of every series (trials × series) */
  total_trials: number;
  seconds: number;
  bytes: number;
  /**
   * with a distributed executor (`--executor URL`): phase 1 on `workers` remote workers by the
   * speedup model (speedup-model.ts) — the kernel's cost per trial calibrated here, every other
   * cost recorded by `regimen bench speedup` (MEASURED_COSTS); phase 1 only, as the local estimate
   */
  distributed?: { executor: string; costs_from: string; trial_seconds: number; prediction: SpeedupPrediction; one_worker_seconds: number };
}

function admissible(space: SearchSpace): { count: number; exact: boolean } {
  const n = gridSize(space);
  if (n <= COUNT_EXACT) {
    let count = 0;
    for (let i = 0; i < n; i++) if (admitCandidate(space, gridPoint(space, i))) count++;
    return { count, exact: true };
  }
  const rng = createRng(1);
  let hits = 0;
  for (let k = 0; k < SAMPLE; k++) if (admitCandidate(space, gridPoint(space, rng.int(0, n - 1)))) hits++;
  return { count: Math.round((hits / SAMPLE) * n), exact: false };
}

export async function dryRun(target: string, opts: RunOptions = {}): Promise<DryRunReport> {
  const prepared = await prepareRun(target, opts);
  // a universe runs the same trials on every series: timed on its first
  const { config, registry, market, split, barsPerYear, configPath, folds } = prepared.universe ? prepared.universe.series[0]! : prepared;
  const series = prepared.universe?.series.map((s) => s.series!.name) ?? [];
  // as phase 1 runs them: positions once per trial, scored on every fold's training window
  const window = { start: Math.min(...folds.map((f) => f.train.start)), end: Math.max(...folds.map((f) => f.train.end)) };
  const foldWindows = folds.map((f) => ({ window: f.train, regimes: [] }));
  const engine = await loadEngine(opts.engine ?? 'wasm');
  // the count the run itself would use, so the estimate is the run's
  const workers = Math.max(1, workerCount(opts));
  const notes: string[] = [];
  let budget: SearchBudget = {};
  const rows = config.strategies.map((s) => {
    // the search phase 1 will make: the same algorithm (or its grid fallback) under the same budget
    const made = () => strategySearch(config, registry, s, createRng(config.seed), configPath);
    const { space, search, algorithm, budget: b, notes: n } = made();
    budget = b;
    notes.push(...n);
    const discrete = !space.dimensions.some(isContinuous);
    const { count, exact } = discrete ? admissible(space) : { count: Number.POSITIVE_INFINITY, exact: false };
    const planned = search.estimate() ?? null;
    const trials = Math.min(count, planned ?? count);
    // time a few real trials (its first asks) on the training window
    const sample = made().search.ask(CALIBRATION_TRIALS).map((c) => makeTrial(s, c, configPath));
    const t0 = performance.now();
    const out = engine.runTrials({ bars: market.bars, window, trials: sample, regimes: [], folds: foldWindows, costs: config.costs, barsPerYear, captureSignals: true });
    const perTrial = sample.length ? (performance.now() - t0) / 1000 / sample.length : 0;
    // bytes per trial: its performance file (≈ one metrics block per regime of every classifier)
    // and its signal events (bar, time, position: 20 bytes each, ~1 kB of Arrow framing)
    const metricsBytes = out.length ? JSON.stringify(out[0]!.metrics, null, 2).length : 400;
    const events = out.length ? out.reduce((a, r) => a + (r.signals?.bar.length ?? 0), 0) / out.length : 0;
    const bytesPerTrial = (600 + metricsBytes * (1 + 3 * config.classifiers.length)) * folds.length + 1024 + 20 * events;
    const atMost = b.patience !== undefined || b.timeout_seconds !== undefined;
    // a budget below the admissible count fixes the count exactly, however that count was found
    return { name: s.name, type: s.type, algorithm, grid_points: discrete ? gridSize(space) : -1, trials, exact: exact || (planned !== null && planned < count), planned, at_most: atMost, seconds_per_trial: perTrial, bytes_per_trial: bytesPerTrial };
  });
  if (budget.timeout_seconds !== undefined) fitTimeout(rows, budget.timeout_seconds * workers);
  const trials = rows.reduce((a, r) => a + r.trials, 0);
  // a timeout bounds the searches' wall time (they run side by side), whatever the count says
  const seconds = Math.min(rows.reduce((a, r) => a + r.trials * r.seconds_per_trial, 0) / workers, budget.timeout_seconds ?? Number.POSITIVE_INFINITY);
  const bytes = rows.reduce((a, r) => a + r.trials * r.bytes_per_trial, 0);
  const copies = Math.max(1, series.length);
  const distributed = prepared.executor.url === 'local' ? undefined : distributedEstimate(prepared.executor.url, rows, copies, folds.length, workers, split.trainEnd);
  return {
    workspace: prepared.paths.base, train_bars: split.trainEnd, test_bars: market.bars.close.length - split.testStart, workers, folds: folds.length, series, strategies: rows, budget, notes,
    trials, total_trials: trials * copies, seconds: seconds * copies, bytes: bytes * copies, ...(distributed ? { distributed } : {}),
  };
}

/**
 * The model's wall time for the run on `workers` remote workers, the coordinator on this machine
 * writing the trial files on its cores. The kernel's cost is this config's own calibration (its
 * bars, folds and strategies, on this machine); the rest are MEASURED_COSTS.
 */
function distributedEstimate(url: string, rows: Array<{ trials: number; seconds_per_trial: number }>, series: number, folds: number, workers: number, bars: number): NonNullable<DryRunReport['distributed']> {
  const finite = rows.filter((r) => Number.isFinite(r.trials));
  const total = finite.reduce((a, r) => a + r.trials, 0);
  const trialSeconds = total > 0 ? finite.reduce((a, r) => a + r.trials * r.seconds_per_trial, 0) / total : 0;
  const costs = { ...MEASURED_COSTS.costs, trial_seconds: trialSeconds };
  // batches cut as the Redis executor cuts them for bars scored to the end of the training window
  const work = { series, strategy_trials: finite.map((r) => r.trials), folds, bars };
  const machine = { file_threads: Math.max(1, availableParallelism()) };
  const prediction = predictSpeedup(work, costs, workers, machine);
  return { executor: redactUrl(url), costs_from: MEASURED_COSTS.source, trial_seconds: trialSeconds, prediction, one_worker_seconds: prediction.seconds * prediction.speedup };
}

/** the URL as messages show it: a password never printed */
const redactUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/**
 * Trials per strategy that fit in `seconds` of worker time. Phase 1 asks the strategies in rounds of
 * the same size, so they advance together until one runs out: water-filling — every strategy still
 * running gets the same count (the level), raised until the time is spent, a strategy leaving once
 * the level reaches its own count. Counts so cut are estimates (≈); a continuous space's count is
 * infinite until the timeout cuts it.
 */
export function fitTimeout(rows: Array<{ trials: number; exact: boolean; seconds_per_trial: number }>, seconds: number): void {
  const total = rows.reduce((a, r) => a + r.trials * r.seconds_per_trial, 0);
  if (total <= seconds) return;
  let left = seconds;
  let level = 0;
  const active = [...rows].sort((a, b) => a.trials - b.trials);
  while (active.length) {
    const rate = active.reduce((a, r) => a + r.seconds_per_trial, 0);
    if (rate === 0) break;
    const next = active[0]!;
    const need = (next.trials - level) * rate;
    if (rate > 0 && need > left) {
      level += left / rate;
      break;
    }
    left -= need;
    level = next.trials;
    active.shift();
  }
  for (const r of active) (r.trials = Math.max(1, Math.round(level))), (r.exact = false);
}
