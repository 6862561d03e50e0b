import { writeJsonAtomic, type SplitName, type TrialPerformance, type TrialRow } from '@regimen/core';
import { writeSignalEvents } from '@regimen/data';
import type { Executor, TrialJob } from './executor.js';

/**
 * Mode `full`: run every trial from market data, capture its signals, and write exactly the paths
 * it is given. Each trial's files are written as its batch finishes (signals first, then the
 * performance file), so a performance file on disk always has its signals beside it.
 */
export interface FullOutputs {
  performance(trialId: string): string;
  /** null: do not capture signals */
  signals: ((trialId: string) => string) | null;
  signalFormat: 'arrow' | 'jsonl';
  split: SplitName;
  /** for relative `signals_path` values in performance files */
  relativeTo?: (absolutePath: string) => string;
  /** called after each trial's files are committed */
  onTrialWritten?: (perf: TrialPerformance) => void;
}

export function trialPerformance(job: TrialJob, idx: number, row: TrialRow, out: FullOutputs): TrialPerformance {
  const trial = job.trials[idx]!;
  const sig = out.signals ? out.signals(trial.trial_id) : null;
  return {
    trial_id: trial.trial_id,
    strategy: trial.strategy,
    type: trial.type,
    params: trial.params,
    split: out.split,
    bars: job.window.end - job.window.start,
    metrics: row.metrics,
    regimes: row.regimes,
    signals_path: sig ? (out.relativeTo ? out.relativeTo(sig) : sig) : null,
  };
}

/** Per-trial files skip fsync (see WriteOptions): a resumed run re-validates them. */
const PER_TRIAL = { durable: false } as const;

export async function runFullBacktest(job: TrialJob, executor: Executor, out: FullOutputs): Promise<TrialPerformance[]> {
  const perfs: TrialPerformance[] = new Array(job.trials.length);
  const capture = out.signals !== null;
  await executor.run({ ...job, captureSignals: capture }, ({ indices, rows }) => {
    indices.forEach((idx, k) => {
      const row = rows[k]!;
      const trial = job.trials[idx]!;
      if (out.signals) {
        if (!row.signals) throw new Error(`engine returned no signals for trial ${trial.trial_id}`);
        writeSignalEvents(out.signals(trial.trial_id), row.signals, { trial_id: trial.trial_id, time: job.bars.time, window: job.window }, out.signalFormat, PER_TRIAL);
      }
      const perf = trialPerformance(job, idx, row, out);
      writeJsonAtomic(out.performance(trial.trial_id), perf, PER_TRIAL);
      perfs[idx] = perf;
      out.onTrialWritten?.(perf);
    });
  });
  return perfs;
}
