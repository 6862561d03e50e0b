import { NO_REGIME, type BarColumns } from '@regimen/core';
import { emissions, forward } from './forward.js';
import { computeFeatures } from './features.js';
import { paramsFromModel, type HmmModel } from './model.js';

/**
 * Filtered probabilities P(s_t | y_first..y_t) for every bar with features, by the forward recursion
 * started from the model's initial distribution at the first such bar. Each row uses only bars ≤ t,
 * and the arithmetic of row t does not depend on later bars, so labels of a prefix are the prefix
 * of the labels, bit for bit.
 */
export function filtered(data: BarColumns, model: HmmModel): { start: number; rows: number; alpha: Float64Array } {
  const p = paramsFromModel(model);
  const f = computeFeatures(data, model.features);
  const b = new Float64Array(f.rows * p.states);
  const shift = new Float64Array(f.rows);
  const alpha = new Float64Array(f.rows * p.states);
  const scale = new Float64Array(f.rows);
  emissions(f.values, f.rows, p, b, shift);
  forward(b, shift, f.rows, p, alpha, scale);
  return { start: f.start, rows: f.rows, alpha };
}

/**
 * Labels from the filtered argmax (ties: the lower state). With minDwell > 1 a switch to a new state
 * is taken only once it has been the argmax for minDwell consecutive bars — causal hysteresis.
 */
export function labelsFromFiltered(n: number, start: number, rows: number, alpha: Float64Array, k: number, minDwell: number): Uint8Array {
  const out = new Uint8Array(n).fill(NO_REGIME);
  let current = -1;
  let candidate = -1;
  let run = 0;
  for (let r = 0; r < rows; r++) {
    let arg = 0;
    for (let i = 1; i < k; i++) if (alpha[r * k + i]! > alpha[r * k + arg]!) arg = i;
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
