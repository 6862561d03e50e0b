import type { BarColumns, DataFingerprint, Engine, PhaseName, PluginRegistry, ResolvedConfig, Rng, WorkspacePaths } from '@regimen/core';
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

/** The first `end` bars as views (no copy). */
export function sliceBars(bars: BarColumns, end: number): BarColumns {
  return {
    time: bars.time.subarray(0, end),
    open: bars.open.subarray(0, end),
    high: bars.high.subarray(0, end),
    low: bars.low.subarray(0, end),
    close: bars.close.subarray(0, end),
    ...(bars.volume ? { volume: bars.volume.subarray(0, end) } : {}),
  };
}
