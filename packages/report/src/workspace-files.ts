import { existsSync } from 'node:fs';
import {
  CheckpointSchema,
  ClassifierModelFileSchema,
  EnsembleReportFileSchema,
  EnsembleWeightsSchema,
  ManifestSchema,
  ParameterSurfaceSchema,
  PHASES,
  readJsonFile,
  RegimeAnalysisReportSchema,
  RegimeOptimalParamsSchema,
  regimenError,
  ResolvedConfigSchema,
  TrialPerformanceSchema,
  TrialsFileSchema,
  ValidationResultsSchema,
  ValidationTradesSchema,
  workspacePaths,
  type Checkpoint,
  type ClassifierModelFile,
  type EnsembleReportFile,
  type EnsembleWeights,
  type Manifest,
  type ParameterSurface,
  type PhaseName,
  type RegimeAnalysisReport,
  type RegimeOptimalParams,
  type ResolvedConfig,
  type SplitName,
  type ValidationResults,
  type ValidationTrades,
  type WorkspacePaths,
} from '@regimen/core';
import { readRegimeLabels, readValidationEquity, type RegimeLabelsFile, type ValidationEquityFile } from '@regimen/data';

/**
 * Everything a report shows, read from a workspace's files and validated by their schemas (never
 * from a run's memory). Files of phases that have not run are absent, and so are their sections.
 */
export interface WorkspaceFiles {
  paths: WorkspacePaths;
  manifest: Manifest;
  config: ResolvedConfig;
  checkpoints: Partial<Record<PhaseName, Checkpoint>>;
  classifiers: ClassifierModelFile[];
  /** every trial's metrics: parameter_surface.json, or the phase-1 trial files before phase 2 ran */
  surface?: ParameterSurface;
  regimeReport?: RegimeAnalysisReport;
  optimal?: RegimeOptimalParams;
  weights?: EnsembleWeights;
  ensembleReport?: EnsembleReportFile;
  validation?: ValidationResults;
  trades?: ValidationTrades;
  equity?: ValidationEquityFile;
  /** classifier → split → labels, for the splits phase 1 wrote */
  labels: Record<string, Partial<Record<'train' | 'test', RegimeLabelsFile>>>;
}

const optional = <T>(path: string, read: (p: string) => T): T | undefined => (existsSync(path) ? read(path) : undefined);

export function readWorkspaceFiles(dir: string): WorkspaceFiles {
  const paths = workspacePaths(dir);
  if (!existsSync(paths.manifest)) throw regimenError({ code: 'workspace', file: paths.manifest, message: 'missing: this folder is not a Regimen workspace (`regimen run` makes one)' });
  const manifest = readJsonFile(paths.manifest, ManifestSchema);
  const config = readJsonFile(paths.configResolved, ResolvedConfigSchema);
  const checkpoints: WorkspaceFiles['checkpoints'] = {};
  for (const phase of PHASES) {
    const c = optional(paths.checkpoint(phase), (p) => readJsonFile(p, CheckpointSchema));
    if (c) checkpoints[phase] = c;
  }
  const classifiers = config.classifiers.flatMap((c) => optional(paths.classifierModel(c.name), (p) => readJsonFile(p, ClassifierModelFileSchema)) ?? []);
  const labels: WorkspaceFiles['labels'] = {};
  for (const c of config.classifiers) {
    labels[c.name] = {};
    for (const split of ['train', 'test'] as const) {
      const l = optional(paths.regimeLabels(c.name, split), readRegimeLabels);
      if (l) labels[c.name]![split] = l;
    }
  }
  return {
    paths,
    manifest,
    config,
    checkpoints,
    classifiers,
    surface: optional(paths.parameterSurface, (p) => readJsonFile(p, ParameterSurfaceSchema)) ?? trialFiles(paths),
    regimeReport: optional(paths.regimeReport, (p) => readJsonFile(p, RegimeAnalysisReportSchema)),
    optimal: optional(paths.regimeOptimalParams, (p) => readJsonFile(p, RegimeOptimalParamsSchema)),
    weights: optional(paths.ensembleWeights, (p) => readJsonFile(p, EnsembleWeightsSchema)),
    ensembleReport: optional(paths.ensembleReport, (p) => readJsonFile(p, EnsembleReportFileSchema)),
    validation: optional(paths.validationResults, (p) => readJsonFile(p, ValidationResultsSchema)),
    trades: optional(paths.validationTrades, (p) => readJsonFile(p, ValidationTradesSchema)),
    equity: optional(paths.validationEquity, readValidationEquity),
    labels,
  };
}

/** Phase-1 results as the surface file would hold them, for a workspace whose phase 2 has not run. */
function trialFiles(paths: WorkspacePaths): ParameterSurface | undefined {
  if (!existsSync(paths.trials)) return undefined;
  const trials = readJsonFile(paths.trials, TrialsFileSchema).trials.flatMap((t) => optional(paths.trialPerformance(t.trial_id), (p) => readJsonFile(p, TrialPerformanceSchema)) ?? []);
  if (trials.length === 0) return undefined;
  return { trials: trials.map((t) => ({ trial_id: t.trial_id, strategy: t.strategy, params: t.params, bars: t.bars, metrics: t.metrics, regimes: t.regimes })) };
}

/**
 * The labels of one classifier over bars [start, start + length) of the whole series, from the
 * train and test files (validation may run on either split or on all bars). Null when a file it
 * needs is missing.
 */
export function labelsOver(ws: WorkspaceFiles, classifier: string, start: number, length: number): RegimeLabelsFile | null {
  const files = ws.labels[classifier] ?? {};
  const testStart = ws.manifest.data_fingerprint.bars - ws.manifest.split.test_bars;
  const pieces: Array<{ file: RegimeLabelsFile; from: number }> = [];
  if (files.train) pieces.push({ file: files.train, from: 0 });
  if (files.test) pieces.push({ file: files.test, from: testStart });
  const first = pieces.find((p) => p.file.labels.length > 0);
  if (!first) return null;
  const labels = new Uint8Array(length);
  const time = new Float64Array(length);
  const covered = new Uint8Array(length);
  for (const { file, from } of pieces) {
    for (let i = 0; i < file.labels.length; i++) {
      const k = from + i - start;
      if (k < 0 || k >= length) continue;
      labels[k] = file.labels[i]!;
      time[k] = file.time[i]!;
      covered[k] = 1;
    }
  }
  if (!covered.every((c) => c === 1)) return null;
  return { classifier, names: first.file.names, labels, time };
}

export type { SplitName };
