import { regimenError, type RegimeTrack, type ScoreWindow, type SearchOutcome, type TrialPerformance, type BarColumns, type DataFingerprint, type Engine, type PhaseName, type PluginRegistry, type ResolvedConfig, type Rng, type WorkspacePaths } from '@regimen/core';
import type { Executor } from '@regimen/backtester';

/** What the coordinator knows while it runs a workflow; handed to each phase. */
export interface RunContext {
  config: ResolvedConfig;
  configPath: string;
  paths: WorkspacePaths;
  registry: PluginRegistry;
  bars: BarColumns;
  /** train bars are [trainStart, trainEnd); test bars [testStart, bars) (a fold's bars end with its test window) */
  split: { trainStart: number; trainEnd: number; testStart: number; testStartTime: string };
  barsPerYear: number;
  fingerprint: DataFingerprint;
  executor: Executor;
  engine: Engine;
  rng: Rng;
  emit: (e: RunEvent) => void;
  /** --resume: results already on disk from an interrupted run of the same config are kept */
  resume: boolean;
  /** aborted on Ctrl-C: phases stop between trials, keeping everything finished */
  signal: AbortSignal;
  /** seconds per stage of the running phase (fit, label, trials, replay, proofs…), for its checkpoint */
  stages: Record<string, number>;
  /** --exhaustive: validation checks look-ahead and switching at every bar, not at sampled cuts */
  exhaustive?: boolean;
  /**
   * per-series stages run as tasks on the executor (stage-worker.ts): set when several series
   * (a universe) or folds are in flight, whose stages then fill the workers side by side
   */
  stageTasks?: boolean;
  /** where the workflow's plugins resolve from (a third-party classifier's module for its stage tasks) */
  pluginsFrom?: string;
  /**
   * What this fold's validation computed, kept in memory for the walk-forward's stitching in the
   * same process (walk-forward/results.ts), which would otherwise relabel the series and rerun
   * every run of the validation. Absent when validation was skipped (resumed from its checkpoint).
   */
  validationRuns?: ValidationRuns;
  /** every trial's performance file as read by the first of phases 2–4 (trial-performances.ts) */
  trialPerformances?: readonly TrialPerformance[];
}

/** The driving classifier's live track and each validation run's positions over the window (a copy of [window.start, window.end)). */
export interface ValidationRuns {
  window: ScoreWindow;
  track: RegimeTrack;
  positions: Record<string, Float64Array>;
}

/** Adds seconds to a stage of the running phase. */
export function addStage(ctx: RunContext, stage: string, seconds: number): void {
  ctx.stages[stage] = (ctx.stages[stage] ?? 0) + seconds;
}

/** Runs `work` and counts its wall time to a stage of the running phase. */
export function timed<T>(ctx: RunContext, stage: string, work: () => T): T {
  const t0 = performance.now();
  try {
    return work();
  } finally {
    addStage(ctx, stage, (performance.now() - t0) / 1000);
  }
}

/** `timed` for asynchronous work. */
export async function timedAsync<T>(ctx: RunContext, stage: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    addStage(ctx, stage, (performance.now() - t0) / 1000);
  }
}

/** Throw the one-line "interrupted" error if the run was asked to stop. */
export function checkInterrupted(ctx: RunContext): void {
  if (ctx.signal.aborted) {
    throw regimenError({ code: 'interrupted', file: ctx.paths.base, message: 'interrupted; finished trials are kept — continue with --resume' });
  }
}

/**
 * `fold`: the fold of a walk-forward the phase ran for (phases 2–4; phase 1 runs for all at once);
 * `series`: the series of a universe the event is of (absent for a workflow of one series)
 */
export type RunEvent = (
  | { type: 'phase-start'; phase: PhaseName; fold?: number }
  | { type: 'phase-done'; phase: PhaseName; seconds: number; counts: Record<string, number>; stages: Record<string, number>; fold?: number }
  | { type: 'phase-skip'; phase: PhaseName; reason: string; fold?: number }
  | { type: 'progress'; phase: PhaseName; done: number; total: number | undefined }
  | { type: 'info'; message: string }
) & { series?: string };

export interface PhaseOutput {
  outputs: string[];
  counts: Record<string, number>;
  /** phase 1: how each strategy's search ended (into its checkpoint) */
  search?: Record<string, SearchOutcome>;
}

/** The first `end` bars as views (no copy); core's, so engines cut data the same way. */
export { sliceBars } from '@regimen/core';
