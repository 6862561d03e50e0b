import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import { canonicalJson, createRng, ensureDir, regimenError, sha256, type Manifest, type PhaseName, type ResolvedConfig } from '@regimen/core';
import { loadEngine, localExecutor, type EngineName } from '@regimen/backtester';
import { inputsHash, readCheckpoint, writeCheckpoint } from './checkpoints.js';
import type { PhaseOutput, RunContext, RunEvent } from './context.js';
import { lockWorkspace } from './lock.js';
import { openWorkspace } from './workspace.js';
import { parameterDiscovery } from './phases/parameter-discovery.js';
import { regimeAnalysis, regimeAnalysisInputs } from './phases/regime-analysis.js';
import { ensembleInputs, ensembleOptimization } from './phases/ensemble-optimization.js';
import { validation, validationInputs } from './phases/validation.js';
import { summarize, type RunSummary } from './summary.js';
import { prepareRun } from './prepare.js';

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
  /** abort to stop between trials (Ctrl-C); finished work is kept */
  signal?: AbortSignal;
}

export interface RunResult {
  manifest: Manifest;
  config: ResolvedConfig;
  ran: PhaseName[];
  skipped: PhaseName[];
  summary: RunSummary;
  /** seconds spent loading and fingerprinting the data, before any phase */
  loadSeconds: number;
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

/**
 * `target` is a workflow file, or a workspace folder: then the run's own copy of its config is
 * used (relative paths resolve from where the original file was) and the workspace is resumed.
 */
export async function runWorkflow(target: string, opts: RunOptions = {}): Promise<RunResult> {
  const emit = opts.onEvent ?? (() => {});
  const prepared = await prepareRun(target, opts);
  const { config, registry, market, split, barsPerYear, fingerprint, paths, text, configPath, originalConfig, loadSeconds } = prepared;
  opts = prepared.opts;
  const mode = opts.fromPhase || opts.onlyPhase ? 'reuse' : opts.resume ? 'resume' : 'run';
  try {
    ensureDir(paths.base);
  } catch (e) {
    throw regimenError({ code: 'workspace', file: paths.base, message: `cannot create the workspace (${(e as NodeJS.ErrnoException).code})` });
  }
  const lock = lockWorkspace(paths.base);
  if (lock.staleFrom !== undefined) emit({ type: 'info', message: `took over a stale lock left by pid ${lock.staleFrom} (that run is gone)` });
  try {
    const { manifest, resumed } = openWorkspace(paths, {
      mode, force: opts.force ?? false, config, configPath: originalConfig, configText: text, fingerprint, barsPerYear,
      split: { train_bars: split.trainEnd, test_bars: market.bars.close.length - split.testStart, test_start: split.testStartTime },
    });
    const workers = Math.max(0, opts.workers ?? Math.min(availableParallelism(), 8));
    const engineName = opts.engine ?? 'wasm';
    const executor = localExecutor({ workers, engine: engineName });
    const ctx: RunContext = {
      config, configPath: resolve(configPath), paths, registry, bars: market.bars,
      split: { trainStart: 0, trainEnd: split.trainEnd, testStart: split.testStart, testStartTime: split.testStartTime },
      barsPerYear, fingerprint, executor, engine: await loadEngine(engineName), rng: createRng(config.seed), emit,
      resume: resumed, signal: opts.signal ?? new AbortController().signal, stages: {},
    };
    const order = config.phases;
    const selected = opts.onlyPhase ? [opts.onlyPhase] : opts.fromPhase ? order.slice(order.indexOf(opts.fromPhase)) : order;
    if (resumed) emit({ type: 'info', message: `resuming the run in ${paths.base}: finished phases and trials are kept` });
    try {
      const { ran, skipped } = await runPhases(ctx, selected);
      return { manifest, config, ran, skipped, summary: summarize(paths, config), loadSeconds };
    } finally {
      await executor.close();
    }
  } finally {
    lock.release();
  }
}

/** Run the selected phases in order; on --resume a phase whose checkpoint matches its inputs is skipped. */
async function runPhases(ctx: RunContext, selected: PhaseName[]): Promise<{ ran: PhaseName[]; skipped: PhaseName[] }> {
  const { config, paths, emit } = ctx;
  const order = config.phases;
  const ran: PhaseName[] = [];
  const skipped: PhaseName[] = [];
  for (const phase of selected) {
    const def = PHASE_DEFS[phase];
    const inputs = def.inputs(ctx);
    for (const f of inputs) {
      if (!existsSync(f)) throw regimenError({ code: 'workspace', file: f, message: `phase ${phase} needs this file from an earlier phase; run the earlier phases first` });
    }
    const hash = inputsHash(ctx, phaseConfigHash(config, phase), phase, inputs);
    const done = readCheckpoint(ctx, phase);
    if (ctx.resume && done && done.inputs_hash === hash) {
      skipped.push(phase);
      emit({ type: 'phase-skip', phase, reason: 'checkpoint is up to date' });
      continue;
    }
    // a phase that reruns invalidates itself and everything after it until each completes again
    for (const later of order.slice(order.indexOf(phase))) rmSync(paths.checkpoint(later), { force: true });
    emit({ type: 'phase-start', phase });
    ctx.stages = {};
    const t0 = performance.now();
    const out = await def.run(ctx);
    const seconds = (performance.now() - t0) / 1000;
    const stages = ctx.stages;
    writeCheckpoint(ctx, { phase, status: 'complete', completed_at: new Date().toISOString(), inputs_hash: hash, outputs: out.outputs.map((p) => p.slice(paths.base.length + 1)), counts: out.counts, seconds, stages });
    ran.push(phase);
    emit({ type: 'phase-done', phase, seconds, counts: out.counts, stages });
  }
  return { ran, skipped };
}
