import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { regimenError } from './errors.js';

/**
 * Where a plugin comes from: an npm package name, resolved from `from` (the workflow's folder)
 * first and then from Regimen's own installation, or a path (a `.js` file, or a package folder,
 * whose `main` is used). Jobs carry this pair, never code: each worker thread resolves and imports
 * it itself, under its own export conditions.
 */
export interface PluginSource {
  spec: string;
  from: string;
}

export function resolvePluginSource({ spec, from }: PluginSource, field = 'workflow.plugins'): string {
  try {
    return pathToFileURL(createRequire(pathToFileURL(from + '/').href).resolve(spec)).href;
  } catch {
    try {
      return import.meta.resolve(spec);
    } catch {
      throw regimenError({ code: 'plugin', field, value: spec, message: `cannot find plugin package "${spec}"` });
    }
  }
}

/**
 * The module's default export as a list of would-be plugins (one plugin or an array), and its URL.
 * Errors are one line naming the package and `field`, the config key that named it.
 */
export async function importPluginSource(source: PluginSource, field = 'workflow.plugins'): Promise<{ url: string; exported: unknown[] }> {
  const url = resolvePluginSource(source, field);
  const { spec } = source;
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    throw regimenError({ code: 'plugin', field, value: spec, message: `plugin "${spec}" failed to load: ${(e as Error).message}${notInstalledHint(url, e)}`, cause: e });
  }
  const exported = mod.default;
  if (exported === undefined) throw regimenError({ code: 'plugin', field, value: spec, message: `plugin "${spec}" has no default export` });
  return { url, exported: Array.isArray(exported) ? exported : [exported] };
}

/**
 * A plugin folder named by path imports its dependencies (zod, @regimen/core) from its own
 * node_modules; scaffolded and never installed, it fails with "Cannot find package 'zod'". Name
 * the folder in which `npm install` is missing, the step the user skipped.
 */
function notInstalledHint(url: string, e: unknown): string {
  const err = e as { code?: string; message?: string } | undefined;
  if (!url.startsWith('file:') || !(err?.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (package|module)/.test(err?.message ?? ''))) return '';
  for (let d = dirname(fileURLToPath(url)); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return existsSync(join(d, 'node_modules')) ? '' : ` (its dependencies are not installed: run \`npm install\` in ${d})`;
    if (dirname(d) === d) return '';
  }
}
