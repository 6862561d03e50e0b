import { NO_REGIME, type BarColumns } from '@regimen/core';
import { computeFeatures, warmup } from './features.js';
import { paramsFromModel, type HmmModel } from './model.js';
import { wasmEngine, wasmLabels } from './wasm-engine.js';

/**
 * Filtered probabilities P(s_t | y_first..y_t) for every bar with features, by the forward recursion
 * (the WebAssembly kernel) started from the model's initial distribution at the first such bar. Each
 * row uses only bars ≤ t, and the arithmetic of row t does not depend on later bars, so labels of a
 * prefix are the prefix of the labels, bit for bit.
 */
export function filtered(data: BarColumns, model: HmmModel): { start: number; rows: number; alpha: Float64Array } {
  const p = paramsFromModel(model);
  const f = computeFeatures(data, model.features);
  const engine = wasmEngine(f.values, f.rows, p.dims, p.states);
  engine.forward(p);
  return { start: f.start, rows: f.rows, alpha: engine.filtered() };
}

/**
 * Labels: the filtered argmax (ties: the lower state), computed in one sweep that keeps no
 * probabilities. With minDwell > 1 a switch to a new state is taken only once it has been the argmax
 * for minDwell consecutive bars — causal hysteresis.
 */
export function filteredLabels(data: BarColumns, model: HmmModel, minDwell: number): Uint8Array {
  const start = warmup(model.features);
  const rows = Math.max(0, data.close.length - start);
  const argmax = wasmLabels(rows, paramsFromModel(model), (into) => computeFeatures(data, model.features, into));
  const out = new Uint8Array(data.close.length).fill(NO_REGIME, 0, start);
  if (minDwell <= 1) {
    if (rows > 0) out.set(argmax, start);
    return out;
  }
  let current = -1;
  let candidate = -1;
  let run = 0;
  for (let r = 0; r < rows; r++) {
    const arg = argmax[r]!;
    if (current < 0) current = arg;
    else if (arg === current) {
      candidate = -1;
      run = 0;
    } else {
      if (arg === candidate) run++;
      else {
        candidate = arg;
        run = 1;
      }
      if (run >= minDwell) {
        current = arg;
        run = 0;
      }
    }
    out[start + r] = current;
  }
  return out;
}
