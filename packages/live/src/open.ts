import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CheckpointSchema,
  ClassifierModelFileSchema,
  EnsembleWeightsSchema,
  ManifestSchema,
  parsePluginOptions,
  readJsonFile,
  RegimeOptimalParamsSchema,
  regimenError,
  ResolvedConfigSchema,
  workspacePaths,
  type ClassifierPlugin,
  type Engine,
  type LiveIdentity,
  type Manifest,
  type ResolvedConfig,
  type WorkspacePaths,
} from '@regimen/core';
import { loadEngine, type RegimeWeights, type RegimeWinners } from '@regimen/backtester';
import { runRegistry } from './plugins.js';

/** A classifier of the run, ready to label: its plugin, parsed options and the fitted model saved in metadata/classifiers/. */
export interface LiveClassifier {
  name: string;
  plugin: ClassifierPlugin;
  options: unknown;
  model: unknown;
  regimes: string[];
}

/**
 * A finished workspace, read through core's schemas, with everything a decision needs: the same
 * pieces phase 4 (validation) put into its AdaptiveInput.
 */
export interface LiveRun {
  /** the workspace given on the command line */
  root: string;
  /** the workspace whose model and parameters decide: the root, or a walk-forward's latest fold */
  paths: WorkspacePaths;
  config: ResolvedConfig;
  manifest: Manifest;
  identity: LiveIdentity;
  classifiers: LiveClassifier[];
  /** validation.classifier: the one whose regime selects parameters and weights */
  driving: string;
  winners: RegimeWinners;
  weights: RegimeWeights;
  strategies: Array<{ name: string; type: string }>;
  costs: ResolvedConfig['costs'];
  barsPerYear: number;
  /** first bar of the validation window (absolute index); the window runs from it to the last bar decided */
  testStart: number;
  /** bars of the run's data (the history a data file must start with) */
  historyBars: number;
  engine: Engine;
}

/** Refuse a workspace whose phases did not all finish: its files may be half a run. */
function assertComplete(paths: WorkspacePaths, config: ResolvedConfig): void {
  for (const phase of config.phases) {
    const file = paths.checkpoint(phase);
    if (!existsSync(file)) {
      throw regimenError({ code: 'workspace', file, field: 'status', message: `phase ${phase} has not finished: the run is incomplete or failed (finish it with regimen run ${paths.base} --resume)` });
    }
    readJsonFile(file, CheckpointSchema);
  }
  if (!config.phases.includes('validation')) {
    throw regimenError({ code: 'workspace', file: paths.configResolved, field: 'phases', value: config.phases, message: 'the run has no validation phase: there is no validated adaptive strategy to decide with' });
  }
}

function readWorkspaceConfig(dir: string): { paths: WorkspacePaths; manifest: Manifest; config: ResolvedConfig } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw regimenError({ code: 'usage', field: 'workspace', value: dir, message: 'is not a workspace folder' });
  const paths = workspacePaths(dir);
  if (!existsSync(paths.manifest)) throw regimenError({ code: 'workspace', file: paths.manifest, message: 'missing: not a Regimen workspace (or the run never started)' });
  const manifest = readJsonFile(paths.manifest, ManifestSchema);
  const config = readJsonFile(paths.configResolved, ResolvedConfigSchema);
  return { paths, manifest, config };
}

/**
 * Open a finished workspace for decisions. A walk-forward decides with its latest fold (its
 * model, winners and weights; its validation window is the last out-of-sample window). A universe
 * is opened per series (series/<name>/, see `signalUniverse`).
 */
export async function openLive(workspace: string, opts: { engine?: 'wasm' | 'js' } = {}): Promise<LiveRun> {
  const root = resolve(workspace);
  const top = readWorkspaceConfig(root);
  if (top.manifest.universe) {
    throw regimenError({ code: 'usage', field: 'workspace', value: root, message: 'is a universe: open one of its series (series/<name>/) or use signalUniverse' });
  }
  let { paths, manifest } = top;
  const config = top.config;
  let testStart = top.manifest.split.train_bars;
  if (top.manifest.folds?.length) {
    const last = top.manifest.folds[top.manifest.folds.length - 1]!;
    paths = workspacePaths(top.paths.fold(last.index));
    if (!existsSync(paths.manifest)) throw regimenError({ code: 'workspace', file: paths.manifest, message: `missing: fold ${last.index} of the walk-forward never ran` });
    manifest = readJsonFile(paths.manifest, ManifestSchema);
    testStart = last.out_of_sample.start;
    if (last.out_of_sample.end !== top.manifest.data_fingerprint.bars) {
      throw regimenError({ code: 'workspace', file: top.paths.manifest, field: `folds.${last.index}.out_of_sample.end`, value: last.out_of_sample.end, message: `the latest fold does not end with the data (${top.manifest.data_fingerprint.bars} bars)` });
    }
  }
  assertComplete(paths, config);

  const fromDir = dirname(top.manifest.config_path);
  const registry = await runRegistry(config, fromDir);
  const classifiers = config.classifiers.map((c): LiveClassifier => {
    const plugin = registry.classifier(c.plugin);
    const file = paths.classifierModel(c.name);
    const saved = readJsonFile(file, ClassifierModelFileSchema);
    const options = parsePluginOptions(plugin, c.options, `workflow.classifiers.${c.name}.options`);
    return { name: c.name, plugin, options, model: saved.model, regimes: saved.regimes };
  });
  const driving = config.validation.classifier;
  const optimal = readJsonFile(paths.regimeOptimalParams, RegimeOptimalParamsSchema);
  const ensemble = readJsonFile(paths.ensembleWeights, EnsembleWeightsSchema);
  const winners = optimal[driving];
  const weights = ensemble[driving];
  if (!winners || !weights) throw regimenError({ code: 'workspace', file: !winners ? paths.regimeOptimalParams : paths.ensembleWeights, field: driving, message: 'no entry for the driving classifier' });
  if (config.validation.data_split !== 'test') {
    throw regimenError({ code: 'workspace', file: paths.configResolved, field: 'validation.data_split', value: config.validation.data_split, message: 'live decisions continue the test split; this run validated on another split' });
  }

  const identity: LiveIdentity = {
    workflow_id: manifest.workflow_id,
    config_hash: manifest.config_hash,
    data_fingerprint: top.manifest.data_fingerprint.sha256,
    history_bars: top.manifest.data_fingerprint.bars,
    regimen_version: manifest.regimen_version,
    ...(manifest.fold ? { fold: { index: manifest.fold.index, of: manifest.fold.of } } : {}),
    ...(manifest.series ? { series: manifest.series.name } : {}),
  };
  return {
    root,
    paths,
    config,
    manifest,
    identity,
    classifiers,
    driving,
    winners,
    weights,
    strategies: config.strategies.map((s) => ({ name: s.name, type: s.type })),
    costs: config.costs,
    barsPerYear: manifest.bars_per_year,
    testStart,
    historyBars: top.manifest.data_fingerprint.bars,
    engine: await loadEngine(opts.engine ?? 'wasm'),
  };
}

/** The series of a universe workspace, in the run's order, each with its folder. */
export function universeSeries(workspace: string): { manifest: Manifest; config: ResolvedConfig; series: Array<{ name: string; column: string; dir: string }> } | null {
  const { manifest, config, paths } = readWorkspaceConfig(resolve(workspace));
  if (!manifest.universe) return null;
  return { manifest, config, series: manifest.universe.series.map((s) => ({ name: s.name, column: s.column, dir: join(paths.base, s.workspace) })) };
}
