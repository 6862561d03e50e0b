import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ManifestSchema, PHASES, readJsonFile, regimenError, workspacePaths, type PhaseName, type PluginSource, type ResolvedConfig, type WorkflowConfig } from '@regimen/core';
import { dataFingerprint, inferBarsPerYear, readingOptions, readMarketData, splitBars, type DataSplit, type MarketData } from '@regimen/data';
import { loadWorkflowConfig } from './config-file.js';
import { resolveConfig } from './defaults.js';
import { chooseExecutor, type ExecutorChoice } from './executors.js';
import { builtinRegistry, loadPlugins } from './plugins.js';
import { preflight } from './preflight.js';
import { bindStrategies, checkStrategyPlugins } from './strategy-plugins.js';
import type { RunOptions } from './run.js';
import { planFolds, type Fold } from './walk-forward/fold-plan.js';
import { readUniverse, type PreparedUniverse } from './universe/prepare-universe.js';
import { checkPboBlocks } from './overfitting.js';

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

/** The config of a run, checked, with its plugins loaded: what every series of it shares. */
export interface PreparedConfig {
  opts: RunOptions;
  config: ResolvedConfig;
  registry: ReturnType<typeof builtinRegistry>;
  strategySources: Awaited<ReturnType<typeof bindStrategies>>['strategySources'];
  /** the third-party packages of the configured classifiers: their fits may run as tasks on workers */
  classifierSources: PluginSource[];
  /** the workflow file as given (a universe derives each series' own from it), and as parsed */
  text: string;
  raw: WorkflowConfig;
  /** the file the config was read from: the workflow file, or the copy in a workspace */
  configPath: string;
  /** the workflow file the run was started from */
  originalConfig: string;
  /** where relative paths in the config resolve from */
  baseDir: string;
  /** where backtests run: `local`, or a distributed executor's URL (checked, not yet opened) */
  executor: ExecutorChoice;
}

/** One series, ready to run by today's phases in its own workspace. */
export interface PreparedSeries extends PreparedConfig {
  market: MarketData;
  split: DataSplit;
  barsPerYear: number;
  fingerprint: ReturnType<typeof dataFingerprint>;
  folds: Fold[];
  paths: ReturnType<typeof workspacePaths>;
  /** a series of a universe: which one */
  series?: { name: string; index: number; of: number; workspace: string };
}

export type PreparedRun = (PreparedSeries & { universe?: undefined; loadSeconds: number }) | (PreparedConfig & { universe: PreparedUniverse; paths: ReturnType<typeof workspacePaths>; loadSeconds: number });

/**
 * The config (from a workflow file, or the copy inside a workspace folder), its plugins and the
 * preflight checks: everything before the data is read.
 */
async function prepareConfig(target: string, opts: RunOptions): Promise<PreparedConfig> {
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
  const used = new Set<unknown>(config.classifiers.map((c) => registry.classifier(c.plugin)));
  const classifierSources = loaded.filter((l) => l.plugins.some((p) => used.has(p))).map((l) => l.source);
  return { opts, config, registry, strategySources, classifierSources, text, raw, configPath, originalConfig, baseDir: pluginDir, executor };
}

/**
 * A series' split, bars per year, fingerprint and fold plan from its data — the same for a
 * workflow of one series and for each series of a universe. Fills in the time column the default
 * rule found (a resolved choice too).
 */
export function planSeries(base: PreparedConfig, config: ResolvedConfig, market: MarketData, outDir: string): Omit<PreparedSeries, keyof PreparedConfig> & { config: ResolvedConfig } {
  const { configPath } = base;
  config.data.time_column = market.reading.time_column;
  checkStrategyPlugins(config, base.registry, market.bars, configPath);
  const split = splitBars(market.bars, config.data.split, configPath);
  if (market.timeKind === 'bar' && config.data.bars_per_year === null) {
    throw regimenError({ code: 'config', file: configPath, field: 'workflow.data.bars_per_year', message: `${market.source} has bar numbers, not dates: give bars_per_year` });
  }
  const barsPerYear = config.data.bars_per_year ?? inferBarsPerYear(market.bars.time);
  const fingerprint = dataFingerprint(market.bars, market.source, market.reading);
  const folds = foldPlan(config, market.bars.time, split, configPath, market.timeKind !== 'bar');
  checkPboBlocks(config.regime_analysis.pbo_blocks, folds, configPath);
  return { config, market, split, barsPerYear, fingerprint, folds, paths: workspacePaths(outDir) };
}

/**
 * Everything a run needs before it touches a workspace: the config, plugins, the preflight
 * checks, the data, split, fold plan and fingerprint — of its one series, or of every series of a
 * universe (universe/prepare-universe.ts).
 */
export async function prepareRun(target: string, opts: RunOptions): Promise<PreparedRun> {
  const base = await prepareConfig(target, opts);
  const t0 = performance.now();
  if (base.config.data.universe) {
    const universe = await readUniverse(base);
    return { ...base, universe, paths: workspacePaths(base.config.output_dir), loadSeconds: (performance.now() - t0) / 1000 };
  }
  const market = await readMarketData(base.config.data.path, { ...readingOptions(base.config.data), minBars: 4 });
  const planned = planSeries(base, base.config, market, base.config.output_dir);
  return { ...base, ...planned, loadSeconds: (performance.now() - t0) / 1000 };
}
