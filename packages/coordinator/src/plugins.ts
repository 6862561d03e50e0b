import { createRegistry, importPluginSource, isRegimenError, regimenError, type Plugin, type PluginRegistry, type PluginSource } from '@regimen/core';
import { BUILTIN_STRATEGY_PLUGINS, useStrategyPlugin } from '@regimen/kernel';
import hmm from '@regimen/classifier-hmm';
import pattern from '@regimen/classifier-pattern';
import grid from '@regimen/optimizer-grid';
import genetic from '@regimen/optimizer-genetic';
import tpe from '@regimen/optimizer-tpe';
import random from '@regimen/optimizer-random';

/** Built-ins are registered exactly like third-party plugins: by their default export. */
export const BUILTIN_PLUGINS = [
  { plugin: hmm as unknown, source: '@regimen/classifier-hmm' },
  { plugin: pattern as unknown, source: '@regimen/classifier-pattern' },
  { plugin: grid as unknown, source: '@regimen/optimizer-grid' },
  { plugin: genetic as unknown, source: '@regimen/optimizer-genetic' },
  { plugin: tpe as unknown, source: '@regimen/optimizer-tpe' },
  { plugin: random as unknown, source: '@regimen/optimizer-random' },
  // the five strategies of the kernel; their hot path stays there
  ...BUILTIN_STRATEGY_PLUGINS.map((plugin) => ({ plugin: plugin as unknown, source: '@regimen/kernel' })),
];

export function builtinRegistry(): PluginRegistry {
  const registry = createRegistry();
  for (const b of BUILTIN_PLUGINS) registry.register(b.plugin, b.source);
  return registry;
}

/** What one plugin package registered, and where it came from (workers import strategies from there). */
export interface LoadedPlugins {
  source: PluginSource;
  plugins: Plugin[];
}

/**
 * Load third-party plugins named in a workflow: an npm package name (resolved from the config's
 * folder, then from Regimen's own) or a path. The default export may be one plugin or an array.
 * Strategy plugins also become runnable by this thread's engines. `field` names the config key in errors.
 */
export async function loadPlugins(registry: PluginRegistry, specs: string[], fromDir: string, field = 'workflow.plugins'): Promise<LoadedPlugins[]> {
  const out: LoadedPlugins[] = [];
  for (const spec of specs) {
    const source = { spec, from: fromDir };
    const { exported } = await importPluginSource(source, field);
    const plugins: Plugin[] = [];
    for (const p of exported) {
      try {
        plugins.push(registry.register(p, spec));
      } catch (e) {
        if (isRegimenError(e)) throw e;
        throw regimenError({ code: 'plugin', value: spec, message: (e as Error).message });
      }
    }
    for (const p of plugins) if (p.kind === 'strategy') useStrategyPlugin(p, spec);
    out.push({ source, plugins });
  }
  return out;
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
