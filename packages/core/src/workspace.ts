import { join, resolve } from 'node:path';
import type { PhaseName } from './schemas/config.js';
import type { SplitName, WorkspacePathsRecord } from './schemas/files.js';

/**
 * Every path of a workspace (DESIGN §4), computed in one place. The coordinator hands these to
 * every component; no component builds a workspace path itself.
 */
export interface WorkspacePaths extends WorkspacePathsRecord {
  manifest: string;
  configCopy: string;
  configResolved: string;
  trials: string;
  trialsTable: string;
  regimeOptimalParams: string;
  ensembleWeights: string;
  validationResults: string;
  validationTrades: string;
  /** walk-forward: per fold and stitched out-of-sample results */
  walkForwardResults: string;
  /** PBO by CSCV of the phase-1 trials and of the ensemble weight grid */
  overfitting: string;
  /** walk-forward: the folder of the folds */
  folds: string;
  /** walk-forward: folds/fold_<k>, each a workspace of today's layout */
  fold(index: number): string;
  /** a universe: the folder of its series */
  series: string;
  /** a universe: series/<name>, each a workspace of today's layout */
  seriesDir(name: string): string;
  /** a universe: its series side by side, the sign tests and the portfolios */
  universeResults: string;
  /** a universe: the portfolios' equity over the bars all series share */
  universeEquity: string;
  validationEquity: string;
  regimeReport: string;
  parameterSurface: string;
  ensembleReport: string;
  /** the HTML report `regimen report` and `regimen run` write */
  report: string;
  trialSignals(trialId: string, format?: 'arrow' | 'jsonl'): string;
  trialPerformance(trialId: string): string;
  ensembleTrial(id: string): string;
  regimeLabels(classifier: string, split: SplitName): string;
  classifierModel(classifier: string): string;
  checkpoint(phase: PhaseName): string;
}

export function workspacePaths(baseDir: string): WorkspacePaths {
  const base = resolve(baseDir);
  const signals = join(base, 'signals');
  const regimes = join(signals, 'regimes');
  const performance = join(base, 'performance');
  const analysis = join(base, 'analysis');
  const metadata = join(base, 'metadata');
  const classifiers = join(metadata, 'classifiers');
  const checkpoints = join(base, 'checkpoints');
  return {
    base, signals, regimes, performance, analysis, metadata, classifiers, checkpoints,
    manifest: join(metadata, 'workflow.json'),
    configCopy: join(metadata, 'config.yaml'),
    configResolved: join(metadata, 'config.resolved.json'),
    trials: join(metadata, 'trials.json'),
    trialsTable: join(performance, 'trials.arrow'),
    regimeOptimalParams: join(analysis, 'regime_optimal_params.json'),
    ensembleWeights: join(analysis, 'ensemble_weights.json'),
    validationResults: join(performance, 'validation_results.json'),
    validationTrades: join(analysis, 'validation_trades.json'),
    walkForwardResults: join(performance, 'walk_forward_results.json'),
    overfitting: join(analysis, 'overfitting.json'),
    folds: join(base, 'folds'),
    fold: (k) => join(base, 'folds', `fold_${k}`),
    series: join(base, 'series'),
    seriesDir: (name) => join(base, 'series', name),
    universeResults: join(performance, 'universe_results.json'),
    universeEquity: join(performance, 'universe_equity.arrow'),
    validationEquity: join(performance, 'validation_equity.arrow'),
    regimeReport: join(analysis, 'regime_report.json'),
    parameterSurface: join(analysis, 'parameter_surface.json'),
    ensembleReport: join(analysis, 'ensemble_report.json'),
    report: join(base, 'report.html'),
    trialSignals: (id, format = 'arrow') => join(signals, `trial_${id}.${format}`),
    trialPerformance: (id) => join(performance, `trial_${id}.json`),
    ensembleTrial: (id) => join(performance, `ensemble_trial_${id}.json`),
    regimeLabels: (c, split) => join(regimes, `${c}.${split}.arrow`),
    classifierModel: (c) => join(classifiers, `${c}.json`),
    checkpoint: (phase) => join(checkpoints, `${phase}.json`),
  };
}

/** The record stored in workflow.json: the directories only. */
export function pathsRecord(p: WorkspacePaths): WorkspacePathsRecord {
  const { base, signals, regimes, performance, analysis, metadata, classifiers, checkpoints } = p;
  return { base, signals, regimes, performance, analysis, metadata, classifiers, checkpoints };
}
