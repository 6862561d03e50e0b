import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointSchema,
  ManifestSchema,
  PHASES,
  readJsonFile,
  RegimeOptimalParamsSchema,
  TrialPerformanceSchema,
  TrialsFileSchema,
  ValidationResultsSchema,
  WalkForwardOverfittingSchema,
  WalkForwardResultsSchema,
  workspacePaths,
} from '@regimen/core';
import { loadMarketData, readRegimeLabels, readSignalEvents, readValidationEquity } from '@regimen/data';
import { referenceEngine } from '@regimen/kernel';
import { OverfittingSchema } from '@regimen/optimizer';
import { runWorkflow, type RunResult } from '../run.js';
import { smallWorkflow } from '../test-fixtures.js';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';

// the pool loads the built worker (dist/); without it only the in-process half runs, a failure under CI=true
const built = !requireOrSkip('the built backtester', builtMissing(new URL('../../../backtester/dist/worker.js', import.meta.url)));

// smallWorkflow's own phases (its pbo_blocks: 8 included: the one-fold walk-forward below equals its single split)
const validationWith = (extra: string) => `    - name: parameter_discovery
      config:
        parameter_space: { lookback: [10, 30], threshold: [0.005, 0.02] }
    - name: regime_analysis
      config: { metrics: [sharpe, sortino, max_drawdown], min_bars: 10, pbo_blocks: 8 }
    - name: ensemble_optimization
      config: { algorithm: grid, objective: sharpe }
    - name: validation
      config: { data_split: test, verify_transitions: true${extra} }`;

