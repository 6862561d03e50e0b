import { regimenError, type StrategyPlugin } from '@regimen/core';

/**
 * The strategy plugins this thread's engines can run, beside the five built-ins: the coordinator
 * puts the ones a workflow loads here, and a pool worker the ones its task names (imported once
 * per thread). Names are case-insensitive, like the plugin registry's; a later plugin of the same
 * name replaces an earlier one (one run at a time per thread).
 */
const used = new Map<string, { plugin: StrategyPlugin; source: string }>();

export function useStrategyPlugin(plugin: StrategyPlugin, source: string, builtin: (name: string) => boolean): void {
  for (const name of [plugin.name, ...(plugin.aliases ?? [])]) {
    if (builtin(name)) {
      throw regimenError({ code: 'plugin', value: name, message: `strategy plugin "${plugin.name}" (${source}) takes the name of a built-in strategy` });
    }
    used.set(name.toLowerCase(), { plugin, source });
  }
}

export function usedStrategyPlugin(type: string): StrategyPlugin | undefined {
  return used.get(type.toLowerCase())?.plugin;
}

/** names of the plugins in use, without aliases */
export function usedStrategyNames(): string[] {
  return [...new Set([...used.values()].map((u) => u.plugin.name))].sort();
}
