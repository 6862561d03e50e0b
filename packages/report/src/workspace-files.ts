import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CheckpointSchema,
  ClassifierModelFileSchema,
  EnsembleReportFileSchema,
  EnsembleWeightsSchema,
  ManifestSchema,
  OverfittingSchema,
  ParameterSurfaceSchema,
  PARETO_FRONTS_FILE,
  ParetoFrontsSchema,
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
  WalkForwardOverfittingSchema,
  WalkForwardResultsSchema,
  workspacePaths,
  type Checkpoint,
  type ClassifierModelFile,
  type EnsembleReportFile,
  type EnsembleWeights,
  type FoldPlanEntry,
  type Manifest,
  type Overfitting,
  type ParameterSurface,
  type ParetoFronts,
  type PhaseName,
  type RegimeAnalysisReport,
  type RegimeOptimalParams,
  type ResolvedConfig,
  type SplitName,
  type ValidationResults,
  type ValidationTrades,
  type WalkForwardOverfitting,
  type WalkForwardResults,
  type WorkspacePaths,
} from '@regimen/core';
import { readRegimeLabels, readValidationEquity, type RegimeLabelsFile, type ValidationEquityFile } from '@regimen/data';
import { defaultJournal, defaultPaperLedger } from '@regimen/core';
import { readJournalDecisions, readPaperLedger, type PaperLedgerFile } from './paper-ledger.js';

/** Bars [start, end) of the whole series. */
export interface BarWindow {
  start: number;
  end: number;
}

/**
 * Everything a report shows, read from a workspace's files and validated by their schemas (never
 * from a run's memory). Files of phases that have not run are absent, and so are their sections.
 */
export interface WorkspaceFiles {
  paths: WorkspacePaths;
  manifest: Manifest;
  config: ResolvedConfig;
  /** the training and test windows in the whole series (a fold's are its in- and out-of-sample windows) */
  windows: { train: BarWindow; test: BarWindow };
  /** a fold of a walk-forward: which, and the walk-forward's folder */
  fold?: { index: number; of: number; plan: FoldPlanEntry; top: string };
  checkpoints: Partial<Record<PhaseName, Checkpoint>>;
  classifiers: ClassifierModelFile[];
  /** every trial's metrics: parameter_surface.json, or the phase-1 trial files before phase 2 ran */
  surface?: ParameterSurface;
  regimeReport?: RegimeAnalysisReport;
  /** analysis/pareto_fronts.json, when regime analysis had several objectives */
  paretoFronts?: ParetoFronts;
  optimal?: RegimeOptimalParams;
  weights?: EnsembleWeights;
  ensembleReport?: EnsembleReportFile;
  /** analysis/overfitting.json of this workspace (a walk-forward's top one is in walkForward) */
  overfitting?: Overfitting;
  validation?: ValidationResults;
  trades?: ValidationTrades;
  equity?: ValidationEquityFile;
  /** classifier → split → labels, for the splits phase 1 wrote */
  labels: Record<string, Partial<Record<'train' | 'test', RegimeLabelsFile>>>;
  /** the top of a walk-forward: its plan, results and every fold's own files */
  walkForward?: WalkForwardFiles;
  /** live/paper.jsonl of `regimen paper`, when the workspace has been paper-traded */
  paper?: PaperLedgerFile;
  /** without a ledger: the decisions `regimen signal` journaled in live/decisions.jsonl */
  journaled?: { count: number; first: string; last: string };
}

export interface WalkForwardFiles {
  plan: FoldPlanEntry[];
  /** absent until every fold is validated */
  results?: WalkForwardResults;
  equity?: ValidationEquityFile;
  overfitting?: WalkForwardOverfitting;
  /** per planned fold, its files; null for a fold whose folder has no manifest yet */
  folds: Array<WorkspaceFiles | null>;
}

const optional = <T>(path: string, read: (p: string) => T): T | undefined => (existsSync(path) ? read(path) : undefined);

export function readWorkspaceFiles(dir: string): WorkspaceFiles {
  const paths = workspacePaths(dir);
  if (!existsSync(paths.manifest)) throw regimenError({ code: 'workspace', file: paths.manifest, message: 'missing: this folder is not a Regimen workspace (`regimen run` makes one)' });
  const manifest = readJsonFile(paths.manifest, ManifestSchema);
  if (manifest.fold) return readFold(paths, manifest);
  const config = readJsonFile(paths.configResolved, ResolvedConfigSchema);
  const bars = manifest.data_fingerprint.bars;
  const windows = { train: { start: 0, end: manifest.split.train_bars }, test: { start: bars - manifest.split.test_bars, end: bars } };
  const ws = readPhaseFiles(paths, manifest, config, windows);
  if (manifest.folds) ws.walkForward = readWalkForward(paths, manifest.folds);
  return ws;
}

