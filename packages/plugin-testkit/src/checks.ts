import { NO_REGIME, type BarColumns, type ClassifierPlugin } from '@regimen/core';
import { sliceBars } from './bars.js';

export interface CheckResult {
  ok: boolean;
  message?: string;
}

/** Labels of every prefix data[0..t) equal the first t labels of the whole series. */
export function checkCausality(
  plugin: ClassifierPlugin,
  model: unknown,
  options: unknown,
  data: BarColumns,
  prefixes: number[],
): CheckResult & { firstMismatch?: { prefix: number; bar: number; full: number; prefixLabel: number } } {
  const full = plugin.label(data, model, options);
  for (const end of prefixes) {
    const part = plugin.label(sliceBars(data, end), model, options);
    if (part.length !== end) return { ok: false, message: `label() of ${end} bars returned ${part.length} labels` };
    for (let t = 0; t < end; t++) {
      if (part[t] !== full[t]) {
        return {
          ok: false,
          firstMismatch: { prefix: end, bar: t, full: full[t]!, prefixLabel: part[t]! },
          message: `bar ${t}: label ${part[t]} on the first ${end} bars but ${full[t]} on all ${data.close.length}`,
        };
      }
    }
  }
  return { ok: true };
}

/** Every label indexes regimes(model) or is NO_REGIME; one label per bar. */
export function checkLabelRange(labels: Uint8Array, bars: number, regimes: string[]): CheckResult {
  if (labels.length !== bars) return { ok: false, message: `${labels.length} labels for ${bars} bars` };
  if (regimes.length === 0 || regimes.length >= NO_REGIME) return { ok: false, message: `${regimes.length} regimes declared` };
  for (let t = 0; t < labels.length; t++) {
    const l = labels[t]!;
    if (l !== NO_REGIME && l >= regimes.length) return { ok: false, message: `bar ${t}: label ${l} outside the ${regimes.length} declared regimes` };
  }
  return { ok: true };
}

/** Probability rows: one per bar, regimes.length wide, finite, in [0, 1], summing to 1 (or all 0 in warm-up). */
export function checkProbabilities(rows: Float64Array[], bars: number, regimes: number): CheckResult {
  if (rows.length !== bars) return { ok: false, message: `${rows.length} probability rows for ${bars} bars` };
  for (let t = 0; t < rows.length; t++) {
    const r = rows[t]!;
    if (r.length !== regimes) return { ok: false, message: `bar ${t}: ${r.length} probabilities for ${regimes} regimes` };
    let s = 0;
    for (const v of r) {
      if (!Number.isFinite(v) || v < 0 || v > 1 + 1e-12) return { ok: false, message: `bar ${t}: probability ${v}` };
      s += v;
    }
    if (s !== 0 && Math.abs(s - 1) > 1e-9) return { ok: false, message: `bar ${t}: probabilities sum to ${s}` };
  }
  return { ok: true };
}

/**
 * Where a value would not survive JSON unchanged: NaN/±Infinity (become null), undefined and
 * functions (dropped), typed arrays, Maps, Dates and other class instances (become plain objects).
 */
export function jsonHazard(value: unknown, path = 'model'): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (typeof value !== 'object') return `${path} is a ${typeof value}`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const h = jsonHazard(value[i], `${path}[${i}]`);
      if (h) return h;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return `${path} is a ${(value as object).constructor?.name ?? 'class instance'}, not a plain object`;
  for (const [k, v] of Object.entries(value)) {
    const h = jsonHazard(v, `${path}.${k}`);
    if (h) return h;
  }
  return undefined;
}

/** The model survives JSON.stringify/parse: only JSON values, same JSON again, and the same labels. */
export function checkRoundTrip(plugin: ClassifierPlugin, model: unknown, options: unknown, data: BarColumns): CheckResult {
  const hazard = jsonHazard(model);
  if (hazard) return { ok: false, message: `not JSON-safe: ${hazard}` };
  const json = JSON.stringify(model);
  const back = JSON.parse(json) as unknown;
  if (JSON.stringify(back) !== json) return { ok: false, message: 'JSON.stringify(JSON.parse(model)) differs from the model JSON' };
  const a = plugin.label(data, model, options);
  const b = plugin.label(data, back, options);
  for (let t = 0; t < a.length; t++) {
    if (a[t] !== b[t]) return { ok: false, message: `bar ${t}: label ${a[t]} from the model but ${b[t]} from its JSON round trip` };
  }
  return { ok: true };
}

/** Two fits with the same seed give byte-identical model JSON (a fit may return a promise). */
export async function checkDeterminism(plugin: ClassifierPlugin, train: BarColumns, options: unknown, seed: number): Promise<CheckResult> {
  const a = JSON.stringify(await plugin.fit(train, options, { seed }));
  const b = JSON.stringify(await plugin.fit(train, options, { seed }));
  return a === b ? { ok: true } : { ok: false, message: `two fits with seed ${seed} gave different models` };
}
