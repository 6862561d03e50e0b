import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import { canonicalJson, createRng, regimenError, sha256, type Manifest, type PhaseName, type ResolvedConfig } from '@regimen/core';
import { loadEngine, type EngineName, type Executor } from '@regimen/backtester';
import { inputsHash, readCheckpoint, writeCheckpoint } from './checkpoints.js';
import type { PhaseOutput, RunContext, RunEvent } from './context.js';
import { claimWorkspace } from '@regimen/core';
import { openWorkspace, type WorkspaceMode } from './workspace.js';
import { parameterDiscovery } from './phases/parameter-discovery.js';
import { regimeAnalysis, regimeAnalysisInputs } from './phases/regime-analysis.js';
import { ensembleInputs, ensembleOptimization } from './phases/ensemble-optimization.js';
import { validation, validationInputs } from './phases/validation.js';
import { summarize, type RunSummary } from './summary.js';
import { prepareRun, type PreparedSeries } from './prepare.js';
import { openExecutor, type DistributedExecutors } from './executors.js';
import { runUniverse } from './universe/run-universe.js';
import { describeFolds } from './walk-forward/fold-plan.js';
import { openFoldWorkspaces } from './walk-forward/fold-context.js';
import { writeWalkForwardResults } from './walk-forward/results.js';

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
  /** a universe: series run at the same time (default: one per worker, at least one) */
  seriesInFlight?: number;
  /** --executor: `local`, or a URL for `executors` (wins over the workflow's `executor:`) */
  executor?: string;
  /** distributed executors the caller can make (the cli hands in Redis's) */
  executors?: DistributedExecutors;
  /** --exhaustive: validation's look-ahead and switching checks at every bar instead of sampled cuts */
  exhaustive?: boolean;
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

/** Phases 2–4 run per fold; phase 1 runs once for all folds (see parameter-discovery.ts). */
interface PhaseDef {
  run: (ctx: RunContext) => Promise<PhaseOutput>;
  inputs: (ctx: RunContext) => string[];
}

const FOLD_PHASES: Record<Exclude<PhaseName, 'parameter_discovery'>, PhaseDef> = {
  regime_analysis: { run: regimeAnalysis, inputs: regimeAnalysisInputs },
  ensemble_optimization: { run: ensembleOptimization, inputs: ensembleInputs },
  validation: { run: validation, inputs: validationInputs },
};

/** A phase's own config section plus everything every phase shares: its part of the inputs hash. */
function phaseConfigHash(config: ResolvedConfig, phase: PhaseName): string {
  const { output_dir: _o, phases: _p, parameter_discovery, regime_analysis, ensemble_optimization, validation: v, ...shared } = config;
  // phase 3 writes the PBO of phase 2's winners too, in pbo_blocks blocks
  const own = { parameter_discovery, regime_analysis, ensemble_optimization: { ...ensemble_optimization, pbo_blocks: regime_analysis.pbo_blocks }, validation: v }[phase];
  return sha256(canonicalJson({ shared, own }));
}

/**
 * `target` is a workflow file, or a workspace folder: then the run's own copy of its config is
 * used (relative paths resolve from where the original file was) and the workspace is resumed.
 * A universe runs each of its series as the workflow of one series (runSeries) in its own folder.
 */
export async function runWorkflow(target: string, opts: RunOptions = {}): Promise<RunResult> {
  const prepared = await prepareRun(target, opts);
  opts = prepared.opts;
  const workers = workerCount(opts);
  // a universe runs several series at a time on one executor (local pool or remote workers):
  // the local pool keeps the data of every series in flight, plus one
  const inFlight = prepared.universe ? Math.min(prepared.universe.series.length, Math.max(1, opts.seriesInFlight ?? workers)) : 1;
  const executor = await openExecutor(prepared.executor, opts.executors, {
    workers, engine: opts.engine ?? 'wasm', workflowId: prepared.config.workflow_id, workerPlugins: prepared.strategySources, taskPlugins: prepared.classifierSources,
    resumeHint: `regimen run ${prepared.paths.base} --resume`, emit: (message) => opts.onEvent?.({ type: 'info', message }),
    ...(prepared.universe ? { dataSets: inFlight + 1 } : {}),
  });
  if (prepared.universe) {
    try {
      return await runUniverse(prepared, opts, executor, inFlight);
    } finally {
      await executor.close();
    }
  }
  try {
    return { ...(await runSeries(prepared, executor, opts)), loadSeconds: prepared.loadSeconds };
  } finally {
    await executor.close();
  }
}

