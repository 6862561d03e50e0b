import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CheckpointSchema,
  EnsembleWeightsSchema,
  ManifestSchema,
  PHASES,
  readJsonFile,
  RegimeOptimalParamsSchema,
  TrialsFileSchema,
  UniverseResultsSchema,
  ValidationResultsSchema,
  WalkForwardResultsSchema,
  workspacePaths,
  type Checkpoint,
  type EnsembleWeights,
  type Manifest,
  type PhaseName,
  type RegimeOptimalParams,
  type ResolvedConfig,
  type UniverseResults,
  type ValidationResults,
  type WalkForwardResults,
  type WorkspacePaths,
} from '@regimen/core';

/** What a finished run found, read back from its analysis files (never from memory). */
export interface RunSummary {
  workspace: string;
  optimal?: RegimeOptimalParams;
  weights?: EnsembleWeights;
  validation?: ValidationResults;
  /** a walk-forward: every fold and the folds stitched (then the other fields are absent) */
  walkForward?: WalkForwardResults;
  /** a universe: every series out of sample, the sign tests and the portfolios (then the other fields are absent) */
  universe?: UniverseResults;
}

export function summarize(paths: WorkspacePaths, _config?: ResolvedConfig): RunSummary {
  const s: RunSummary = { workspace: paths.base };
  if (existsSync(paths.universeResults)) s.universe = readJsonFile(paths.universeResults, UniverseResultsSchema);
  if (existsSync(paths.walkForwardResults)) s.walkForward = readJsonFile(paths.walkForwardResults, WalkForwardResultsSchema);
  if (existsSync(paths.regimeOptimalParams)) s.optimal = readJsonFile(paths.regimeOptimalParams, RegimeOptimalParamsSchema);
  if (existsSync(paths.ensembleWeights)) s.weights = readJsonFile(paths.ensembleWeights, EnsembleWeightsSchema);
  if (existsSync(paths.validationResults)) s.validation = readJsonFile(paths.validationResults, ValidationResultsSchema);
  return s;
}

export interface WorkspaceStatus {
  manifest: Manifest;
  phases: Array<{ phase: PhaseName; configured: boolean; checkpoint: Checkpoint | null }>;
  trials: { planned: number; done: number };
  ensembleTrials: number;
  /** a walk-forward: the same for each fold (its folder's checkpoints and files) */
  folds?: Array<Omit<WorkspaceStatus, 'manifest' | 'folds' | 'series'> & { index: number }>;
  /** a universe: the same for each series (its folder; `started` false until its run began) */
  series?: Array<Omit<WorkspaceStatus, 'manifest' | 'series'> & { name: string; started: boolean }>;
}

/** `regimen status`: which phases are complete and how many trials have results (per fold, for a walk-forward). */
export function workspaceStatus(dir: string): WorkspaceStatus {
  const paths = workspacePaths(dir);
  const manifest = readJsonFile(paths.manifest, ManifestSchema);
  const of = (p: WorkspacePaths) => {
    const phases = PHASES.map((phase) => ({
      phase,
      configured: manifest.phases.includes(phase),
      checkpoint: existsSync(p.checkpoint(phase)) ? readJsonFile(p.checkpoint(phase), CheckpointSchema) : null,
    }));
    const planned = existsSync(p.trials) ? readJsonFile(p.trials, TrialsFileSchema).trials.length : 0;
    const files = existsSync(p.performance) ? readdirSync(p.performance) : [];
    return {
      phases,
      trials: { planned, done: files.filter((f) => /^trial_.*\.json$/.test(f)).length },
      ensembleTrials: files.filter((f) => /^ensemble_trial_.*\.json$/.test(f)).length,
    };
  };
  const folds = manifest.folds?.map((f) => ({ index: f.index, ...of(workspacePaths(paths.fold(f.index))) }));
  const series = manifest.universe?.series.map((s) => {
    const dir = join(paths.base, s.workspace);
    if (existsSync(workspacePaths(dir).manifest)) {
      const { manifest: _m, series: _s, ...own } = workspaceStatus(dir);
      return { name: s.name, started: true, ...own };
    }
    return { name: s.name, started: false, ...of(workspacePaths(dir)) };
  });
  return { manifest, ...of(paths), ...(folds ? { folds } : {}), ...(series ? { series } : {}) };
}
