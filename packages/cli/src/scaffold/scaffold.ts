import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { regimenError } from '@regimen/core';
import { classifierSource } from './classifier-source.js';
import { SCAFFOLD_VERSIONS, scaffoldNames, type ScaffoldNames } from './names.js';
import { gitignore, packageJson, readme, testSource, tsconfigJson } from './package-files.js';
import { ASC_FLAGS, assemblySource, assemblyTsconfig, strategyReadme, strategySource, strategyTestSource } from './strategy-source.js';

export interface ScaffoldResult {
  dir: string;
  names: ScaffoldNames;
  /** paths relative to dir, in the order written */
  files: string[];
}

/** Never writes into a folder that already has something in it. */
function writePackage(dir: string, names: ScaffoldNames, files: Array<[string, string]>): ScaffoldResult {
  const root = resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0) {
    throw regimenError({ code: 'usage', field: '--dir', value: root, message: 'folder is not empty; choose a new or empty folder' });
  }
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { dir: root, names, files: files.map(([rel]) => rel) };
}

/**
 * A new classifier plugin package in `dir`: package.json, src/index.js (a working rolling-volatility
 * classifier), src/index.test.js (the conformance kit), README.md, tsconfig.json, .gitignore.
 */
export function scaffoldClassifier(name: string, dir: string): ScaffoldResult {
  const names = scaffoldNames(name);
  return writePackage(dir, names, [
    ['package.json', packageJson(names)],
    ['src/index.js', classifierSource(names)],
    ['src/index.test.js', testSource(names)],
    ['README.md', readme(names)],
    ['tsconfig.json', tsconfigJson()],
    ['.gitignore', gitignore],
  ]);
}

/**
 * A new strategy plugin package in `dir`: package.json, src/index.js (a working moving-average
 * band strategy), src/index.test.js (the conformance kit), README.md, tsconfig.json, .gitignore;
 * with `wasm`, also assembly/index.ts (the same rule in AssemblyScript) and the build that
 * compiles it to build/<name>.wasm before the tests run.
 */
export function scaffoldStrategy(name: string, dir: string, wasm: boolean): ScaffoldResult {
  const names = scaffoldNames(name, 'strategy');
  const extras = wasm
    ? {
        files: ['build', 'assembly'],
        scripts: { build: `asc assembly/index.ts -o build/${names.plugin}.wasm ${ASC_FLAGS}`, pretest: 'npm run build', prepublishOnly: 'npm run build' },
        devDependencies: { assemblyscript: SCAFFOLD_VERSIONS.assemblyscript },
      }
    : {};
  return writePackage(dir, names, [
    ['package.json', packageJson(names, extras)],
    ['src/index.js', strategySource(names, wasm)],
    ['src/index.test.js', strategyTestSource(names)],
    ...(wasm ? [['assembly/index.ts', assemblySource(names)], ['assembly/tsconfig.json', assemblyTsconfig]] as Array<[string, string]> : []),
    ['README.md', strategyReadme(names, wasm)],
    ['tsconfig.json', tsconfigJson()],
    ['.gitignore', wasm ? `${gitignore}build/\n` : gitignore],
  ]);
}