/** --workers, or one per core up to 8 */
export function workerCount(opts: RunOptions): number {
  return Math.max(0, opts.workers ?? Math.min(availableParallelism(), 8));
}

/** How a run treats a workspace it finds: see WorkspaceMode. */
export function workspaceMode(opts: RunOptions): WorkspaceMode {
  return opts.fromPhase || opts.onlyPhase ? 'reuse' : opts.resume ? 'resume' : 'run';
}

/**
 * One series in its workspace: lock it, open (or resume) it, run the selected phases of its
 * folds through `executor`, and write a walk-forward's results when every fold is done. The
 * whole of a workflow of one series; each series of a universe is run by it too, several at a
 * time on one executor.
 */
export async function runSeries(prepared: PreparedSeries, executor: Executor, opts: RunOptions, mode: WorkspaceMode = workspaceMode(opts)): Promise<Omit<RunResult, 'loadSeconds'>> {
  const { config, registry, market, split, barsPerYear, fingerprint, paths, text, configPath, originalConfig, folds } = prepared;
  const emit = opts.onEvent ?? (() => {});
  const walkForward = config.validation.method === 'walk_forward';
  const lock = claimWorkspace(paths.base, (message) => emit({ type: 'info', message }), { force: opts.force });
  try {
    const { manifest, resumed } = openWorkspace(paths, {
      mode, force: opts.force ?? false, config, configPath: originalConfig, configText: text, fingerprint, barsPerYear,
      split: { train_bars: split.trainEnd, test_bars: market.bars.close.length - split.testStart, test_start: split.testStartTime },
      ...(walkForward ? { folds: describeFolds(folds, market.bars.time) } : {}),
      ...(prepared.series ? { series: prepared.series } : {}),
    });
    const ctx: RunContext = {
      config, configPath: resolve(configPath), paths, registry, bars: market.bars,
      split: { trainStart: 0, trainEnd: split.trainEnd, testStart: split.testStart, testStartTime: split.testStartTime },
      barsPerYear, fingerprint, executor, engine: await loadEngine(executor.engine), rng: createRng(config.seed), emit,
      resume: resumed, signal: opts.signal ?? new AbortController().signal, stages: {}, exhaustive: opts.exhaustive ?? false,
      // a universe's series, or a walk-forward's folds, run their stages side by side as tasks
      stageTasks: prepared.series !== undefined || (walkForward && folds.length > 1),
      pluginsFrom: prepared.baseDir,
    };
    const order = config.phases;
    const selected = opts.onlyPhase ? [opts.onlyPhase] : opts.fromPhase ? order.slice(order.indexOf(opts.fromPhase)) : order;
    if (resumed) emit({ type: 'info', message: `resuming the run in ${paths.base}: finished phases and trials are kept` });
    // a single split is the plan of one fold, run in the workspace itself
    const foldCtxs = walkForward ? openFoldWorkspaces(ctx, folds, manifest) : [ctx];
    const { ran, skipped } = await runPhases(ctx, foldCtxs, selected);
    if (walkForward && foldCtxs.every((f) => existsSync(f.paths.checkpoint(order[order.length - 1]!)))) await writeWalkForwardResults(ctx, foldCtxs, folds);
    return { manifest, config, ran, skipped, summary: summarize(paths, config) };
  } finally {
    lock.release();
  }
}

