import { createRegistry, importPluginSource, isRegimenError, regimenError, type PluginRegistry, type ResolvedConfig } from '@regimen/core';
import { BUILTIN_STRATEGY_PLUGINS, useStrategyPlugin } from '@regimen/kernel';
import hmm from '@regimen/classifier-hmm';
import pattern from '@regimen/classifier-pattern';

/**
 * The classifiers and strategies a finished run used, registered as the run registered them: the
 * built-ins by their default export, third-party packages from the workflow's `plugins` and its
 * strategies' `plugin` (resolved from the workflow's folder). Optimizers are not needed to decide.
 */
export async function runRegistry(config: ResolvedConfig, fromDir: string): Promise<PluginRegistry> {
  const registry = createRegistry();
  registry.register(hmm, '@regimen/classifier-hmm');
  registry.register(pattern, '@regimen/classifier-pattern');
  for (const p of BUILTIN_STRATEGY_PLUGINS) registry.register(p, '@regimen/kernel');
  const specs = [...new Set([...config.plugins, ...config.strategies.flatMap((s) => (s.plugin ? [s.plugin] : []))])];
  for (const spec of specs) {
    const { exported } = await importPluginSource({ spec, from: fromDir });
    for (const p of exported) {
      let plugin;
      try {
        plugin = registry.register(p, spec);
      } catch (e) {
        if (isRegimenError(e)) throw e;
        throw regimenError({ code: 'plugin', value: spec, message: (e as Error).message });
      }
      if (plugin.kind === 'strategy') useStrategyPlugin(plugin, spec);
    }
  }
  return registry;
}
