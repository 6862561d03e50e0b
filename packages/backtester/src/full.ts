import { relative } from 'node:path';
import { workspacePaths, writeJsonAtomic, type Evaluation, type FoldWindow, type ScoreWindow, type SplitName, type TrialPerformance, type TrialRow, type TrialSpec, type WorkspacePaths } from '@regimen/core';
import { writeSignalEvents, type SignalFormat } from '@regimen/data';
import type { Executor, TrialJob } from './executor.js';
import type { TaskSeconds } from './worker.js';

/**
 * Mode `full`: run every trial from market data, capture its signals, and write each trial's
 * files as its batch finishes (signals first, then the performance files), so a performance file
 * on disk always has its signals beside it.
 *
 * Where the files go is plain data (workspace folders; every path comes from core's
 * workspacePaths), so the local executor's workers encode and write their own trials' files in
 * parallel; an executor whose workers cannot reach the workspace returns the signals instead and
 * they are written here. Either way the caller sees each trial once, after its files are whole.
 *
 * The folds of a walk-forward (TrialJob.folds) share one signals file per trial — a trial's
 * positions do not depend on the fold — in `workspace`; each fold's performance file goes to its
 * own workspace and points at that file.
 */
export interface TrialOutputs {
  /** where the signals go, and the performance files when there are no folds */
  workspace: string;
  split: SplitName;
  /** null: signals are not captured */
  signalFormat: SignalFormat | null;
  /** with TrialJob.folds: each fold's workspace, in the folds' order */
  folds?: string[];
}

export interface FullOutputs extends TrialOutputs {
  /** called after each trial's files are committed, with its performance in each fold */
  onTrialWritten?: (perfs: TrialPerformance[]) => void;
  /** where each batch's time went (engine, files), as measured where it ran */
  onBatchSeconds?: (seconds: TaskSeconds) => void;
}

/** The folders and windows the performance files of a job go to (one when it has no folds). */
export interface PerformanceTargets {
  signals: WorkspacePaths;
  folds: Array<{ paths: WorkspacePaths; window: ScoreWindow }>;
}

export function performanceTargets(out: TrialOutputs, window: ScoreWindow, folds?: FoldWindow[]): PerformanceTargets {
  const signals = workspacePaths(out.workspace);
  if (!folds) return { signals, folds: [{ paths: signals, window }] };
  if (out.folds?.length !== folds.length) throw new Error(`${folds.length} folds need as many workspaces, got ${out.folds?.length ?? 0}`);
  return { signals, folds: folds.map((f, i) => ({ paths: workspacePaths(out.folds![i]!), window: f.window })) };
}

function trialPerformance(trial: TrialSpec, window: ScoreWindow, row: Evaluation, out: TrialOutputs, signalsPath: string | null, base: string): TrialPerformance {
  return {
    trial_id: trial.trial_id,
    strategy: trial.strategy,
    type: trial.type,
    params: trial.params,
    split: out.split,
    bars: window.end - window.start,
    metrics: row.metrics,
    regimes: row.regimes,
    signals_path: signalsPath ? relative(base, signalsPath) : null,
  };
}

/** Per-trial files skip fsync (see WriteOptions): a resumed run re-validates them. */
const PER_TRIAL = { durable: false } as const;

/**
 * Writes one trial's signals (when captured), then its performance file in every fold; returns
 * the performances (`write: false` only builds them, for files an executor already wrote).
 */
export function writeTrialFiles(trial: TrialSpec, row: TrialRow, time: Float64Array, window: ScoreWindow, out: TrialOutputs, targets: PerformanceTargets, write = true): TrialPerformance[] {
  const signalsPath = out.signalFormat ? targets.signals.trialSignals(trial.trial_id, out.signalFormat) : null;
  if (write && out.signalFormat) {
    if (!row.signals) throw new Error(`engine returned no signals for trial ${trial.trial_id}`);
    writeSignalEvents(signalsPath!, row.signals, { trial_id: trial.trial_id, time, window }, out.signalFormat, PER_TRIAL);
  }
  const evaluations = row.folds ?? [row];
  return targets.folds.map((f, i) => {
    const perf = trialPerformance(trial, f.window, evaluations[i]!, out, signalsPath, f.paths.base);
    if (write) writeJsonAtomic(f.paths.trialPerformance(trial.trial_id), perf, PER_TRIAL);
    return perf;
  });
}

/** Runs the job and commits every trial's files; returns each trial's performance in each fold. */
export async function runFullBacktest(job: TrialJob, executor: Executor, out: FullOutputs): Promise<TrialPerformance[][]> {
  const perfs: TrialPerformance[][] = new Array(job.trials.length);
  const outputs: TrialOutputs = { workspace: out.workspace, split: out.split, signalFormat: out.signalFormat, ...(out.folds ? { folds: out.folds } : {}) };
  const targets = performanceTargets(outputs, job.window, job.folds);
  await executor.run({ ...job, captureSignals: out.signalFormat !== null, outputs }, ({ indices, rows, written, seconds }) => {
    const t0 = performance.now();
    indices.forEach((idx, k) => {
      const trialPerfs = writeTrialFiles(job.trials[idx]!, rows[k]!, job.bars.time, job.window, outputs, targets, !written);
      perfs[idx] = trialPerfs;
      out.onTrialWritten?.(trialPerfs);
    });
    // files written here (an executor whose workers cannot reach the workspace) are file time too
    const here = written ? 0 : (performance.now() - t0) / 1000;
    if (seconds || here) out.onBatchSeconds?.({ backtest: seconds?.backtest ?? 0, files: (seconds?.files ?? 0) + here });
  });
  return perfs;
}