/**
 * Run the selected phases in order; on --resume a phase whose checkpoint matches its inputs is
 * skipped. Phase 1 runs once for every fold; then each fold runs its later phases in turn, so a
 * walk-forward finishes fold after fold and resumes at the fold and phase it was in.
 */
async function runPhases(ctx: RunContext, folds: RunContext[], selected: PhaseName[]): Promise<{ ran: PhaseName[]; skipped: PhaseName[] }> {
  const ran = new Set<PhaseName>();
  const skipped = new Set<PhaseName>();
  const many = folds.length > 1;
  const note = (phase: PhaseName, did: boolean) => (did ? ran.add(phase) : skipped.add(phase));
  if (selected.includes('parameter_discovery')) {
    note('parameter_discovery', await runPhase(ctx, folds, 'parameter_discovery', async () => {
      for (const f of folds) f.stages = ctx.stages;
      return parameterDiscovery(ctx, folds);
    }, () => []));
  }
  for (const [k, f] of folds.entries()) {
    for (const phase of selected) {
      if (phase === 'parameter_discovery') continue;
      const def = FOLD_PHASES[phase];
      note(phase, await runPhase(f, [f], phase, async () => [await def.run(f)], def.inputs, many ? k : undefined));
    }
    delete f.trialPerformances; // kept for this fold's phases only (trial-performances.ts)
  }
  return { ran: [...ran], skipped: [...skipped].filter((p) => !ran.has(p)) };
}

/** One phase over some folds: skipped if every fold's checkpoint matches its inputs; else run and checkpointed in each. Says whether it ran. */
async function runPhase(
  ctx: RunContext,
  folds: RunContext[],
  phase: PhaseName,
  run: () => Promise<PhaseOutput[]>,
  inputsOf: (f: RunContext) => string[],
  fold?: number,
): Promise<boolean> {
  const { config, emit } = ctx;
  const order = config.phases;
  const hashes = folds.map((f) => {
    const inputs = inputsOf(f);
    for (const file of inputs) {
      if (!existsSync(file)) throw regimenError({ code: 'workspace', file, message: `phase ${phase} needs this file from an earlier phase; run the earlier phases first` });
    }
    // a fold's windows are part of what its phases were computed from
    // (and validation's on whether its checks were exhaustive: --exhaustive on a finished run reruns it)
    const own = phase === 'validation' && f.exhaustive ? ['exhaustive'] : [];
    return inputsHash(f, phaseConfigHash(config, phase) + JSON.stringify([f.split.trainStart, f.split.trainEnd, f.split.testStart, f.bars.close.length, ...own]), phase, inputs);
  });
  if (ctx.resume && folds.every((f, i) => readCheckpoint(f, phase)?.inputs_hash === hashes[i])) {
    emit({ type: 'phase-skip', phase, reason: 'checkpoint is up to date', ...(fold !== undefined ? { fold } : {}) });
    return false;
  }
  // a phase that reruns invalidates itself and everything after it until each completes again
  for (const f of folds) for (const later of order.slice(order.indexOf(phase))) rmSync(f.paths.checkpoint(later), { force: true });
  emit({ type: 'phase-start', phase, ...(fold !== undefined ? { fold } : {}) });
  ctx.stages = {};
  const t0 = performance.now();
  const outs = await run();
  const seconds = (performance.now() - t0) / 1000;
  const stages = ctx.stages;
  folds.forEach((f, i) => {
    const out = outs[i]!;
    writeCheckpoint(f, { phase, status: 'complete', completed_at: new Date().toISOString(), inputs_hash: hashes[i]!, outputs: out.outputs.map((p) => relative(f.paths.base, p)), counts: out.counts, seconds, stages, ...(out.search ? { search: out.search } : {}) });
  });
  const counts = outs.length === 1 ? outs[0]!.counts : { folds: outs.length, trials: Math.max(...outs.map((o) => o.counts.trials ?? 0)) };
  emit({ type: 'phase-done', phase, seconds, counts, stages, ...(fold !== undefined ? { fold } : {}) });
  return true;
}
