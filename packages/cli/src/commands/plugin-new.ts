import { join } from 'node:path';
import type { Command } from 'commander';
import { regimenError } from '@regimen/core';
import { SCAFFOLD_KINDS as KINDS, scaffoldClassifier, scaffoldOptimizer, scaffoldStrategy } from '../scaffold/scaffold.js';

export function registerPluginNew(program: Command): void {
  const plugin = program.command('plugin').description('plugin development tools');
  plugin
    .command('new')
    .description('create a working plugin package to edit: source, conformance tests, README, and Regimen\'s packages packed into vendor/ so that npm install works anywhere')
    .argument('<kind>', `plugin kind (${KINDS.join(', ')})`)
    .argument('<name>', 'plugin name, e.g. vol-regime (package regimen-<kind>-<name>)')
    .option('--dir <folder>', 'where to create it (default ./<name>); must be new or empty')
    .option('--wasm', 'strategy: add an AssemblyScript implementation, built to WebAssembly before the tests')
    .action((kind: string, name: string, o: { dir?: string; wasm?: boolean }) => {
      if (!(KINDS as string[]).includes(kind)) throw regimenError({ code: 'usage', field: 'kind', value: kind, message: `can scaffold: ${KINDS.join(', ')}` });
      if (o.wasm && kind !== 'strategy') throw regimenError({ code: 'usage', field: '--wasm', message: 'only a strategy plugin has a WebAssembly implementation' });
      const dir = o.dir ?? join(process.cwd(), name);
      const r = kind === 'strategy' ? scaffoldStrategy(name, dir, o.wasm ?? false) : kind === 'optimizer' ? scaffoldOptimizer(name, dir) : scaffoldClassifier(name, dir);
      console.log(`created ${r.names.pkg} (${kind} "${r.names.plugin}") in ${r.dir}:`);
      for (const f of r.files) console.log(`  ${f}`);
      console.log(`next: cd ${r.dir} && npm install && npm test`);
    });
  plugin.commands.forEach((c) => c.exitOverride());
  plugin.exitOverride();
}