/**
 * A fold's folder holds its phases' files; the config and the fold plan are the walk-forward's,
 * two folders up (or where the fold's manifest says the walk-forward was, if it was moved apart).
 */
function readFold(paths: WorkspacePaths, manifest: Manifest): WorkspaceFiles {
  const fold = manifest.fold!;
  const up = resolve(paths.base, '..', '..');
  const top = [up, fold.workspace].find((d) => existsSync(workspacePaths(d).configResolved)) ?? up;
  const topPaths = workspacePaths(top);
  const topManifest = optional(topPaths.manifest, (p) => readJsonFile(p, ManifestSchema));
  const plan = topManifest?.folds?.[fold.index];
  if (!plan || topManifest!.workflow_id !== manifest.workflow_id) {
    throw regimenError({ code: 'workspace', file: topPaths.manifest, message: `fold ${fold.index} of ${paths.base} needs its walk-forward's manifest and config here (the folder two levels up, or ${fold.workspace})` });
  }
  const config = readJsonFile(topPaths.configResolved, ResolvedConfigSchema);
  const windows = { train: { start: plan.in_sample.start, end: plan.in_sample.end }, test: { start: plan.out_of_sample.start, end: plan.out_of_sample.end } };
  return { ...readPhaseFiles(paths, manifest, config, windows), fold: { index: fold.index, of: fold.of, plan, top } };
}

function readWalkForward(paths: WorkspacePaths, plan: FoldPlanEntry[]): WalkForwardFiles {
  const results = optional(paths.walkForwardResults, (p) => readJsonFile(p, WalkForwardResultsSchema));
  return {
    plan,
    results,
    // where the results file says the stitched curves are
    equity: results ? optional(resolve(paths.base, results.stitched.equity_file), readValidationEquity) : undefined,
    overfitting: optional(paths.overfitting, (p) => readJsonFile(p, WalkForwardOverfittingSchema)),
    folds: plan.map((f) => (existsSync(workspacePaths(paths.fold(f.index)).manifest) ? readWorkspaceFiles(paths.fold(f.index)) : null)),
  };
}

function readPhaseFiles(paths: WorkspacePaths, manifest: Manifest, config: ResolvedConfig, windows: WorkspaceFiles['windows']): WorkspaceFiles {
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
    windows,
    checkpoints,
    classifiers,
    surface: optional(paths.parameterSurface, (p) => readJsonFile(p, ParameterSurfaceSchema)) ?? trialFiles(paths),
    regimeReport: optional(paths.regimeReport, (p) => readJsonFile(p, RegimeAnalysisReportSchema)),
    paretoFronts: optional(join(paths.analysis, PARETO_FRONTS_FILE), (p) => readJsonFile(p, ParetoFrontsSchema)),
    optimal: optional(paths.regimeOptimalParams, (p) => readJsonFile(p, RegimeOptimalParamsSchema)),
    weights: optional(paths.ensembleWeights, (p) => readJsonFile(p, EnsembleWeightsSchema)),
    ensembleReport: optional(paths.ensembleReport, (p) => readJsonFile(p, EnsembleReportFileSchema)),
    // the top of a walk-forward has its own shape of this file (read in readWalkForward)
    overfitting: manifest.folds ? undefined : optional(paths.overfitting, (p) => readJsonFile(p, OverfittingSchema)),
    validation: optional(paths.validationResults, (p) => readJsonFile(p, ValidationResultsSchema)),
    trades: optional(paths.validationTrades, (p) => readJsonFile(p, ValidationTradesSchema)),
    equity: optional(paths.validationEquity, readValidationEquity),
    labels,
    ...paperFiles(paths.base),
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
  const pieces: Array<{ file: RegimeLabelsFile; from: number }> = [];
  if (files.train) pieces.push({ file: files.train, from: ws.windows.train.start });
  if (files.test) pieces.push({ file: files.test, from: ws.windows.test.start });
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

/** The paper ledger, or without one the journal's decisions (read only then: a ledger books them all). */
function paperFiles(base: string): Pick<WorkspaceFiles, 'paper' | 'journaled'> {
  const paper = readPaperLedger(defaultPaperLedger(base));
  return paper ? { paper } : { journaled: readJournalDecisions(defaultJournal(base)) };
}
