import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedDataPath } from '@regimen/data';
import { runWorkflow } from '@regimen/coordinator';

// Test-only (outside src/, so never built into dist/ nor packed): the report itself reads files
// and schemas only; running a workflow to make them is the coordinator's, a devDependency here.
// Every workflow here takes 8 PBO blocks (70 CSCV splits): the report shows whatever
// analysis/overfitting.json holds, and at the default 16 (12,870 splits) the PBO was most of each run.

/**
 * A small real workspace with every kind of section content: a two-parameter strategy (a
 * heatmap), a three-parameter one (axis selectors), a one-parameter one (a line), a strategy that
 * never trades (a warning), and a classifier that flickers (another warning). Seconds to run.
 */
export async function reportTestWorkspace(bars = 1500): Promise<string> {
  return runTestWorkflow(
    bars,
    `workflow:
  id: report_test
  seed: 5
  data: { path: prices.csv, split: { train_fraction: 0.6 } }
  strategies:
    trend: { type: sma_crossover, side: long_short, parameter_space: { fast: [5, 10, 20], slow: [40, 80] } }
    swing: { type: rsi, parameter_space: { period: [7, 14], lower: [25, 35], upper: [65, 75] } }
    channel: { type: breakout, parameter_space: { lookback: [10, 20, 40, 80] } }
    dormant: { type: momentum, parameter_space: { lookback: [10, 20], threshold: [5, 10] } }
  classifiers:
    hmm: { options: { states: 2, restarts: 2, max_iter: 100 } }
    pattern_based: {}
    jumpy: { plugin: pattern, options: { channel: 2, hold: 1 } }
  phases:
    - name: parameter_discovery
    - name: regime_analysis
      config: { min_bars: 10, pbo_blocks: 8 }
    - name: ensemble_optimization
      config: { algorithm: grid, objective: sharpe, weight_space: { trend: [0, 0.5, 1], swing: [0, 0.5, 1], channel: [0, 0.5, 1], dormant: [0, 1] } }
    - name: validation
      config: { data_split: test }
`,
  );
}

/**
 * A small real walk-forward: three rolling folds of 600 bars in sample, 299 out of sample after a
 * gap of 3, two strategies (one a heatmap), two classifiers and an ensemble grid — every fold with
 * its own phases, PBO and page. Seconds to run.
 */
export async function walkForwardTestWorkspace(bars = 1500): Promise<string> {
  return runTestWorkflow(
    bars,
    `workflow:
  id: report_walk_forward
  seed: 7
  data: { path: prices.csv }
  strategies:
    trend: { type: sma_crossover, side: long_short, parameter_space: { fast: [5, 10, 20], slow: [40, 80] } }
    channel: { type: breakout, parameter_space: { lookback: [10, 20, 40, 80] } }
  classifiers:
    hmm: { options: { states: 2, restarts: 2, max_iter: 100 } }
    pattern_based: {}
  phases:
    - name: parameter_discovery
    - name: regime_analysis
      config: { min_bars: 10, pbo_blocks: 8 }
    - name: ensemble_optimization
      config: { algorithm: grid, objective: sharpe, weight_space: { trend: [0, 0.5, 1], channel: [0, 0.5, 1] } }
    - name: validation
      config: { verify_transitions: true, method: walk_forward, folds: 3, scheme: rolling, in_sample: 600, gap: 3 }
`,
  );
}

/**
 * Two objectives in regime analysis (sharpe and −max_drawdown, winner at the knee), sampled by
 * random search under a budget: every regime's Pareto front in analysis/pareto_fronts.json. Seconds to run.
 */
export async function paretoTestWorkspace(bars = 1200): Promise<string> {
  return runTestWorkflow(
    bars,
    `workflow:
  id: report_pareto
  seed: 3
  data: { path: prices.csv }
  strategies:
    trend: { type: sma_crossover, side: long_short, parameter_space: { fast: { min: 3, max: 30, step: 1 }, slow: { min: 35, max: 150, step: 1 } } }
    channel: { type: breakout, parameter_space: { lookback: { min: 5, max: 120, log: true } } }
  classifiers:
    hmm: { options: { states: 2, restarts: 2, max_iter: 100 } }
    pattern_based: {}
  phases:
    - name: parameter_discovery
      config: { algorithm: random, algorithm_options: { sampler: sobol }, max_trials: 60 }
    - name: regime_analysis
      config: { objectives: [sharpe, -max_drawdown], select: knee, min_bars: 10, pbo_blocks: 8 }
    - name: ensemble_optimization
      config: { algorithm: grid, objective: sharpe }
    - name: validation
      config: { verify_transitions: false }
`,
  );
}

/** Runs `yaml` on the last `bars` bars of the embedded series in a new temporary folder; returns the workspace. */
async function runTestWorkflow(bars: number, yaml: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-report-'));
  const lines = readFileSync(embeddedDataPath(), 'utf8').trim().split('\n');
  writeFileSync(join(dir, 'prices.csv'), [lines[0], ...lines.slice(-bars)].join('\n') + '\n');
  const config = join(dir, 'workflow.yaml');
  writeFileSync(config, yaml);
  const ws = join(dir, 'ws');
  await runWorkflow(config, { outDir: ws, workers: 0 });
  return ws;
}
