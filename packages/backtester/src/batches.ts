import { canonicalJson, type TrialSpec } from '@regimen/core';

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
