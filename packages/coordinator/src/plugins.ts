import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { createRegistry, isRegimenError, regimenError, type PluginRegistry } from '@regimen/core';
import hmm from '@regimen/classifier-hmm';
import pattern from '@regimen/classifier-pattern';
import grid from '@regimen/optimizer-grid';
import genetic from '@regimen/optimizer-genetic';

/** Built-ins are registered exactly like third-party plugins: by their default export. */
export const BUILTIN_PLUGINS = [
  { plugin: hmm as unknown, source: '@regimen/classifier-hmm' },
  { plugin: pattern as unknown, source: '@regimen/classifier-pattern' },
  { plugin: grid as unknown, source: '@regimen/optimizer-grid' },
  { plugin: genetic as unknown, source: '@regimen/optimizer-genetic' },
];

export function builtinRegistry(): PluginRegistry {
  const registry = createRegistry();
  for (const b of BUILTIN_PLUGINS) registry.register(b.plugin, b.source);
  return registry;
}

/**
 * Load third-party plugins named in a workflow: an npm package name (resolved from the config's
 * folder, then from Regimen's own) or a path. The default export may be one plugin or an array.
 */
export async function loadPlugins(registry: PluginRegistry, specs: string[], fromDir: string): Promise<void> {
  for (const spec of specs) {
    let url: string;
    try {
      const req = createRequire(pathToFileURL(fromDir + '/').href);
      url = pathToFileURL(req.resolve(spec)).href;
    } catch {
      try {
        url = import.meta.resolve(spec);
      } catch {
        throw regimenError({ code: 'plugin', field: 'workflow.plugins', value: spec, message: `cannot find plugin package "${spec}"` });
      }
    }
    let mod: { default?: unknown };
    try {
      mod = (await import(url)) as { default?: unknown };
    } catch (e) {
      throw regimenError({ code: 'plugin', field: 'workflow.plugins', value: spec, message: `plugin "${spec}" failed to load: ${(e as Error).message}`, cause: e });
    }
    const exported = mod.default;
    if (exported === undefined) throw regimenError({ code: 'plugin', field: 'workflow.plugins', value: spec, message: `plugin "${spec}" has no default export` });
    for (const p of Array.isArray(exported) ? exported : [exported]) {
      try {
        registry.register(p, spec);
      } catch (e) {
        if (isRegimenError(e)) throw e;
        throw regimenError({ code: 'plugin', value: spec, message: (e as Error).message });
      }
    }
  }
}

/** Run a plugin hook; anything it throws becomes one line naming the plugin and the hook. */
export function callPlugin<T>(pluginName: string, hook: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw pluginFailure(pluginName, hook, e);
  }
}

/** callPlugin for a hook that may return a promise (a classifier's fit). */
export async function callPluginAsync<T>(pluginName: string, hook: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw pluginFailure(pluginName, hook, e);
  }
}

function pluginFailure(pluginName: string, hook: string, e: unknown): unknown {
  if (isRegimenError(e)) return e;
  return regimenError({ code: 'plugin', message: `plugin "${pluginName}" failed in ${hook}(): ${(e as Error).message}`, cause: e });
}
