import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { regimenError } from '@regimen/core';
import { PROTOCOL, REGIMEN_VERSION, type PluginRef, type RunManifest } from './protocol.js';

/**
 * A worker runs a run's jobs only if it speaks the same protocol, is the same Regimen version
 * and has the same version of every plugin whose code runs in workers. Otherwise it refuses the
 * run with one line naming what differs; the coordinator shows that line.
 */

/** the nearest package.json at or above a file */
function packageJsonOf(file: string): { name?: string; version?: string } | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
    if (dir === parse(dir).root) return null;
  }
}

function resolveFrom(spec: string, from: string): string | null {
  try {
    return createRequire(pathToFileURL(join(from, 'noop.js')).href).resolve(spec);
  } catch {
    return null;
  }
}

/**
 * What a worker must have for a plugin the coordinator loaded from `spec` (resolved from
 * `from`): its package name and version. A plugin that is a lone file has no package: it cannot
 * be installed on a worker under a name, and the run says so before any job is queued.
 */
export function pluginRef(spec: string, from: string): PluginRef {
  const file = resolveFrom(spec, from);
  const pkg = file ? packageJsonOf(file) : null;
  if (!file || !pkg?.name) {
    throw regimenError({ code: 'plugin', field: 'workflow.plugins', value: spec, message: 'a plugin that runs in workers must be an installed package (with a package.json naming it) so every worker can have it' });
  }
  return { spec, name: pkg.name, version: pkg.version ?? null };
}

/** Where a worker finds plugins: its --plugins folder first, then Regimen's own installation. */
export function findInstalled(name: string, from: string): { version: string | null } | null {
  // the package's entry, then its package.json above it (an exports map may not export ./package.json)
  const entry = resolveFrom(name, from) ?? resolveFrom(name, dirname(fileURLToPath(import.meta.url)));
  const pkg = entry ? packageJsonOf(entry) : null;
  if (!pkg || pkg.name !== name) return null;
  return { version: pkg.version ?? null };
}

/** null when this worker can run the manifest's jobs, else the one line saying what differs */
export function refusal(manifest: Pick<RunManifest, 'protocol' | 'regimen' | 'plugins'>, pluginsFrom: string, version = REGIMEN_VERSION): string | null {
  if (manifest.protocol !== PROTOCOL) return `it speaks wire protocol ${PROTOCOL}, the run speaks ${manifest.protocol} (install the coordinator's Regimen version, ${manifest.regimen})`;
  if (manifest.regimen !== version) return `it has Regimen ${version}, the run needs ${manifest.regimen} (install the same version on every worker)`;
  for (const p of manifest.plugins) {
    const have = findInstalled(p.name, pluginsFrom);
    if (!have) return `it lacks plugin ${p.name}${p.version ? `@${p.version}` : ''} (named in the workflow as ${p.spec}; install it where the worker runs, or give --plugins DIR)`;
    if (have.version !== p.version) return `it has plugin ${p.name}@${have.version}, the run needs ${p.name}@${p.version}`;
  }
  return null;
}
