import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ManifestSchema, PHASES, readJsonFile, regimenError, workspacePaths, type PhaseName, type ResolvedConfig } from '@regimen/core';
import { dataFingerprint, inferBarsPerYear, readMarketData, splitBars, type DataSplit, type LoadOptions } from '@regimen/data';
import { loadWorkflowConfig } from './config-file.js';
import { resolveConfig } from './defaults.js';
import { chooseExecutor } from './executors.js';
import { builtinRegistry, loadPlugins } from './plugins.js';
import { preflight } from './preflight.js';
import { bindStrategies, checkStrategyPlugins } from './strategy-plugins.js';
import type { RunOptions } from './run.js';
import { planFolds, type Fold } from './walk-forward/fold-plan.js';

/** The data reading choices of a resolved config, as the data package takes them. */
export function readingOptions(d: ResolvedConfig['data']): LoadOptions {
  return {
    price: d.price === undefined ? d.column : 'mid' in d.price ? { mid: d.price.mid } : d.price.column,
    timeColumn: d.time_column ?? undefined,
    timeFormat: d.time_format,
    timezone: d.timezone ?? undefined,
    duplicates: d.duplicates,
    resample: d.resample ?? undefined,
  };
}

function checkPhaseName(name: string | undefined, flag: string, config: ResolvedConfig): void {
  if (name === undefined) return;
  if (!PHASES.includes(name as PhaseName)) throw regimenError({ code: 'usage', field: flag, value: name, message: `not a phase (${PHASES.join(', ')})` });
  if (!config.phases.includes(name as PhaseName)) throw regimenError({ code: 'usage', field: flag, value: name, message: `the workflow has no such phase (${config.phases.join(', ')})` });
}

/** The folds of the run: one for a single split, the walk-forward's plan otherwise. */
function foldPlan(config: ResolvedConfig, time: Float64Array, split: DataSplit, file: string, dated: boolean): Fold[] {
  const wf = config.validation.walk_forward;
  if (!wf) return [{ index: 0, train: { start: 0, end: split.trainEnd }, test: { start: split.testStart, end: time.length } }];
  const spec = { folds: wf.folds, scheme: wf.scheme, gap: wf.gap, ...(wf.in_sample !== null ? { in_sample: wf.in_sample } : {}), ...(wf.out_of_sample !== null ? { out_of_sample: wf.out_of_sample } : {}) };
  return planFolds(time, spec, split.trainEnd, { file, prefix: 'workflow.phases.validation.config', dated });
}

/**
 * Everything a run needs before it touches a workspace: the config (from a workflow file, or the
 * copy inside a workspace folder), plugins, the preflight checks, the data, split, fold plan and
 * fingerprint.
 */
export async function prepareRun(target: string, opts: RunOptions) {
  let configPath = target;
  let originalConfig = resolve(target);
  let baseDir: string | undefined;
  if (existsSync(target) && statSync(target).isDirectory()) {
    const p = workspacePaths(target);
    const m = readJsonFile(p.manifest, ManifestSchema);
    configPath = p.configCopy;
    originalConfig = m.config_path;
    baseDir = dirname(m.config_path);
    opts = { ...opts, outDir: opts.outDir ?? target };
  }
  const { config: raw, text } = loadWorkflowConfig(configPath);
  const resolved = resolveConfig(raw, { configPath, baseDir, outDir: opts.outDir });
  checkPhaseName(opts.fromPhase, '--from-phase', resolved);
  checkPhaseName(opts.onlyPhase, '--only-phase', resolved);
  if (opts.fromPhase && opts.onlyPhase) throw regimenError({ code: 'usage', field: '--only-phase', message: 'give --from-phase or --only-phase, not both' });
  const executor = chooseExecutor(opts.executor, raw, configPath, opts.executors);

  const registry = builtinRegistry();
  const pluginDir = baseDir ?? dirname(resolve(configPath));
  const loaded = await loadPlugins(registry, resolved.plugins, pluginDir);
  const { config, strategySources } = await bindStrategies(resolved, registry, loaded, pluginDir, configPath);
  preflight(config, registry, configPath);

  const t0 = performance.now();
  const market = await readMarketData(config.data.path, { ...readingOptions(config.data), minBars: 4 });
  // the time column the default rule found is a resolved choice too
  config.data.time_column = market.reading.time_column;
  checkStrategyPlugins(config, registry, market.bars, configPath);
  const split = splitBars(market.bars, config.data.split, configPath);
  if (market.timeKind === 'bar' && config.data.bars_per_year === null) {
    throw regimenError({ code: 'config', file: configPath, field: 'workflow.data.bars_per_year', message: `${market.source} has bar numbers, not dates: give bars_per_year` });
  }
  const barsPerYear = config.data.bars_per_year ?? inferBarsPerYear(market.bars.time);
  const fingerprint = dataFingerprint(market.bars, market.source, market.reading);
  const loadSeconds = (performance.now() - t0) / 1000;
  const folds = foldPlan(config, market.bars.time, split, configPath, market.timeKind !== 'bar');
  const paths = workspacePaths(config.output_dir);
  return { opts, config, registry, executor, strategySources, market, split, barsPerYear, fingerprint, paths, text, configPath, originalConfig, loadSeconds, folds };
}
