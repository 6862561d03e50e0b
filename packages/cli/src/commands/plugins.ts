import type { Command } from 'commander';
import { z } from 'zod';
import { createRng, pluginSchema, type Plugin } from '@regimen/core';
import { builtinRegistry, loadPlugins } from '@regimen/coordinator';
import { table } from '../format.js';

/**
 * Option (or parameter) names and defaults of a plugin's zod schema, for the listing: names from
 * its JSON schema, defaults from parsing {} (a default behind a preprocess step, like the built-in
 * strategies' string-to-number coercion, does not show in the JSON schema).
 */
function optionsText(schema: z.ZodType): string {
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { default?: unknown }> };
    const parsed = schema.safeParse({});
    const defaults = (parsed.success && parsed.data && typeof parsed.data === 'object' ? parsed.data : {}) as Record<string, unknown>;
    return Object.entries(json.properties ?? {})
      .map(([k, v]) => {
        const d = v.default ?? defaults[k];
        return d !== undefined ? `${k}=${JSON.stringify(d)}` : k;
      })
      .join(' ');
  } catch {
    return '';
  }
}

/**
 * A classifier's regime names come from its fitted model, so list them from a fit with default
 * options on a small seeded random walk; a plugin that cannot fit that says so instead.
 */
async function regimesText(plugin: Plugin): Promise<string> {
  if (plugin.kind !== 'classifier') return '';
  try {
    const rng = createRng(7);
    const close = new Float64Array(600);
    close[0] = 100;
    for (let t = 1; t < close.length; t++) close[t] = close[t - 1]! * Math.exp(0.01 * rng.normal());
    const bars = { time: Float64Array.from(close, (_, t) => t * 86_400_000), open: close, high: close, low: close, close };
    const options = plugin.options.parse({});
    const model = JSON.parse(JSON.stringify(await plugin.fit(bars, options, { seed: 1 })));
    return plugin.regimes(model, options).join(',');
  } catch {
    return '(from the fitted model)';
  }
}

export function registerPlugins(program: Command): void {
  program
    .command('plugins')
    .description('list registered plugins (built-in and those given with --load): classifiers with their regimes and options, optimizers with their options, strategies with their parameters')
    .option('--load <spec...>', 'also load these plugin packages or paths')
    .option('--json', 'print as JSON')
    .action(async (o: { load?: string[]; json?: boolean }) => {
      const registry = builtinRegistry();
      await loadPlugins(registry, o.load ?? [], process.cwd());
      const rows = await Promise.all(registry.list().map(async ({ plugin, source }) => ({
        kind: plugin.kind,
        name: plugin.name,
        aliases: plugin.aliases ?? [],
        source,
        description: plugin.description ?? '',
        regimes: await regimesText(plugin),
        options: optionsText(pluginSchema(plugin)),
        ...(plugin.kind === 'strategy' ? { wasm: plugin.wasm !== undefined } : {}),
      })));
      if (o.json) console.log(JSON.stringify(rows, null, 2));
      else {
        const kind = (r: (typeof rows)[number]) => (r.wasm ? `${r.kind} (wasm)` : r.kind);
        console.log(table(['kind', 'name', 'aliases', 'source', 'regimes (default options)', 'options / parameters'], rows.map((r) => [kind(r), r.name, r.aliases.join(','), r.source, r.regimes, r.options])));
      }
    });
}
