import { isContinuous, iterateGrid, regimenError, type BarColumns, type Candidate, type PluginRegistry, type PluginSource, type ResolvedConfig, type StrategyPlugin } from '@regimen/core';
import { checkStrategyPlugin, isStrategyType, type StrategyParams } from '@regimen/kernel';
import { buildSearchSpace } from '@regimen/optimizer';
import { loadPlugins, type LoadedPlugins } from './plugins.js';
import { makeTrial } from './trials.js';

/**
 * Strategies that come from plugin packages (`strategies: { mine: { plugin: pkg } }`): load each
 * package once, take its strategy (or the one `type` names) as the strategy's type, and collect
 * every package that brought a strategy — pool workers import those, by name or path, themselves.
 */
export async function bindStrategies(config: ResolvedConfig, registry: PluginRegistry, loaded: LoadedPlugins[], fromDir: string, configPath: string):
  Promise<{ config: ResolvedConfig; strategySources: PluginSource[] }> {
  const bySpec = new Map(loaded.map((l) => [l.source.spec, l]));
  const strategies = [];
  for (const s of config.strategies) {
    if (s.plugin === undefined) {
      strategies.push(s);
      continue;
    }
    const field = `workflow.strategies.${s.name}.plugin`;
    let pkg = bySpec.get(s.plugin);
    if (!pkg) {
      [pkg] = await loadPlugins(registry, [s.plugin], fromDir, field);
      bySpec.set(s.plugin, pkg!);
    }
    const offered = pkg!.plugins.filter((p): p is StrategyPlugin => p.kind === 'strategy');
    const names = offered.map((p) => p.name).join(', ');
    let chosen: StrategyPlugin | undefined;
    if (s.type) {
      chosen = offered.find((p) => [p.name, ...(p.aliases ?? [])].some((n) => n.toLowerCase() === s.type.toLowerCase()));
      if (!chosen) throw regimenError({ code: 'config', file: configPath, field: `workflow.strategies.${s.name}.type`, value: s.type, message: `plugin "${s.plugin}" has no such strategy (it has: ${names || 'none'})` });
    } else {
      if (offered.length !== 1) {
        throw regimenError({ code: 'config', file: configPath, field, value: s.plugin, message: offered.length ? `the package has several strategies (${names}); say which with type` : 'the package has no strategy plugin' });
      }
      chosen = offered[0];
    }
    strategies.push({ ...s, type: chosen!.name });
  }
  const strategySources = [...bySpec.values()].filter((l) => l.plugins.some((p) => p.kind === 'strategy')).map((l) => l.source);
  return { config: { ...config, strategies }, strategySources };
}

/** The first point of a space (each dimension's first value, or its lower bound): a parameter set to try. */
function firstCandidate(space: ReturnType<typeof buildSearchSpace>): Candidate {
  if (!space.dimensions.some(isContinuous)) {
    const first = iterateGrid(space).next();
    if (!first.done) return first.value;
  }
  return Object.fromEntries(space.dimensions.map((d) => [d.name, d.kind === 'values' ? d.values[0]! : d.min]));
}

/**
 * Before any trial runs, every plugin strategy runs once on the workflow's data with its first
 * parameter set, as a trial would: positions valid, no throw, and its WebAssembly (if any) equal
 * to its TypeScript reference bit for bit. A failure is one line naming the strategy and the plugin.
 */
export function checkStrategyPlugins(config: ResolvedConfig, registry: PluginRegistry, bars: BarColumns, configPath: string): void {
  for (const s of config.strategies) {
    if (isStrategyType(s.type)) continue; // the kernel's own five
    const plugin = registry.strategy(s.type);
    const where = `workflow.strategies.${s.name}`;
    const trial = makeTrial(s, firstCandidate(buildSearchSpace(s.parameter_space, { constraints: s.constraints, where })), configPath);
    try {
      checkStrategyPlugin(plugin, bars, trial.params as StrategyParams);
    } catch (e) {
      const err = e as { code?: string; message: string };
      throw regimenError({ code: 'plugin', file: configPath, field: where, message: err.message, cause: e });
    }
  }
}
