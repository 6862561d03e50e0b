import { extname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { NO_REGIME, parsePluginOptions, regimenError } from '@regimen/core';
import { ARROW_EXTENSIONS, isoTime, readMarketData, splitBars, writeRegimeLabels } from '@regimen/data';
import { availableParallelism } from 'node:os';
import { localExecutor } from '@regimen/backtester';
import { builtinRegistry, callPlugin, fitClassifier, labelWithModel, loadPlugins, runPool } from '@regimen/coordinator';
import { num, table } from '../format.js';
import { writeLabelsCsv } from '../label-csv.js';
import { intOption } from './options.js';
import { addReadingOptions, readingOptions, type ReadingFlags } from './reading-options.js';

export interface ClassifyResult {
  classifier: string;
  regimes: string[];
  log_likelihood: number | null;
  aic: number | null;
  bic: number | null;
  model: unknown;
}

/** `--option k=v` repeated → { k: v }; v is JSON when it parses (2, true, ["a","b"]), else text. */
export function collectOption(v: string, acc: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`--option wants name=value, got "${v}"`);
  const raw = v.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // not JSON: a plain word such as `stationary`
  }
  return { ...acc, [v.slice(0, eq)]: value };
}

function fractionOption(v: string): number {
  const f = Number(v);
  if (!(f > 0 && f < 1)) throw new InvalidArgumentError(`--train-fraction wants a number between 0 and 1 (exclusive), got "${v}"`);
  return f;
}

const numberOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface ClassifyOptions extends ReadingFlags {
  classifier: string;
  option: Record<string, unknown>;
  load?: string[];
  data: string;
  trainFraction: number;
  seed: number;
  out: string;
  /** worker threads a plugin's fit may use (default: the cores, up to 8; 0 = this thread) */
  workers?: number;
}

/**
 * Fit a classifier on the first trainFraction of the bars, label every bar causally from the
 * JSON round trip of the model (what a workflow saves is what it labels with), write the labels.
 */
export async function runClassify(o: ClassifyOptions) {
  const ext = extname(o.out).toLowerCase();
  const arrow = (ARROW_EXTENSIONS as readonly string[]).includes(ext);
  if (!arrow && ext !== '.csv') throw regimenError({ code: 'usage', field: '--out', value: o.out, message: `write .csv or Arrow (${ARROW_EXTENSIONS.join(', ')})` });
  const registry = builtinRegistry();
  try {
    await loadPlugins(registry, o.load ?? [], process.cwd());
  } catch (e) {
    // loadPlugins speaks of workflow.plugins; here the plugin came from --load
    const err = e as { field?: string; message: string; value?: unknown; code?: string };
    if (err.field === 'workflow.plugins') throw regimenError({ code: 'plugin', field: '--load', value: err.value, message: err.message, cause: e });
    throw e;
  }
  const plugin = registry.classifier(o.classifier);
  const options = parsePluginOptions(plugin, o.option, '--option');
  const market = await readMarketData(o.data, readingOptions(o));
  const bars = market.bars;
  const split = splitBars(bars, { train_fraction: o.trainFraction }, market.source);
  // the pool starts only if the plugin's fit asks for it (the hmm runs its restarts there)
  const executor = localExecutor({ workers: o.workers ?? Math.min(availableParallelism(), 8), engine: 'wasm' });
  let model: unknown;
  try {
    model = await fitClassifier(plugin, options, bars, { start: 0, end: split.trainEnd }, o.seed, runPool(executor));
  } finally {
    await executor.close();
  }
  const { track, probabilities } = labelWithModel(plugin.name, plugin, model, options, bars, true);
  const summary = plugin.summary ? callPlugin(plugin.name, 'summary', () => plugin.summary!(model, options)) : {};
  const out = resolve(o.out);
  if (arrow) writeRegimeLabels(out, track, bars.time, probabilities);
  else writeLabelsCsv(out, track, bars.time, probabilities);
  const result: ClassifyResult = {
    classifier: plugin.name,
    regimes: track.names,
    log_likelihood: numberOrNull(summary?.log_likelihood),
    aic: numberOrNull(summary?.aic),
    bic: numberOrNull(summary?.bic),
    model,
  };
  return { result, track, split, time: bars.time, out, source: registry.list().find((e) => e.plugin === plugin)!.source };
}

export function registerClassify(program: Command): void {
  const cmd = program
    .command('classify')
    .description('fit a regime classifier on the training split and label every bar causally (CSV or Arrow)')
    .requiredOption('--classifier <name>', 'classifier plugin name (see `regimen plugins`)')
    .option('--option <name=value>', 'a classifier option (JSON value or text); repeat for several', collectOption, {})
    .option('--load <spec...>', 'load plugin packages or paths first')
    .requiredOption('--data <file>', 'CSV, Arrow IPC or Parquet market data')
    .option('--train-fraction <f>', 'fit on this leading share of the bars', fractionOption, 0.7)
    .option('--seed <n>', 'seed of the fit (restarts)', intOption('--seed'), 42)
    .option('--workers <n>', 'worker threads the fit may use (default: the cores, up to 8; 0 = in-process)', intOption('--workers'))
    .requiredOption('--out <file>', 'labels file: .csv or .arrow (time, label, regime, p_<regime>…)')
    .option('--json', 'print {classifier, regimes, log_likelihood, aic, bic, model} as JSON');
  addReadingOptions(cmd)
    .action(async (o: ClassifyOptions & { json?: boolean }) => {
      const r = await runClassify(o);
      if (o.json) {
        console.log(JSON.stringify(r.result, null, 2));
        return;
      }
      const n = r.track.labels.length;
      const count = (k: number, from: number, to: number) => r.track.labels.subarray(from, to).reduce((c, l) => c + (l === k ? 1 : 0), 0);
      const rows = [...r.track.names.map((name, k) => [name, k]), ['(warm-up)', NO_REGIME] as const].map(([name, k]) => [
        String(name), String(count(Number(k), 0, r.split.trainEnd)), String(count(Number(k), r.split.trainEnd, n)),
      ]);
      console.log(`${r.result.classifier} (${r.source}) fitted on ${r.split.trainBars} bars (${isoTime(r.time[0]!)} → ${isoTime(r.time[r.split.trainEnd - 1]!)}); labelled ${n} bars`);
      console.log(table(['regime', 'train bars', 'test bars'], rows));
      if (r.result.log_likelihood !== null) console.log(`log-likelihood ${num(r.result.log_likelihood)}  aic ${num(r.result.aic ?? NaN)}  bic ${num(r.result.bic ?? NaN)}`);
      console.log(`written: ${r.out}`);
    });
}
