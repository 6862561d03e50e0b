import { existsSync, readdirSync } from 'node:fs';
import {
  CheckpointSchema,
  EnsembleWeightsSchema,
  ManifestSchema,
  PHASES,
  readJsonFile,
  RegimeOptimalParamsSchema,
  TrialsFileSchema,
  ValidationResultsSchema,
  workspacePaths,
  type Checkpoint,
  type EnsembleWeights,
  type Manifest,
  type PhaseName,
  type RegimeOptimalParams,
  type ResolvedConfig,
  type ValidationResults,
  type WorkspacePaths,
} from '@regimen/core';

/** What a finished run found, read back from its analysis files (never from memory). */
export interface RunSummary {
  workspace: string;
  optimal?: RegimeOptimalParams;
  weights?: EnsembleWeights;
  validation?: ValidationResults;
}

export function summarize(paths: WorkspacePaths, _config?: ResolvedConfig): RunSummary {
  const s: RunSummary = { workspace: paths.base };
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
}

/** `regimen status`: which phases are complete and how many trials have results. */
export function workspaceStatus(dir: string): WorkspaceStatus {
  const paths = workspacePaths(dir);
  const manifest = readJsonFile(paths.manifest, ManifestSchema);
  const phases = PHASES.map((phase) => ({
    phase,
    configured: manifest.phases.includes(phase),
    checkpoint: existsSync(paths.checkpoint(phase)) ? readJsonFile(paths.checkpoint(phase), CheckpointSchema) : null,
  }));
  const planned = existsSync(paths.trials) ? readJsonFile(paths.trials, TrialsFileSchema).trials.length : 0;
  const files = existsSync(paths.performance) ? readdirSync(paths.performance) : [];
  return {
    manifest,
    phases,
    trials: { planned, done: files.filter((f) => /^trial_.*\.json$/.test(f)).length },
    ensembleTrials: files.filter((f) => /^ensemble_trial_.*\.json$/.test(f)).length,
  };
}
