import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
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
    throw regimenError({ code: 'plugin', field, value: spec, message: `plugin "${spec}" failed to load: ${(e as Error).message}`, cause: e });
  }
  const exported = mod.default;
  if (exported === undefined) throw regimenError({ code: 'plugin', field, value: spec, message: `plugin "${spec}" has no default export` });
  return { url, exported: Array.isArray(exported) ? exported : [exported] };
}
