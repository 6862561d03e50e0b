import { join } from 'node:path';
import type { Command } from 'commander';
import { regimenError } from '@regimen/core';
import { scaffoldClassifier } from '../scaffold/scaffold.js';

const KINDS = ['classifier'];

export function registerPluginNew(program: Command): void {
  const plugin = program.command('plugin').description('plugin development tools');
  plugin
    .command('new')
    .description('create a working plugin package to edit: source, conformance tests, README')
    .argument('<kind>', `plugin kind (${KINDS.join(', ')})`)
    .argument('<name>', 'plugin name, e.g. vol-regime (package regimen-classifier-<name>)')
    .option('--dir <folder>', 'where to create it (default ./<name>); must be new or empty')
    .action((kind: string, name: string, o: { dir?: string }) => {
      if (!KINDS.includes(kind)) throw regimenError({ code: 'usage', field: 'kind', value: kind, message: `can scaffold: ${KINDS.join(', ')}` });
      const r = scaffoldClassifier(name, o.dir ?? join(process.cwd(), name));
      console.log(`created ${r.names.pkg} (classifier "${r.names.plugin}") in ${r.dir}:`);
      for (const f of r.files) console.log(`  ${f}`);
      console.log(`next: cd ${r.dir} && npm install && npm test`);
    });
  plugin.commands.forEach((c) => c.exitOverride());
  plugin.exitOverride();
}
