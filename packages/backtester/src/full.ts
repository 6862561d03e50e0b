import { relative } from 'node:path';
import { workspacePaths, writeJsonAtomic, type ScoreWindow, type SplitName, type TrialPerformance, type TrialRow, type TrialSpec, type WorkspacePaths } from '@regimen/core';
import { writeSignalEvents, type SignalFormat } from '@regimen/data';
import type { Executor, TrialJob } from './executor.js';
import type { TaskSeconds } from './worker.js';

/**
 * Mode `full`: run every trial from market data, capture its signals, and write each trial's
 * files as its batch finishes (signals first, then the performance file), so a performance file
 * on disk always has its signals beside it.
 *
 * Where the files go is plain data (the workspace folder; every path comes from core's
 * workspacePaths), so the local executor's workers encode and write their own trials' files in
 * parallel; an executor whose workers cannot reach the workspace returns the signals instead and
 * they are written here. Either way the caller sees each trial once, after its files are whole.
 */
export interface TrialOutputs {
  workspace: string;
  split: SplitName;
  /** null: signals are not captured */
  signalFormat: SignalFormat | null;
}

export interface FullOutputs extends TrialOutputs {
  /** called after each trial's files are committed */
  onTrialWritten?: (perf: TrialPerformance) => void;
  /** where each batch's time went (engine, files), as measured where it ran */
  onBatchSeconds?: (seconds: TaskSeconds) => void;
}

export function trialPerformance(trial: TrialSpec, window: ScoreWindow, row: TrialRow, out: TrialOutputs, paths: WorkspacePaths = workspacePaths(out.workspace)): TrialPerformance {
  return {
    trial_id: trial.trial_id,
    strategy: trial.strategy,
    type: trial.type,
    params: trial.params,
    split: out.split,
    bars: window.end - window.start,
    metrics: row.metrics,
    regimes: row.regimes,
    signals_path: out.signalFormat ? relative(paths.base, paths.trialSignals(trial.trial_id, out.signalFormat)) : null,
  };
}

/** Per-trial files skip fsync (see WriteOptions): a resumed run re-validates them. */
const PER_TRIAL = { durable: false } as const;

/** Writes one trial's signals (when captured) and then its performance file; returns the performance. */
export function writeTrialFiles(trial: TrialSpec, row: TrialRow, time: Float64Array, window: ScoreWindow, out: TrialOutputs, paths: WorkspacePaths = workspacePaths(out.workspace)): TrialPerformance {
  if (out.signalFormat) {
    if (!row.signals) throw new Error(`engine returned no signals for trial ${trial.trial_id}`);
    writeSignalEvents(paths.trialSignals(trial.trial_id, out.signalFormat), row.signals, { trial_id: trial.trial_id, time, window }, out.signalFormat, PER_TRIAL);
  }
  const perf = trialPerformance(trial, window, row, out, paths);
  writeJsonAtomic(paths.trialPerformance(trial.trial_id), perf, PER_TRIAL);
  return perf;
}

export async function runFullBacktest(job: TrialJob, executor: Executor, out: FullOutputs): Promise<TrialPerformance[]> {
  const perfs: TrialPerformance[] = new Array(job.trials.length);
  const outputs: TrialOutputs = { workspace: out.workspace, split: out.split, signalFormat: out.signalFormat };
  const paths = workspacePaths(out.workspace);
  await executor.run({ ...job, captureSignals: out.signalFormat !== null, outputs }, ({ indices, rows, written, seconds }) => {
    if (seconds) out.onBatchSeconds?.(seconds);
    indices.forEach((idx, k) => {
      const trial = job.trials[idx]!;
      const perf = written ? trialPerformance(trial, job.window, rows[k]!, outputs, paths) : writeTrialFiles(trial, rows[k]!, job.bars.time, job.window, outputs, paths);
      perfs[idx] = perf;
      out.onTrialWritten?.(perf);
    });
  });
  return perfs;
}
