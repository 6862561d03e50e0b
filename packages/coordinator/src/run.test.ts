import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CheckpointSchema,
  ClassifierModelFileSchema,
  EnsembleReportFileSchema,
  EnsembleTrialSchema,
  EnsembleWeightsSchema,
  ManifestSchema,
  ParameterSurfaceSchema,
  PHASES,
  readJsonFile,
  RegimeAnalysisReportSchema,
  RegimeOptimalParamsSchema,
  ResolvedConfigSchema,
  TrialPerformanceSchema,
  TrialsFileSchema,
  ValidationResultsSchema,
  ValidationTradesSchema,
  workspacePaths,
  type TrialPerformance,
} from '@regimen/core';
import { readArrowTable, readRegimeLabels, readSignalEvents, readValidationEquity } from '@regimen/data';
import { loadEngine, runSignalReplay } from '@regimen/backtester';
import { trialPositions, windowReturns } from '@regimen/kernel';
import { candidateBlocks, compareIds, compileObjective, OverfittingSchema, probabilityOfBacktestOverfitting } from '@regimen/optimizer';
import { runWorkflow, type RunResult } from './run.js';
import { smallWorkflow } from './test-fixtures.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('a small workflow end to end', () => {
  let run: RunResult;
  let ws: ReturnType<typeof workspacePaths>;

  beforeAll(async () => {
    // the config's own pbo_blocks (16): the PBO below is recomputed at that default
    const { dir, config } = smallWorkflow({ pboBlocks: null });
    run = await runWorkflow(config, { outDir: join(dir, 'ws'), workers: 0 });
    ws = workspacePaths(join(dir, 'ws'));
  });

  it('runs the four phases and writes a checkpoint for each', () => {
    expect(run.ran).toEqual([...PHASES]);
    for (const p of PHASES) expect(readJsonFile(ws.checkpoint(p), CheckpointSchema).phase).toBe(p);
  });

  it('writes every file of the workspace contract, each valid under its schema', () => {
    const schemaOf: Array<[RegExp, z.ZodType]> = [
      [/metadata\/workflow\.json$/, ManifestSchema],
      [/metadata\/config\.resolved\.json$/, ResolvedConfigSchema],
      [/metadata\/trials\.json$/, TrialsFileSchema],
      [/metadata\/classifiers\/[^/]+\.json$/, ClassifierModelFileSchema],
      [/checkpoints\/[^/]+\.json$/, CheckpointSchema],
      [/performance\/ensemble_trial_[^/]+\.json$/, EnsembleTrialSchema],
      [/performance\/trial_[^/]+\.json$/, TrialPerformanceSchema],
      [/performance\/validation_results\.json$/, ValidationResultsSchema],
      [/analysis\/regime_optimal_params\.json$/, RegimeOptimalParamsSchema],
      [/analysis\/ensemble_weights\.json$/, EnsembleWeightsSchema],
      [/analysis\/validation_trades\.json$/, ValidationTradesSchema],
      [/analysis\/regime_report\.json$/, RegimeAnalysisReportSchema],
      [/analysis\/parameter_surface\.json$/, ParameterSurfaceSchema],
      [/analysis\/ensemble_report\.json$/, EnsembleReportFileSchema],
    ];
    const files = filesUnder(ws.base);
    for (const must of [ws.manifest, ws.configCopy, ws.configResolved, ws.trials, ws.trialsTable, ws.regimeOptimalParams, ws.regimeReport, ws.parameterSurface, ws.ensembleWeights, ws.ensembleReport, ws.validationResults, ws.validationTrades, ws.validationEquity]) {
      expect(files).toContain(must);
    }
    let validated = 0;
    for (const f of files.filter((x) => x.endsWith('.json'))) {
      const hit = schemaOf.find(([re]) => re.test(f));
      if (hit) {
        readJsonFile(f, hit[1]);
        validated++;
      }
    }
    expect(validated).toBeGreaterThan(10);
    // the order the weight search scored its sets, for the report's convergence chart
    for (const r of Object.values(readJsonFile(ws.ensembleReport, EnsembleReportFileSchema))) {
      expect(r.weight_sets.map((w) => w.evaluation).sort((a, b) => a! - b!)).toEqual(r.weight_sets.map((_, i) => i));
    }
    // all 8 trials (2 strategies × 2×2 grid) with signals; regimes per classifier and split
    const { trials } = readJsonFile(ws.trials, TrialsFileSchema);
    expect(trials).toHaveLength(8);
    for (const t of trials) {
      expect(existsSync(ws.trialSignals(t.trial_id))).toBe(true);
      expect(readSignalEvents(ws.trialSignals(t.trial_id)).trial_id).toBe(t.trial_id);
    }
    expect(readArrowTable(ws.trialsTable).numRows).toBe(8);
    for (const c of ['hmm', 'pattern_based']) for (const s of ['train', 'test'] as const) expect(readRegimeLabels(ws.regimeLabels(c, s)).names.length).toBeGreaterThan(1);
  });

  it('records in workflow.json the paths it wrote to', () => {
    const m = readJsonFile(ws.manifest, ManifestSchema);
    expect(m.paths).toEqual({ base: ws.base, signals: ws.signals, regimes: ws.regimes, performance: ws.performance, analysis: ws.analysis, metadata: ws.metadata, classifiers: ws.classifiers, checkpoints: ws.checkpoints });
    const dirs = Object.values(m.paths);
    for (const f of filesUnder(ws.base)) {
      const top = relative(ws.base, f).split('/')[0]!;
      expect(dirs).toContain(join(ws.base, top));
    }
    expect(m.phases).toEqual([...PHASES]);
    expect(m.config_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.data_fingerprint.bars).toBe(1200);
  });

  it('scores every trial under every classifier and names every regime in the analysis', () => {
    const optimal = readJsonFile(ws.regimeOptimalParams, RegimeOptimalParamsSchema);
    const weights = readJsonFile(ws.ensembleWeights, EnsembleWeightsSchema);
    for (const c of ['hmm', 'pattern_based']) {
      const regimes = readJsonFile(ws.classifierModel(c), ClassifierModelFileSchema).regimes;
      expect(Object.keys(optimal[c]!).sort()).toEqual([...regimes].sort());
      expect(Object.keys(weights[c]!).sort()).toEqual([...regimes].sort());
      for (const r of regimes) {
        expect(Object.keys(optimal[c]![r]!).sort()).toEqual(['strategy_1', 'strategy_2']);
        const w = weights[c]![r]!;
        expect(Math.abs(w.strategy_1! + w.strategy_2! - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('replays one trial with weight 1 and reproduces its phase-1 metrics exactly', async () => {
    const { trials } = readJsonFile(ws.trials, TrialsFileSchema);
    const engine = await loadEngine('js');
    const hmm = readRegimeLabels(ws.regimeLabels('hmm', 'train'));
    const track = { ...hmm, classifier: 'hmm' };
    for (const t of trials.slice(0, 3)) {
      const perf: TrialPerformance = readJsonFile(ws.trialPerformance(t.trial_id), TrialPerformanceSchema);
      const entry = { params: t.params, trial_id: t.trial_id, metric: 'sharpe', score: 0 };
      const winners = Object.fromEntries(track.names.map((r) => [r, { [t.strategy]: entry }]));
      const close = new Float64Array(perf.bars);
      // the replay needs the prices: read them back through the same loader the run used
      const { loadMarketData } = await import('@regimen/data');
      const m = loadMarketData(readJsonFile(ws.configResolved, ResolvedConfigSchema).data.path);
      close.set(m.bars.close.subarray(0, perf.bars));
      const [row] = runSignalReplay(
        { close, window: { start: 0, end: perf.bars }, regime: track, breakdown: [track], strategies: [t.strategy], winners, costs: run.config.costs, barsPerYear: readJsonFile(ws.manifest, ManifestSchema).bars_per_year },
        (id) => ws.trialSignals(id),
        [{ [t.strategy]: 1 }],
        engine,
      );
      expect(row!.metrics).toEqual(perf.metrics);
      expect(row!.regimes.hmm).toEqual(perf.regimes.hmm);
    }
  });

  it('validates on the test split against the baselines and proves no look-ahead', () => {
    const v = readJsonFile(ws.validationResults, ValidationResultsSchema);
    const m = readJsonFile(ws.manifest, ManifestSchema);
    expect(v.split).toBe('test');
    expect(v.bars).toBe(m.split.test_bars);
    expect(v.first).toBe(m.split.test_start);
    expect(v.checks.transitions_verified).toBe(true);
    expect(v.checks.look_ahead?.passed).toBe(true);
    expect(Object.keys(v.other_classifiers)).toEqual(['pattern_based']);
    const trades = readJsonFile(ws.validationTrades, ValidationTradesSchema).trades;
    expect(trades.length).toBe(v.adaptive.metrics.trades + (trades[0]?.bar === readJsonFile(ws.manifest, ManifestSchema).split.train_bars ? 1 : 0));
    for (const t of trades) {
      expect(t.bar).toBeGreaterThanOrEqual(m.split.train_bars);
      if (t.regime) expect(Object.keys(t.weights).sort()).toEqual(['strategy_1', 'strategy_2']);
    }
    // buy and hold over the test split: total return is the price ratio (no costs after entry)
    expect(v.baselines.buy_and_hold.metrics.trades).toBe(0);
  });

  it('writes the PBO of the run\'s selections (per regime winners, weights) and of each strategy, as recomputed from market data', async () => {
    const o = readJsonFile(ws.overfitting, OverfittingSchema);
    const m = readJsonFile(ws.manifest, ManifestSchema);
    const report = readJsonFile(ws.regimeReport, RegimeAnalysisReportSchema);
    expect(o.window).toEqual({ start: 0, end: m.split.train_bars });
    expect(o.blocks).toBe(16);
    const { trials } = readJsonFile(ws.trials, TrialsFileSchema);
    const { loadMarketData } = await import('@regimen/data');
    const bars = loadMarketData(readJsonFile(ws.configResolved, ResolvedConfigSchema).data.path).bars;
    const objective = compileObjective(report.objective);
    const entry = (key: string) => o.entries.find((e) => e.key === key)!;
    let compared = 0;
    for (const s of ['strategy_1', 'strategy_2']) {
      // positions from the strategy itself, not from the saved signals
      const mine = trials.filter((t) => t.strategy === s).sort((a, b) => compareIds(a.trial_id, b.trial_id));
      const positions = mine.map((t) => trialPositions(bars, t));
      const returns = positions.map((p) => windowReturns(bars.close, p, o.window, run.config.costs));
      for (const c of ['hmm', 'pattern_based']) {
        const track = readRegimeLabels(ws.regimeLabels(c, 'train'));
        track.names.forEach((regime, k) => {
          const e = entry(`selection/${c}/${regime}/${s}`);
          expect(e).toMatchObject({ kind: 'selection', statistic: report.objective, min_bars: 10, ranked: 'the 4 trials of strategy_1'.replace('strategy_1', s) });
          // bar t's return is the regime's when its position was taken there: label[t − 1]
          const idx = Array.from({ length: returns[0]!.length }, (_, j) => j).filter((j) => track.labels[j] === k);
          expect(e.bar_count).toBe(idx.length);
          if (report.classifiers[c]![regime]![s]!.skipped || idx.length < 64) return expect(e.result).toBeNull();
          const blocks = returns.map((r, n) => candidateBlocks({
            returns: idx.map((j) => r[j]!),
            traded: idx.map((j) => (positions[n]![j + 1] !== positions[n]![j] ? 1 : 0)),
            exposed: idx.map((j) => (positions[n]![j] !== 0 ? 1 : 0)),
          }, 16));
          const want = probabilityOfBacktestOverfitting(blocks, { blocks: 16, objective, barsPerYear: m.bars_per_year, minBars: 10, minTrades: 0 });
          expect(e.result).toEqual(want);
          if (want) compared++;
        });
      }
      const overall = probabilityOfBacktestOverfitting(returns.map((r) => candidateBlocks({ returns: r }, 16)), { blocks: 16, objective: compileObjective('sharpe'), barsPerYear: m.bars_per_year })!;
      const got = entry(`strategy/${s}`).result!;
      expect(got.pbo).toBe(overall.pbo);
      expect(got.logits.mean).toBeCloseTo(overall.logits.mean, 12);
      expect(got.candidates).toBe(4);
    }
    expect(compared).toBeGreaterThan(2);
    expect(entry('all_trials').result!.candidates).toBe(8);
    // the grid search scored the grid [0, 0.5, 1] per strategy on the simplex: (0,1) (1,0) (½,½) (⅓,⅔) (⅔,⅓)
    const ensemble = o.entries.filter((e) => e.kind === 'ensemble');
    expect(ensemble.length).toBeGreaterThan(3);
    for (const e of ensemble) {
      expect(e.ranked).toBe(`the 5 weight sets the grid search scored for ${e.classifier}`);
      if (e.result) expect(e.result.candidates).toBe(5);
    }
    expect(ensemble.some((e) => e.result)).toBe(true);
  });

  it('writes every validation run\'s equity per bar, ending at 1 + total_return with its max drawdown, bit for bit', () => {
    const v = readJsonFile(ws.validationResults, ValidationResultsSchema);
    const m = readJsonFile(ws.manifest, ManifestSchema);
    const eq = readValidationEquity(ws.validationEquity);
    expect(eq.meta).toEqual({ kind: 'regimen.validation_equity', classifier: 'hmm', split: 'test', start: m.data_fingerprint.bars - m.split.test_bars, runs: ['adaptive', 'best_static', 'equal_weights', 'buy_and_hold', 'adaptive:pattern_based'] });
    expect(eq.time.length).toBe(v.bars);
    const metricsOf: Record<string, { total_return: number; max_drawdown: number }> = {
      adaptive: v.adaptive.metrics,
      best_static: v.baselines.best_static.metrics,
      equal_weights: v.baselines.equal_weights.metrics,
      buy_and_hold: v.baselines.buy_and_hold.metrics,
      'adaptive:pattern_based': v.other_classifiers.pattern_based!.metrics,
    };
    for (const run of eq.meta.runs) {
      const e = eq.equity[run]!;
      expect(e[0]).toBe(1);
      expect(e[e.length - 1]! - 1).toBe(metricsOf[run]!.total_return);
      let peak = 1;
      let dd = 0;
      for (const x of e) {
        peak = Math.max(peak, x);
        dd = Math.max(dd, 1 - x / peak);
      }
      expect(dd).toBe(metricsOf[run]!.max_drawdown);
    }
  });

  it('reads back its own summary from the analysis files', () => {
    expect(run.summary.optimal).toEqual(readJsonFile(ws.regimeOptimalParams, RegimeOptimalParamsSchema));
    expect(run.summary.validation?.classifier).toBe('hmm');
    expect(readFileSync(ws.configCopy, 'utf8')).toContain('strategy_1');
  });
});

describe('validation on either engine', () => {
  it('writes byte-identical results and proofs with --engine js and wasm', async () => {
    const { dir, config } = smallWorkflow();
    const out = join(dir, 'ws');
    await runWorkflow(config, { outDir: out, workers: 0, engine: 'wasm' });
    const paths = workspacePaths(out);
    const files = [paths.validationResults, paths.validationTrades];
    const wasm = files.map((f) => readFileSync(f));
    await runWorkflow(config, { outDir: out, workers: 0, engine: 'js', fromPhase: 'validation' });
    files.forEach((f, i) => expect(readFileSync(f).equals(wasm[i]!), f).toBe(true));
    const v = readJsonFile(paths.validationResults, ValidationResultsSchema);
    expect(v.checks.transitions_verified).toBe(true);
    expect(v.checks.transitions_checked).toBeGreaterThan(10);
  });

  it('checks look-ahead after every bar and switching at every transition and trade with exhaustive (--exhaustive), rerunning a finished validation', async () => {
    const { dir, config } = smallWorkflow({ bars: 700 });
    const out = join(dir, 'ws');
    await runWorkflow(config, { outDir: out, workers: 0 });
    const paths = workspacePaths(out);
    const sampled = readJsonFile(paths.validationResults, ValidationResultsSchema);
    expect(sampled.checks.look_ahead!.cuts.length).toBeLessThanOrEqual(10);
    const again = await runWorkflow(config, { outDir: out, workers: 0, resume: true, exhaustive: true });
    expect(again.ran).toEqual(['validation']);
    const v = readJsonFile(paths.validationResults, ValidationResultsSchema);
    const start = readJsonFile(paths.manifest, ManifestSchema).split.train_bars;
    expect(v.checks.look_ahead).toEqual({ passed: true, cuts: Array.from({ length: v.bars - 1 }, (_, i) => start + i) });
    const trades = readJsonFile(paths.validationTrades, ValidationTradesSchema).trades;
    expect(v.checks.transitions_checked).toBe(new Set([...v.transitions.map((t) => t.bar), ...trades.map((t) => t.bar)]).size);
    // everything but the checks is the same
    expect({ ...v, checks: null }).toEqual({ ...sampled, checks: null });
  });
});
