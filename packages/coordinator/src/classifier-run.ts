import { NO_REGIME, regimenError, type BarColumns, type ClassifierPlugin, type RegimeTrack, type TaskPool } from '@regimen/core';
import type { Executor } from '@regimen/backtester';
import { callPlugin, callPluginAsync } from './plugins.js';

/**
 * Fitting and labelling through a classifier plugin, checked against the plugin's promises; used
 * by the workflow's phases and by `regimen classify` alike.
 */

/** Copies, not views: a plugin's fit must not be able to reach other bars through a buffer. */
export function copyBars(bars: BarColumns, end: number, start = 0): BarColumns {
  const cut = (c: Float64Array) => c.slice(start, end);
  const out: BarColumns = { time: cut(bars.time), open: cut(bars.open), high: cut(bars.high), low: cut(bars.low), close: cut(bars.close) };
  if (bars.volume) out.volume = cut(bars.volume);
  return out;
}

/** The executor's workers as a classifier's TaskPool: none when it runs everything on this thread. */
export function runPool(executor: Executor): TaskPool | undefined {
  const runTask = executor.runTask;
  const workers = executor.taskWorkers ?? executor.workers;
  if (workers < 1 || !runTask) return undefined;
  return { workers, run: runTask.bind(executor) };
}

/**
 * Fit on bars [trainStart, trainEnd) — a fold's training window; from bar 0 for a single split (a
 * fit may be synchronous or return a promise; `pool`, the run's workers, is offered to it when
 * there are any); the model returned is its JSON round trip (what is saved is what labels).
 */
export async function fitClassifier(plugin: ClassifierPlugin, options: unknown, bars: BarColumns, train: { start: number; end: number }, seed: number, pool?: TaskPool): Promise<unknown> {
  const fitted = await callPluginAsync(plugin.name, 'fit', () => plugin.fit(copyBars(bars, train.end, train.start), options, pool ? { seed, pool } : { seed }));
  try {
    return JSON.parse(JSON.stringify(fitted) ?? 'null') as unknown;
  } catch (e) {
    throw regimenError({ code: 'plugin', message: `plugin "${plugin.name}": its model is not JSON (${(e as Error).message})`, cause: e });
  }
}

/** Labels (and, when asked and the plugin has them, probabilities as one column per regime). */
export function labelWithModel(
  name: string,
  plugin: ClassifierPlugin,
  model: unknown,
  options: unknown,
  bars: BarColumns,
  withProbabilities = false,
): { track: RegimeTrack; probabilities?: Float64Array[] } {
  const n = bars.close.length;
  const fail = (hook: string, why: string): never => callPlugin(plugin.name, hook, () => {
    throw new Error(why);
  });
  const names = callPlugin(plugin.name, 'regimes', () => plugin.regimes(model, options));
  if (!Array.isArray(names) || names.length === 0 || names.length >= NO_REGIME || names.some((x) => typeof x !== 'string')) {
    fail('regimes', `must return 1 to ${NO_REGIME - 1} regime names`);
  }
  const labels = callPlugin(plugin.name, 'label', () => plugin.label(bars, model, options));
  if (!(labels instanceof Uint8Array) || labels.length !== n) fail('label', `returned ${labels?.length} labels for ${n} bars (a Uint8Array of one label per bar is required)`);
  for (let t = 0; t < n; t++) {
    if (labels[t] !== NO_REGIME && labels[t]! >= names.length) fail('label', `label ${labels[t]} at bar ${t} is not one of its ${names.length} regimes`);
  }
  let probabilities: Float64Array[] | undefined;
  if (withProbabilities && plugin.probabilities) {
    const rows = callPlugin(plugin.name, 'probabilities', () => plugin.probabilities!(bars, model, options));
    if (!Array.isArray(rows) || rows.length !== n) fail('probabilities', `returned ${rows?.length} rows for ${n} bars`);
    probabilities = names.map(() => new Float64Array(n));
    for (let t = 0; t < n; t++) {
      const row = rows[t]!;
      if (row?.length !== names.length) fail('probabilities', `bar ${t}: ${row?.length} values for ${names.length} regimes`);
      for (let k = 0; k < names.length; k++) {
        if (!Number.isFinite(row[k])) fail('probabilities', `bar ${t}: probability ${row[k]} is not a finite number`);
        probabilities[k]![t] = row[k]!;
      }
    }
  }
  return { track: { classifier: name, names, labels }, probabilities };
}
