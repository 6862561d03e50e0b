import { regimenError, type BarColumns, type DataFingerprint, type Engine, type PhaseName, type PluginRegistry, type ResolvedConfig, type Rng, type WorkspacePaths } from '@regimen/core';
import type { Executor } from '@regimen/backtester';

/** What the coordinator knows while it runs a workflow; handed to each phase. */
export interface RunContext {
  config: ResolvedConfig;
  configPath: string;
  paths: WorkspacePaths;
  registry: PluginRegistry;
  bars: BarColumns;
  /** train bars are [0, trainEnd); test bars [testStart, bars) */
  split: { trainEnd: number; testStart: number; testStartTime: string };
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
}

/** Throw the one-line "interrupted" error if the run was asked to stop. */
export function checkInterrupted(ctx: RunContext): void {
  if (ctx.signal.aborted) {
    throw regimenError({ code: 'interrupted', file: ctx.paths.base, message: 'interrupted; finished trials are kept — continue with --resume' });
  }
}

export type RunEvent =
  | { type: 'phase-start'; phase: PhaseName }
  | { type: 'phase-done'; phase: PhaseName; seconds: number; counts: Record<string, number> }
  | { type: 'phase-skip'; phase: PhaseName; reason: string }
  | { type: 'progress'; phase: PhaseName; done: number; total: number | undefined }
  | { type: 'info'; message: string };

export interface PhaseOutput {
  outputs: string[];
  counts: Record<string, number>;
}

/** The first `end` bars as views (no copy); core's, so engines cut data the same way. */
export { sliceBars } from '@regimen/core';
