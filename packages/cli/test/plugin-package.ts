import { mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * For tests of plugin packages outside the repository (a scaffold, a broken plugin beside a
 * workflow): what `npm install` of their dependencies would give, as links into this repository.
 */
export const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** the zod that @regimen/core itself resolves, so the plugin and the host agree on one copy */
const zodDir = dirname(createRequire(join(repo, 'packages/core/package.json')).resolve('zod/package.json'));

const links: Record<string, string> = {
  '@regimen/core': 'packages/core',
  '@regimen/plugin-testkit': 'packages/plugin-testkit',
  vitest: 'node_modules/vitest',
  assemblyscript: 'node_modules/assemblyscript',
};

/** node_modules in `root` with zod and the named packages (default: core), linked to this repository's */
export function linkRegimen(root: string, names: string[] = ['@regimen/core']): void {
  mkdirSync(join(root, 'node_modules/@regimen'), { recursive: true });
  symlinkSync(zodDir, join(root, 'node_modules/zod'), 'dir');
  for (const name of names) symlinkSync(join(repo, links[name]!), join(root, 'node_modules', name), 'dir');
  if (names.includes('assemblyscript')) {
    mkdirSync(join(root, 'node_modules/.bin'), { recursive: true });
    symlinkSync('../assemblyscript/bin/asc.js', join(root, 'node_modules/.bin/asc'));
  }
}

/** a child process without this test run's vitest state or loader conditions */
export function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'TEST'));
}
