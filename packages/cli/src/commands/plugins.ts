import type { Command } from 'commander';
import { z } from 'zod';
import { builtinRegistry, loadPlugins } from '@regimen/coordinator';
import { table } from '../format.js';

/** Option names and defaults of a plugin's zod schema, for the listing. */
function optionsText(schema: z.ZodType): string {
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { default?: unknown }> };
    return Object.entries(json.properties ?? {})
      .map(([k, v]) => (v.default !== undefined ? `${k}=${JSON.stringify(v.default)}` : k))
      .join(' ');
  } catch {
    return '';
  }
}

export function registerPlugins(program: Command): void {
  program
    .command('plugins')
    .description('list registered plugins (built-in and those given with --load) with kind, regimes and options')
    .option('--load <spec...>', 'also load these plugin packages or paths')
    .option('--json', 'print as JSON')
    .action(async (o: { load?: string[]; json?: boolean }) => {
      const registry = builtinRegistry();
      await loadPlugins(registry, o.load ?? [], process.cwd());
      const rows = registry.list().map(({ plugin, source }) => ({
        kind: plugin.kind,
        name: plugin.name,
        aliases: plugin.aliases ?? [],
        source,
        description: plugin.description ?? '',
        options: optionsText(plugin.options),
      }));
      if (o.json) console.log(JSON.stringify(rows, null, 2));
      else console.log(table(['kind', 'name', 'aliases', 'source', 'options'], rows.map((r) => [r.kind, r.name, r.aliases.join(','), r.source, r.options])));
    });
}
