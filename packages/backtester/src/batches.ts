import { canonicalJson, isRegimenError, regimenError, stopsRun, type ErrorCode, type TrialSpec } from '@regimen/core';

/**
 * Split trials into batches for workers. Trials are ordered by strategy type and then by their
 * parameters, so trials sharing an indicator (same type, same lookback) land in the same batch
 * where the engine computes that indicator once. Each trial keeps its index for reassembly.
 */
export interface IndexedBatch {
  indices: number[];
  trials: TrialSpec[];
}

export function formBatches(trials: TrialSpec[], batchSize: number, workers: number): IndexedBatch[] {
  const order = trials.map((t, i) => ({ t, i, key: t.type + '\u0000' + canonicalJson(t.params) }));
  order.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  // at least two batches per worker keeps both cores busy to the end
  const size = Math.max(1, Math.min(batchSize, Math.ceil(trials.length / Math.max(1, workers * 2))));
  const out: IndexedBatch[] = [];
  for (let s = 0; s < order.length; s += size) {
    const part = order.slice(s, s + size);
    out.push({ indices: part.map((p) => p.i), trials: part.map((p) => p.t) });
  }
  return out;
}

/**
 * A trial batch's size on a distributed executor (the Redis executor; the speedup model mirrors
 * it). A batch costs ≈ 15 ms of CPU beyond its trials there (the worker takes the job, runs it on its pool, encodes and stores the rows, completes it; Redis; the
 * coordinator hears it, fetches and decodes the rows: `regimen bench speedup`, RESULTS.md), 50×
 * the local pool's in-process message — of the order of a 64-trial batch's kernel on a daily
 * series (≈ 10 ms for 1,770 bars). So a batch carries at least MIN_BATCH_BAR_TRIALS bar-trials
 * (≈ 90 ms of kernel: the fixed cost ≤ ~15 %), more than the config's batch_size on short
 * series; and the "two batches per worker" that keeps every worker busy to the end is shared
 * among the jobs in flight (a universe's series), which keep the workers busy together. A
 * trial's rows do not depend on its batch: the files are the same whatever the cut.
 */
export const MIN_BATCH_BAR_TRIALS = 1_000_000;

export function distributedBatchSize(batchSize: number, bars: number, folds: number, least = MIN_BATCH_BAR_TRIALS): number {
  return Math.max(batchSize, Math.ceil(least / Math.max(1, bars * Math.max(1, folds))));
}

/**
 * An error that crossed a worker boundary as plain data: structured cloning keeps an Error's
 * message but drops RegimenError's code/field/value, so the worker sends them explicitly.
 */
export interface FailureData {
  code: ErrorCode;
  message: string;
  file?: string;
  field?: string;
  value?: unknown;
}

export function failureData(e: unknown): FailureData {
  if (isRegimenError(e)) return { code: e.code, message: e.message, file: e.file, field: e.field, value: e.value };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** `batch of trials a, b, c`: how a failed batch is named */
export const batchName = (trials: TrialSpec[]) => `batch of trials ${trials.map((t) => t.trial_id).join(', ')}`;

/**
 * Runs one batch, and once more if it fails (a worker that died, a transient fault). If the
 * second attempt fails too, the error names the batch (`what`) and the cause, keeping the
 * cause's code and field (a bad parameter stays a `config` error). An error that stops the run
 * (a full disk: see core's writeFailure) is the run's, not the batch's: it is thrown as it came.
 */
export async function runWithRetry<T>(what: string, attempt: () => Promise<T>, field = 'trials'): Promise<T> {
  try {
    return await attempt();
  } catch {
    try {
      return await attempt();
    } catch (e) {
      const cause = failureData(e);
      if (stopsRun(cause)) throw isRegimenError(e) ? e : regimenError(cause);
      throw regimenError({
        code: cause.code,
        file: cause.file,
        field: cause.field ?? field,
        value: cause.value,
        message: `${what} failed twice: ${cause.message}`,
        cause: e,
      });
    }
  }
}
