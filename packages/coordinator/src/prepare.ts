import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ManifestSchema, PHASES, readJsonFile, regimenError, workspacePaths, type PhaseName, type ResolvedConfig } from '@regimen/core';
import { dataFingerprint, inferBarsPerYear, loadMarketData, splitBars } from '@regimen/data';
import { loadWorkflowConfig } from './config-file.js';
import { resolveConfig } from './defaults.js';
import { builtinRegistry, loadPlugins } from './plugins.js';
import { preflight } from './preflight.js';
import type { RunOptions } from './run.js';

function checkPhaseName(name: string | undefined, flag: string, config: ResolvedConfig): void {
  if (name === undefined) return;
  if (!PHASES.includes(name as PhaseName)) throw regimenError({ code: 'usage', field: flag, value: name, message: `not a phase (${PHASES.join(', ')})` });
  if (!config.phases.includes(name as PhaseName)) throw regimenError({ code: 'usage', field: flag, value: name, message: `the workflow has no such phase (${config.phases.join(', ')})` });
}

/**
 * Everything a run needs before it touches a workspace: the config (from a workflow file, or the
 * copy inside a workspace folder), plugins, the preflight checks, the data, split and fingerprint.
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
  const config = resolveConfig(raw, { configPath, baseDir, outDir: opts.outDir });
  checkPhaseName(opts.fromPhase, '--from-phase', config);
  checkPhaseName(opts.onlyPhase, '--only-phase', config);
  if (opts.fromPhase && opts.onlyPhase) throw regimenError({ code: 'usage', field: '--only-phase', message: 'give --from-phase or --only-phase, not both' });

  const registry = builtinRegistry();
  await loadPlugins(registry, config.plugins, baseDir ?? dirname(resolve(configPath)));
  preflight(config, registry, configPath);

  const t0 = performance.now();
  const market = loadMarketData(config.data.path, { column: config.data.column, minBars: 4 });
  const split = splitBars(market.bars, config.data.split, configPath);
  if (market.timeKind === 'bar' && config.data.bars_per_year === null) {
    throw regimenError({ code: 'config', file: configPath, field: 'workflow.data.bars_per_year', message: `${market.source} has bar numbers, not dates: give bars_per_year` });
  }
  const barsPerYear = config.data.bars_per_year ?? inferBarsPerYear(market.bars.time);
  const fingerprint = dataFingerprint(market.bars, market.source);
  const loadSeconds = (performance.now() - t0) / 1000;
  const paths = workspacePaths(config.output_dir);
  return { opts, config, registry, market, split, barsPerYear, fingerprint, paths, text, configPath, originalConfig, loadSeconds };
}
