import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { embeddedDataPath, loadMarketData } from '@regimen/data';
import { workspacePaths, type Engine, type RegimeTrack, type TrialBatch } from '@regimen/core';
import { eventsFromPositions, evaluatePositions, referenceEngine, trialPositions } from '@regimen/kernel';
import type { AdaptiveInput } from '@regimen/backtester';
import type { DistributedExecutors } from './executors.js';

/**
 * A small real workflow for tests: the last `bars` rows of the embedded NYSE series, two
 * strategies on a 2×2 grid (or `strategies`, YAML lines under `strategies:`), both classifiers,
 * a grid ensemble. Seconds, not minutes. `data` replaces the data mapping, `files` are written
 * beside the workflow (a universe's files), `validation` the validation phase's config.
 * `pboBlocks` (default 8, null: the config's own default of 16) is regime analysis' pbo_blocks:
 * 70 CSCV splits instead of 12,870, which made the PBO most of a small workflow's time.
 */
export function smallWorkflow(opts: { bars?: number; extra?: string; ensemble?: string; validation?: string; phases?: string; strategies?: string; data?: string; files?: Record<string, string>; pboBlocks?: number | null } = {}): { dir: string; config: string; data: string } {
  const pboBlocks = opts.pboBlocks === undefined ? 8 : opts.pboBlocks;
  const dir = mkdtempSync(join(tmpdir(), 'regimen-test-'));
  const lines = readFileSync(embeddedDataPath(), 'utf8').trim().split('\n');
  const data = join(dir, 'prices.csv');
  writeFileSync(data, [lines[0], ...lines.slice(-(opts.bars ?? 1200))].join('\n') + '\n');
  for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), text);
  const config = join(dir, 'workflow.yaml');
  writeFileSync(
    config,
    `workflow:
  id: small
  seed: 11
  data: ${opts.data ?? '{ path: prices.csv, split: { train_fraction: 0.7 } }'}
  strategies:
${opts.strategies ?? `    strategy_1: { type: momentum, side: long_short }
    strategy_2: { type: mean_reversion }`}
  classifiers:
    hmm: { options: { states: 2, restarts: 2, max_iter: 100 } }
    pattern_based: {}
${opts.extra ?? ''}
  phases:
${
  opts.phases ??
  `    - name: parameter_discovery
      config:
        parameter_space: { lookback: [10, 30], threshold: [0.005, 0.02] }
    - name: regime_analysis
      config: { metrics: [sharpe, sortino, max_drawdown], min_bars: 10${pboBlocks === null ? '' : `, pbo_blocks: ${pboBlocks}`} }
    - name: ensemble_optimization
      config: ${opts.ensemble ?? '{ algorithm: grid, objective: sharpe }'}
    - name: validation
      config: ${opts.validation ?? '{ data_split: test, verify_transitions: true }'}`
}
`,
  );
  return { dir, config, data };
}

/**
 * smallWorkflow over a universe of Dow series: the first `rows` days of the embedded Dow 30 closes,
 * those columns only, written beside the workflow as dow.csv.
 */
export function dowUniverseWorkflow(series: string[], rows: number, opts: { phases?: string; extra?: string } = {}): { dir: string; config: string } {
  const lines = readFileSync(embeddedDataPath('dowjones30_daily_close.csv'), 'utf8').trim().split('\n');
  const cols = lines[0]!.split(',');
  const pick = [0, ...series.map((c) => cols.indexOf(c))];
  const csv = lines.slice(0, rows + 1).map((l) => pick.map((i) => l.split(',')[i]).join(',')).join('\n') + '\n';
  return smallWorkflow({ data: `{ path: dow.csv, columns: [${series.join(', ')}] }`, files: { 'dow.csv': csv }, ...opts });
}

/** Every analysis file and the validation results of a workspace, by name → text (to compare runs byte for byte). */
export function analysisFiles(dir: string): Map<string, string> {
  const p = workspacePaths(dir);
  const out = new Map<string, string>();
  for (const f of readdirSync(p.analysis)) out.set(`analysis/${f}`, readFileSync(join(p.analysis, f), 'utf8'));
  out.set('performance/validation_results.json', readFileSync(p.validationResults, 'utf8'));
  return out;
}

/**
 * An engine whose strategy peeks one bar ahead: its position at the close of bar t is what the
 * honest strategy would only know at the close of t+1. The no-look-ahead proofs must catch it.
 */
