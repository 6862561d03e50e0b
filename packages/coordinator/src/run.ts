import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import { canonicalJson, createRng, PHASES, regimenError, sha256, workspacePaths, type Manifest, type PhaseName, type ResolvedConfig } from '@regimen/core';
import { dataFingerprint, inferBarsPerYear, loadMarketData, splitBars } from '@regimen/data';
import { loadEngine, localExecutor, type EngineName } from '@regimen/backtester';
import { inputsHash, readCheckpoint, writeCheckpoint } from './checkpoints.js';
import { loadWorkflowConfig } from './config-file.js';
import type { PhaseOutput, RunContext, RunEvent } from './context.js';
import { resolveConfig } from './defaults.js';
import { builtinRegistry, loadPlugins } from './plugins.js';
import { configHash, openWorkspace } from './workspace.js';
import { parameterDiscovery } from './phases/parameter-discovery.js';
import { regimeAnalysis, regimeAnalysisInputs } from './phases/regime-analysis.js';
import { ensembleInputs, ensembleOptimization } from './phases/ensemble-optimization.js';
import { validation, validationInputs } from './phases/validation.js';
import { summarize, type RunSummary } from './summary.js';

export interface RunOptions {
  /** --out: the workspace folder (overrides output_dir) */
  outDir?: string;
  workers?: number;
  engine?: EngineName;
  resume?: boolean;
  force?: boolean;
  fromPhase?: PhaseName;
  onlyPhase?: PhaseName;
  onEvent?: (e: RunEvent) => void;
}

export interface RunResult {
  manifest: Manifest;
  config: ResolvedConfig;
  ran: PhaseName[];
  skipped: PhaseName[];
  summary: RunSummary;
}

interface PhaseDef {
  run: (ctx: RunContext) => Promise<PhaseOutput>;
  inputs: (ctx: RunContext) => string[];
}

const PHASE_DEFS: Record<PhaseName, PhaseDef> = {
  parameter_discovery: { run: parameterDiscovery, inputs: () => [] },
  regime_analysis: { run: regimeAnalysis, inputs: regimeAnalysisInputs },
  ensemble_optimization: { run: ensembleOptimization, inputs: ensembleInputs },
  validation: { run: validation, inputs: validationInputs },
};

/** A phase's own config section plus everything every phase shares: its part of the inputs hash. */
function phaseConfigHash(config: ResolvedConfig, phase: PhaseName): string {
  const { output_dir: _o, phases: _p, parameter_discovery, regime_analysis, ensemble_optimization, validation: v, ...shared } = config;
  const own = { parameter_discovery, regime_analysis, ensemble_optimization, validation: v }[phase];
  return sha256(canonicalJson({ shared, own }));
}

function checkPhaseName(name: string | undefined, flag: string, config: ResolvedConfig): void {
  if (name === undefined) return;
  if (!PHASES.includes(name as PhaseName)) throw regimenError({ code: 'usage', field: flag, value: name, message: `not a phase (${PHASES.join(', ')})` });
  if (!config.phases.includes(name as PhaseName)) throw regimenError({ code: 'usage', field: flag, value: name, message: `the workflow has no such phase (${config.phases.join(', ')})` });
}

export async function runWorkflow(configPath: string, opts: RunOptions = {}): Promise<RunResult> {
  const emit = opts.onEvent ?? (() => {});
  const { config: raw, text } = loadWorkflowConfig(configPath);
  const config = resolveConfig(raw, { configPath, outDir: opts.outDir });
  checkPhaseName(opts.fromPhase, '--from-phase', config);
  checkPhaseName(opts.onlyPhase, '--only-phase', config);
  if (opts.fromPhase && opts.onlyPhase) throw regimenError({ code: 'usage', field: '--only-phase', message: 'give --from-phase or --only-phase, not both' });

  const registry = builtinRegistry();
  await loadPlugins(registry, config.plugins, dirname(resolve(configPath)));
  for (const c of config.classifiers) registry.classifier(c.plugin);
  registry.optimizer(config.parameter_discovery.algorithm);
  registry.optimizer(config.ensemble_optimization.algorithm);

  const market = loadMarketData(config.data.path, { column: config.data.column, minBars: 4 });
  const split = splitBars(market.bars, config.data.split, configPath);
  if (market.timeKind === 'bar' && config.data.bars_per_year === null) {
    throw regimenError({ code: 'config', file: configPath, field: 'workflow.data.bars_per_year', message: `${market.source} has bar numbers, not dates: give bars_per_year` });
  }
  const barsPerYear = config.data.bars_per_year ?? inferBarsPerYear(market.bars.time);
  const fingerprint = dataFingerprint(market.bars, market.source);
  const paths = workspacePaths(config.output_dir);

  const mode = opts.resume ? 'resume' : opts.fromPhase || opts.onlyPhase ? 'reuse' : 'fresh';
  const manifest = openWorkspace(paths, {
    mode, force: opts.force ?? false, config, configText: text, fingerprint, barsPerYear,
    split: { train_bars: split.trainEnd, test_bars: market.bars.close.length - split.testStart, test_start: split.testStartTime },
  });

  const workers = Math.max(0, opts.workers ?? Math.min(availableParallelism(), 8));
  const engineName = opts.engine ?? 'js';
  const executor = localExecutor({ workers, engine: engineName });
  const ctx: RunContext = {
    config, configPath: resolve(configPath), paths, registry, bars: market.bars,
    split: { trainEnd: split.trainEnd, testStart: split.testStart, testStartTime: split.testStartTime },
    barsPerYear, fingerprint, executor, engine: await loadEngine(engineName), rng: createRng(config.seed), emit,
  };

  const order = config.phases;
  const selected = opts.onlyPhase ? [opts.onlyPhase] : opts.fromPhase ? order.slice(order.indexOf(opts.fromPhase)) : order;
  const ran: PhaseName[] = [];
  const skipped: PhaseName[] = [];
  const hashAll = configHash(config);
  void hashAll;
  try {
    for (const phase of selected) {
      const def = PHASE_DEFS[phase];
      const inputs = def.inputs(ctx);
      for (const f of inputs) {
        if (!existsSync(f)) throw regimenError({ code: 'workspace', file: f, message: `phase ${phase} needs this file from an earlier phase; run the earlier phases first` });
      }
      const hash = inputsHash(ctx, phaseConfigHash(config, phase), phase, inputs);
      const done = readCheckpoint(ctx, phase);
      if (opts.resume && done && done.inputs_hash === hash) {
        skipped.push(phase);
        emit({ type: 'phase-skip', phase, reason: 'checkpoint is up to date' });
        continue;
      }
      // a phase that reruns invalidates itself and everything after it until each completes again
      for (const later of order.slice(order.indexOf(phase))) rmSync(paths.checkpoint(later), { force: true });
      emit({ type: 'phase-start', phase });
      const t0 = performance.now();
      const out = await def.run(ctx);
      const seconds = (performance.now() - t0) / 1000;
      writeCheckpoint(ctx, { phase, status: 'complete', completed_at: new Date().toISOString(), inputs_hash: hash, outputs: out.outputs.map((p) => p.slice(paths.base.length + 1)), counts: out.counts, seconds });
      ran.push(phase);
      emit({ type: 'phase-done', phase, seconds, counts: out.counts });
    }
  } finally {
    await executor.close();
  }
  return { manifest, config, ran, skipped, summary: summarize(paths, config) };
}