describe('a walk-forward of three rolling folds', () => {
  let run: RunResult;
  let dir: string;
  let config: string;
  let ws: ReturnType<typeof workspacePaths>;

  beforeAll(async () => {
    const w = smallWorkflow({ bars: 1500, phases: validationWith(', method: walk_forward, folds: 3, scheme: rolling, in_sample: 600, gap: 3') });
    dir = w.dir;
    config = w.config;
    run = await runWorkflow(w.config, { outDir: join(dir, 'ws'), workers: 0 });
    ws = workspacePaths(join(dir, 'ws'));
  });

  it('plans the folds in workflow.json and runs every phase of every fold in its own folder', () => {
    const m = readJsonFile(ws.manifest, ManifestSchema);
    // (1500 − 600 − 3) / 3 = 299 bars out of sample each, the last ending with the data
    expect(m.folds!.map((f) => [f.in_sample.start, f.in_sample.end, f.out_of_sample.start, f.out_of_sample.end])).toEqual([
      [0, 600, 603, 902], [299, 899, 902, 1201], [598, 1198, 1201, 1500],
    ]);
    expect(run.ran).toEqual([...PHASES]);
    for (const k of [0, 1, 2]) {
      const f = workspacePaths(ws.fold(k));
      expect(readJsonFile(f.manifest, ManifestSchema).fold).toEqual({ index: k, of: 3, workspace: ws.base });
      for (const p of PHASES) expect(readJsonFile(f.checkpoint(p), CheckpointSchema).phase).toBe(p);
      expect(readJsonFile(f.validationResults, ValidationResultsSchema).bars).toBe(299);
      expect(existsSync(f.regimeOptimalParams) && existsSync(f.ensembleWeights) && existsSync(f.overfitting)).toBe(true);
    }
  });

  it('scores each trial on each fold\'s window with that fold\'s regimes, from one signals file per trial', () => {
    const m = readJsonFile(ws.manifest, ManifestSchema);
    const bars = loadMarketData(resolve(dir, 'prices.csv')).bars;
    const { trials } = readJsonFile(workspacePaths(ws.fold(0)).trials, TrialsFileSchema);
    expect(trials).toHaveLength(8);
    for (const k of [0, 2]) {
      const f = workspacePaths(ws.fold(k));
      const plan = m.folds![k]!;
      const labels = readRegimeLabels(f.regimeLabels('hmm', 'train'));
      expect(labels.labels.length).toBe(plan.in_sample.end - plan.in_sample.start);
      const track = { classifier: 'hmm', names: labels.names, labels: new Uint8Array(plan.in_sample.end).fill(255) };
      track.labels.set(labels.labels, plan.in_sample.start);
      const t = trials[5]!;
      const [want] = referenceEngine.runTrials({ bars, window: { start: plan.in_sample.start, end: plan.in_sample.end }, trials: [t], regimes: [track], costs: run.config.costs, barsPerYear: m.bars_per_year, captureSignals: false });
      const perf = readJsonFile(f.trialPerformance(t.trial_id), TrialPerformanceSchema);
      expect(perf.metrics).toEqual(want!.metrics);
      expect(perf.regimes.hmm).toEqual(want!.regimes.hmm);
      expect(perf.bars).toBe(600);
      expect(resolve(f.base, perf.signals_path!)).toBe(ws.trialSignals(t.trial_id));
    }
    expect(readSignalEvents(ws.trialSignals(trials[0]!.trial_id)).window).toEqual({ start: 0, end: 1198 });
  });

  it('stitches the folds out of sample, counting every return once, with walk-forward efficiency and parameter stability', () => {
    const wf = readJsonFile(ws.walkForwardResults, WalkForwardResultsSchema);
    const m = readJsonFile(ws.manifest, ManifestSchema);
    const close = loadMarketData(resolve(dir, 'prices.csv')).bars.close;
    expect(wf.folds).toHaveLength(3);
    expect(wf.stitched.bars).toBe(3 * 299);
    expect(wf.stitched.returns).toBe(3 * 299 - 1);
    for (const [k, f] of wf.folds.entries()) {
      const v = readJsonFile(workspacePaths(ws.fold(k)).validationResults, ValidationResultsSchema);
      expect(f.out_of_sample.adaptive).toEqual(v.adaptive.metrics);
      expect(f.out_of_sample.buy_and_hold).toEqual(v.baselines.buy_and_hold.metrics);
      expect(f.proofs).toEqual({ look_ahead: true, transitions_verified: true });
      const optimal = readJsonFile(workspacePaths(ws.fold(k)).regimeOptimalParams, RegimeOptimalParamsSchema).hmm!;
      expect(Object.keys(f.best_params).sort()).toEqual(Object.keys(optimal).sort());
      expect(f.walk_forward_efficiency).toBe(f.in_sample.adaptive.cagr > 0 ? f.out_of_sample.adaptive.cagr / f.in_sample.adaptive.cagr : null);
    }
    // buy and hold stitched is the price ratio over the span, the hand-over bars included
    const [s, e] = [m.folds![0]!.out_of_sample.start, m.folds![2]!.out_of_sample.end];
    expect(wf.stitched.metrics.buy_and_hold.total_return).toBeCloseTo(close[e - 1]! / close[s]! - 1, 12);
    const eq = readValidationEquity(join(ws.performance, 'walk_forward_equity.arrow'));
    expect(eq.time.length).toBe(3 * 299);
    expect(eq.equity.buy_and_hold![eq.time.length - 1]).toBeCloseTo(close[e - 1]! / close[s]!, 12);
    // no flat step where a fold hands over: the hand-over bar earns the price move like any other
    for (const f of m.folds!.slice(1)) {
      const i = f.out_of_sample.start - s;
      expect(eq.equity.buy_and_hold![i]! / eq.equity.buy_and_hold![i - 1]!).toBeCloseTo(close[f.out_of_sample.start]! / close[f.out_of_sample.start - 1]!, 12);
    }
    // inside each fold the stitched curve moves exactly as the fold's own validation equity
    for (const [k, f] of m.folds!.entries()) {
      const own = readValidationEquity(workspacePaths(ws.fold(k)).validationEquity);
      const off = f.out_of_sample.start - s;
      for (const run of ['adaptive', 'best_static', 'equal_weights', 'buy_and_hold']) {
        for (let t = 1; t < own.time.length; t++) expect(eq.equity[run]![off + t]! / eq.equity[run]![off + t - 1]!).toBeCloseTo(own.equity[run]![t]! / own.equity[run]![t - 1]!, 12);
      }
    }
    // the overall efficiency over the pooled in-sample cagr, recomputed by hand
    const logs = wf.folds.reduce((a, f) => a + Math.log(1 + f.in_sample.adaptive.total_return), 0);
    const n = wf.folds.reduce((a, f) => a + f.in_sample.end - f.in_sample.start - 1, 0);
    expect(wf.in_sample_cagr).toBeCloseTo(Math.exp((m.bars_per_year * logs) / n) - 1, 12);
    expect(wf.walk_forward_efficiency).toBe(wf.in_sample_cagr > 0 ? wf.stitched.metrics.adaptive.cagr / wf.in_sample_cagr : null);
    const st = wf.parameter_stability.hmm!;
    for (const regime of Object.keys(st)) for (const x of ['strategy_1', 'strategy_2']) expect(st[regime]![x]!.winners).toHaveLength(3);
  });

  it('writes the PBO of every fold and their mean at the top', () => {
    const top = readJsonFile(ws.overfitting, WalkForwardOverfittingSchema);
    expect(top.folds).toHaveLength(3);
    const each = [0, 1, 2].map((k) => readJsonFile(workspacePaths(ws.fold(k)).overfitting, OverfittingSchema));
    expect(top.folds).toEqual(each);
    const pbo = (o: (typeof each)[number], key: string) => o.entries.find((e) => e.key === key)!.result!.pbo;
    expect(top.mean_pbo['strategy/strategy_1']).toBeCloseTo(each.reduce((a, o) => a + pbo(o, 'strategy/strategy_1'), 0) / 3, 12);
    // every fold ranks each regime's winners and weights on that fold's own training bars
    for (const o of each) expect(o.entries.filter((e) => e.kind === 'selection' && e.result).length).toBeGreaterThan(0);
  });

  it('summarises per fold and stitched', () => {
    expect(run.summary.walkForward?.folds).toHaveLength(3);
  });

  it('writes the same stitched results from the validations it ran as when it recomputes them (resumed after every fold), and the same folds with the fits side by side on 2 workers', async () => {
    const top = ['performance/walk_forward_results.json', 'performance/walk_forward_equity.arrow', 'analysis/overfitting.json'];
    const bytes = (base: string, files: string[]) => files.map((f) => readFileSync(join(base, f)).toString('base64'));
    const first = bytes(ws.base, top);
    // every phase of every fold is checkpointed: the resume skips them all, so no validation ran in
    // this process and the results are recomputed from the workspace
    const again = await runWorkflow(config, { outDir: ws.base, workers: 0, resume: true });
    expect(again.ran).toEqual([]);
    expect(bytes(ws.base, top)).toEqual(first);
    if (!built) return;
    const two = join(dir, 'two');
    await runWorkflow(config, { outDir: two, workers: 2 });
    const perFold = (base: string) => {
      const p = workspacePaths(base);
      return [p.classifierModel('hmm'), p.regimeLabels('hmm', 'train'), p.regimeOptimalParams, p.ensembleWeights, p.overfitting, p.validationResults].map((f) => readFileSync(f).toString('base64'));
    };
    const twoWs = workspacePaths(two);
    for (const k of [0, 1, 2]) expect(perFold(twoWs.fold(k)), `fold ${k}`).toEqual(perFold(ws.fold(k)));
    expect(bytes(two, top)).toEqual(first);
  });
});

describe('a one-fold walk-forward', () => {
  it('gives the analysis and validation numbers of the single split over the same windows', async () => {
    const single = smallWorkflow({ bars: 1200 });
    const one = smallWorkflow({ bars: 1200, phases: validationWith(', method: walk_forward, folds: 1') });
    const a = workspacePaths(join(single.dir, 'ws'));
    const b = workspacePaths(join(one.dir, 'ws'));
    await runWorkflow(single.config, { outDir: a.base, workers: 0 });
    await runWorkflow(one.config, { outDir: b.base, workers: 0 });
    const fold = workspacePaths(b.fold(0));
    for (const file of ['regimeOptimalParams', 'ensembleWeights', 'regimeReport', 'overfitting', 'validationResults', 'validationTrades', 'parameterSurface'] as const) {
      expect(readFileSync(fold[file], 'utf8'), file).toBe(readFileSync(a[file], 'utf8'));
    }
    expect(readValidationEquity(fold.validationEquity)).toEqual(readValidationEquity(a.validationEquity));
  });
});
