import { fileURLToPath } from 'node:url';
import { performanceTargets, writeTrialFiles, type TrialOutputs } from '@regimen/backtester';
import type { FoldWindow, ScoreWindow, TrialRow, TrialSpec } from '@regimen/core';
import { decodeTrialRows, type TrackLayout } from './rows.js';

/**
 * A batch's trial files, written on one of the coordinator's own pool threads from the rows a
 * worker sent (Arrow IPC, as they came from Redis). The coordinator writes every file of a
 * distributed run; on its main thread that was one file after another (≈ 1–2 ms each), which
 * bounded phase 1 on daily data — here its threads write batches side by side, as the local
 * pool's threads do. The files are writeTrialFiles's, byte for byte, whichever thread runs it.
 */
export interface WriteFilesTask {
  bytes: Uint8Array;
  trials: TrialSpec[];
  tracks: TrackLayout[];
  folds?: TrackLayout[][];
  signals: boolean;
  time: Float64Array;
  window: ScoreWindow;
  /** the job's fold windows (their regimes are not needed to place the files) */
  foldWindows?: ScoreWindow[];
  outputs: TrialOutputs;
}

/**
 * The seconds it took, and the rows without their signals (on disk now): the coordinator takes
 * them from here rather than decode the same bytes a second time on its main thread.
 */
export interface WrittenFiles {
  seconds: number;
  rows: TrialRow[];
}

export default function writeFiles(task: WriteFilesTask): WrittenFiles {
  const t0 = performance.now();
  const rows = decodeTrialRows(task.bytes, { trialIds: task.trials.map((t) => t.trial_id), tracks: task.tracks, signals: task.signals, ...(task.folds ? { folds: task.folds } : {}) });
  const folds: FoldWindow[] | undefined = task.foldWindows?.map((window) => ({ window, regimes: [] }));
  const targets = performanceTargets(task.outputs, task.window, folds);
  rows.forEach((row, i) => writeTrialFiles(task.trials[i]!, row, task.time, task.window, task.outputs, targets));
  for (const row of rows) delete row.signals;
  return { seconds: (performance.now() - t0) / 1000, rows };
}

/** dist/write-files-task.js, also when this module runs from src/ under a test runner (pool threads run built code) */
export function writeFilesModule(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(/\/src\/[^/]+$/.test(here) ? '../dist/write-files-task.js' : './write-files-task.js', here));
}
