import { existsSync, mkdirSync, rmSync, accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import {
  canonicalJson,
  ManifestSchema,
  pathsRecord,
  readJsonFile,
  regimenError,
  sha256,
  writeFileAtomic,
  writeJsonAtomic,
  type DataFingerprint,
  type FoldPlanEntry,
  type Manifest,
  type ResolvedConfig,
  type WorkspacePaths,
} from '@regimen/core';

export const REGIMEN_VERSION = '0.1.0';

/** The hash that says "same experiment": everything but where it is written. */
export function configHash(config: ResolvedConfig): string {
  const { output_dir: _out, ...rest } = config;
  return sha256(canonicalJson(rest));
}

/**
 * `run`: a new workspace, or the same config and data run again there, which resumes it (a changed
 * config is refused: --force starts over); `resume`: like run, but there must be a run to resume;
 * `reuse` (--from-phase/--only-phase): the same data, and later phases' config may change.
 */
export type WorkspaceMode = 'run' | 'resume' | 'reuse';

/** Create (or reopen) a workspace; says whether an earlier run of the same config is being resumed. */
export function openWorkspace(
  paths: WorkspacePaths,
  opts: {
    mode: WorkspaceMode; force: boolean; config: ResolvedConfig; configPath: string; configText: string; fingerprint: DataFingerprint; split: Manifest['split']; barsPerYear: number;
    folds?: FoldPlanEntry[]; universe?: Manifest['universe']; series?: Manifest['series'];
  },
): { manifest: Manifest; resumed: boolean } {
  const hash = configHash(opts.config);
  let createdAt = new Date().toISOString();
  let resumed = false;
  if (existsSync(paths.manifest)) {
    if (opts.force) {
      for (const d of [paths.signals, paths.performance, paths.analysis, paths.metadata, paths.checkpoints, paths.folds, paths.series]) rmSync(d, { recursive: true, force: true });
    } else {
      const old = readJsonFile(paths.manifest, ManifestSchema);
      if (old.data_fingerprint.sha256 !== opts.fingerprint.sha256) {
        throw regimenError({ code: 'workspace', file: paths.manifest, field: 'data_fingerprint', value: old.data_fingerprint.source, message: 'the market data changed since this workspace was made; use --force to start over' });
      }
      if (opts.mode !== 'reuse' && old.config_hash !== hash) {
        throw regimenError({ code: 'workspace', file: paths.manifest, field: 'config_hash', message: 'the workflow config changed since this workspace was made; use --force to start over, or --from-phase to rerun later phases' });
      }
      createdAt = old.created_at;
      resumed = opts.mode !== 'reuse';
    }
  } else if (opts.mode !== 'run') {
    throw regimenError({ code: 'workspace', file: paths.manifest, message: 'no earlier run here to resume or reuse (no metadata/workflow.json)' });
  }
  try {
    mkdirSync(dirname(paths.base), { recursive: true });
    accessSync(dirname(paths.base), constants.W_OK);
    for (const d of [paths.signals, paths.regimes, paths.performance, paths.analysis, paths.metadata, paths.classifiers, paths.checkpoints]) mkdirSync(d, { recursive: true });
  } catch (e) {
    throw regimenError({ code: 'workspace', file: paths.base, message: `cannot create the workspace (${(e as NodeJS.ErrnoException).code})` });
  }
  const manifest: Manifest = {
    workflow_id: opts.config.workflow_id,
    created_at: createdAt,
    regimen_version: REGIMEN_VERSION,
    paths: pathsRecord(paths),
    phases: opts.config.phases,
    config_hash: hash,
    config_path: opts.configPath,
    data_fingerprint: opts.fingerprint,
    split: opts.split,
    bars_per_year: opts.barsPerYear,
    ...(opts.folds ? { folds: opts.folds } : {}),
    ...(opts.universe ? { universe: opts.universe } : {}),
    ...(opts.series ? { series: opts.series } : {}),
  };
  writeFileAtomic(paths.configCopy, opts.configText);
  writeJsonAtomic(paths.configResolved, opts.config);
  writeJsonAtomic(paths.manifest, manifest);
  return { manifest, resumed };
}
