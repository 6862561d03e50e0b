import { assertPlugin, importPluginSource, type PluginSource, type StrategyPlugin } from '@regimen/core';
import { useStrategyPlugin } from '@regimen/kernel';

/**
 * A pool worker's side of strategy plugins: tasks name their packages (npm name or path, and the
 * folder to resolve from), never carry code; each thread imports a package once and makes its
 * strategies runnable by its engines. A package that fails to import fails every batch that
 * needs it, with the one-line error the coordinator would have given.
 */
const loaded = new Map<string, Promise<void>>();

export function useStrategySources(sources: readonly PluginSource[]): Promise<unknown> {
  return Promise.all(sources.map((source) => {
    const key = `${source.from}\u0000${source.spec}`;
    let done = loaded.get(key);
    if (!done) {
      done = importStrategies(source);
      loaded.set(key, done);
    }
    return done;
  }));
}

async function importStrategies(source: PluginSource): Promise<void> {
  const { exported } = await importPluginSource(source);
  for (const p of exported) {
    if ((p as { kind?: unknown } | null)?.kind === 'strategy') useStrategyPlugin(assertPlugin(p, source.spec) as StrategyPlugin, source.spec);
  }
}