export const peekingEngine: Engine = {
  name: 'js',
  runTrials(batch: TrialBatch) {
    return batch.trials.map((trial) => {
      const honest = trialPositions(batch.bars, trial);
      const pos = new Float64Array(honest.length);
      for (let t = 0; t < pos.length; t++) pos[t] = honest[Math.min(t + 1, pos.length - 1)]!;
      const { metrics, regimes } = evaluatePositions(batch.bars.close, pos, batch.window, batch.costs, batch.barsPerYear, batch.regimes);
      return { trial_id: trial.trial_id, metrics, regimes, signals: eventsFromPositions(pos, batch.window) };
    });
  },
  replay: (batch) => referenceEngine.replay(batch),
};

/**
 * An adaptive backtest for the proofs' tests: the first 1,500 bars of the embedded NYSE series, a
 * causal two-regime rule (is the close above its value 50 bars ago?) and a momentum strategy
 * whose lookback and weight switch with it; validated on bars 1000–1499.
 */
export function trendFixture() {
  const { bars } = loadMarketData(embeddedDataPath());
  const n = 1500;
  const cut = { time: bars.time.subarray(0, n), open: bars.open.subarray(0, n), high: bars.high.subarray(0, n), low: bars.low.subarray(0, n), close: bars.close.subarray(0, n) };
  const labels = (len: number): RegimeTrack => {
    const l = new Uint8Array(len).fill(255);
    for (let t = 50; t < len; t++) l[t] = cut.close[t]! > cut.close[t - 50]! ? 0 : 1;
    return { classifier: 'trend', names: ['up', 'down'], labels: l };
  };
  const track = labels(n);
  const entry = (lookback: number) => ({ params: { lookback, threshold: 0.01, side: 'long_short' as const }, trial_id: `m${lookback}`, metric: 'sharpe', score: 0 });
  const input: AdaptiveInput = {
    bars: cut,
    window: { start: 1000, end: n },
    regime: track,
    breakdown: [track],
    strategies: [{ name: 'mom', type: 'momentum' }],
    winners: { up: { mom: entry(20) }, down: { mom: entry(60) } },
    weights: { up: { mom: 1 }, down: { mom: 0.5 } },
    costs: { fee: 0.0005, slippage: 0 },
    barsPerYear: 252,
  };
  return { labels, input, entry };
}

/** the package name of the fixture classifier plugin (installLevelClassifier) */
export const LEVEL_CLASSIFIER = 'regimen-classifier-level';

/**
 * A third-party classifier plugin installed as a package in `dir`/node_modules (zod linked from
 * Regimen's own), so a workflow in `dir` names it `plugins: [regimen-classifier-level]` and a
 * `regimen worker --plugins dir` finds it at the same version. Its regimes: the close above or
 * at-or-below the mean of a seeded random sample of the training closes (the seed matters: the
 * model depends on it). Where each fit ran is appended to $REGIMEN_TEST_FIT_LOG as
 * `pid:threadId` — a side channel for tests, not part of the model.
 * Returns the YAML lines that add it to smallWorkflow's classifiers (`extra`).
 */
export function installLevelClassifier(dir: string): string {
  const pkg = join(dir, 'node_modules', LEVEL_CLASSIFIER);
  mkdirSync(pkg, { recursive: true });
  const zod = dirname(createRequire(import.meta.url).resolve('zod/package.json'));
  symlinkSync(zod, join(dir, 'node_modules', 'zod'), 'dir');
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: LEVEL_CLASSIFIER, version: '1.2.3', type: 'module', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), `import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { z } from 'zod';
export default {
  kind: 'classifier',
  name: 'level',
  options: z.object({ sample: z.number().int().min(1).default(50) }).strict(),
  fit(train, o, { seed }) {
    if (process.env.REGIMEN_TEST_FIT_LOG) appendFileSync(process.env.REGIMEN_TEST_FIT_LOG, process.pid + ':' + threadId + '\\n');
    let s = seed >>> 0, sum = 0;
    for (let i = 0; i < o.sample; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      sum += train.close[s % train.close.length];
    }
    return { mean: sum / o.sample };
  },
  regimes: () => ['above', 'below'],
  label: (d, m) => Uint8Array.from(d.close, (c) => (c > m.mean ? 0 : 1)),
};
`);
  return `    level: { plugin: level, options: { sample: 40 } }
  plugins: [${LEVEL_CLASSIFIER}]`;
}

/** An "executor" (`executor: 'count://'`) that is the local pool, pushing the kind of every stage task it is given to `kinds`. */
export function countingStageTasks(kinds: string[]): DistributedExecutors {
  return {
    check: () => {},
    create: async (r) => ({
      ...r.local,
      get workers() {
        return r.local.workers;
      },
      runTask: <R>(module: string, task: unknown) => {
        if (module.endsWith('stage-worker.js')) kinds.push((task as { kind: string }).kind);
        return r.local.runTask!<R>(module, task);
      },
      close: () => r.local.close(),
    }),
  };
}
