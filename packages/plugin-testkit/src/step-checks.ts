import { createRng, decodeStepState, encodeStepState, type BarColumns, type ClassifierPlugin, type StrategyPlugin } from '@regimen/core';
import { sliceBars } from './bars.js';
import type { CheckResult } from './checks.js';
import type { StrategyParams } from '@regimen/kernel';
import { strategyPositions } from './strategy-checks.js';

/**
 * The step hooks (`labelStep`, `step`) against the whole-series hooks they must equal bit for bit:
 * the series is cut at `splits` and each piece stepped from the state the piece before left — the
 * state passed through JSON text exactly as `regimen signal` saves it between calls.
 */

/** The state as the next call reads it back: through encodeStepState, JSON text and decodeStepState. */
export const viaJson = (state: unknown): unknown => decodeStepState(JSON.parse(JSON.stringify(encodeStepState(state))));

/** `count` seeded split points in 1..n−1, plus 1, 2 and n−1 (single-bar pieces at both ends), sorted. */
export function stepSplits(n: number, count = 12, seed = 7): number[] {
  const rng = createRng(seed);
  const picks = [1, 2, n - 1, ...Array.from({ length: count }, () => rng.int(1, n - 1))];
  return [...new Set(picks.filter((p) => p >= 1 && p < n))].sort((a, b) => a - b);
}

function pieces(n: number, splits: number[]): Array<[number, number]> {
  const cuts = [0, ...splits.filter((s) => s > 0 && s < n), n];
  return cuts.slice(1).map((end, i) => [cuts[i]!, end]);
}

const show = (x: number) => (Object.is(x, -0) ? '-0' : String(x));

/** A strategy's `step`, resumed at every split, against its `positions` (with the host's finish: `side`). */
export function checkStrategyStep(plugin: StrategyPlugin, params: StrategyParams, data: BarColumns, splits: number[]): CheckResult {
  if (!plugin.step) return { ok: false, message: `strategy plugin "${plugin.name}" has no step hook` };
  const whole = strategyPositions(plugin, data, params);
  let state: unknown = null;
  for (const [start, end] of pieces(data.close.length, splits)) {
    const out = new Float64Array(end - start);
    state = viaJson(plugin.step(state, sliceBars(data, end, start), params, out));
    for (let i = 0; i < out.length; i++) {
      const v = params.side === 'long_only' && out[i]! < 0 ? 0 : out[i]!;
      if (!Object.is(v, whole[start + i])) {
        return { ok: false, message: `bar ${start + i} (piece ${start}..${end - 1}): step gives ${show(v)}, positions gives ${show(whole[start + i]!)}` };
      }
    }
  }
  return { ok: true };
}

/** A classifier's `labelStep`, resumed at every split, against `label` (and `probabilities` of each piece's last bar). */
export function checkClassifierStep(plugin: ClassifierPlugin, model: unknown, options: unknown, data: BarColumns, splits: number[]): CheckResult {
  if (!plugin.labelStep) return { ok: false, message: `classifier plugin "${plugin.name}" has no labelStep hook` };
  const labels = plugin.label(data, model, options);
  const rows = plugin.probabilities?.(data, model, options);
  let state: unknown = null;
  for (const [start, end] of pieces(data.close.length, splits)) {
    const r = plugin.labelStep(state, sliceBars(data, end, start), model, options);
    state = viaJson(r.state);
    if (r.labels.length !== end - start) return { ok: false, message: `piece ${start}..${end - 1}: ${r.labels.length} labels for ${end - start} bars` };
    for (let i = 0; i < r.labels.length; i++) {
      if (r.labels[i] !== labels[start + i]) return { ok: false, message: `bar ${start + i} (piece ${start}..${end - 1}): labelStep gives ${r.labels[i]}, label gives ${labels[start + i]}` };
    }
    if (rows) {
      const want = rows[end - 1]!;
      const got = r.probabilities;
      if (!got || got.length !== want.length) return { ok: false, message: `bar ${end - 1}: labelStep gives ${got ? got.length : 'no'} probabilities, probabilities gives ${want.length}` };
      for (let k = 0; k < want.length; k++) {
        if (!Object.is(got[k], want[k])) return { ok: false, message: `bar ${end - 1} state ${k}: labelStep's probability ${show(got[k]!)}, probabilities' ${show(want[k]!)}` };
      }
    }
  }
  return { ok: true };
}
