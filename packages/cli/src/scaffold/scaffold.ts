import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { regimenError } from '@regimen/core';
import { classifierSource } from './classifier-source.js';
import { SCAFFOLD_VERSIONS, scaffoldNames, type ScaffoldKind, type ScaffoldNames } from './names.js';
import { optimizerReadme, optimizerSource, optimizerTestSource } from './optimizer-source.js';
import { gitignore, packageJson, readme, testSource, tsconfigJson } from './package-files.js';
import { ASC_FLAGS, assemblySource, assemblyTsconfig, strategyReadme, strategySource, strategyTestSource } from './strategy-source.js';
import { vendorRegimen, type Vendored } from './vendor.js';

export interface ScaffoldResult {
  dir: string;
  names: ScaffoldNames;
  /** paths relative to dir, in the order written (vendor/ tarballs first) */
  files: string[];
}

/** What plugin new needs to pack from this installation: the contract, and the kit for the tests. */
const VENDORED = ['@regimen/core', '@regimen/plugin-testkit'];

/**
 * Never writes into a folder that already has something in it. Regimen's packages are packed into
 * vendor/ first (the package.json names them); if anything fails, what was written is removed, so
 * a half-made package never looks complete.
 */
function writePackage(dir: string, names: ScaffoldNames, files: (v: Vendored) => Array<[string, string]>): ScaffoldResult {
  const root = resolve(dir);
  const existed = existsSync(root);
  if (existed && readdirSync(root).length > 0) {
    throw regimenError({ code: 'usage', field: '--dir', value: root, message: 'folder is not empty; choose a new or empty folder' });
  }
  mkdirSync(root, { recursive: true });
  try {
    const vendored = vendorRegimen(root, VENDORED);
    const written = files(vendored);
    for (const [rel, text] of written) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    const tarballs = Object.values(vendored.specs).map((spec) => relative(root, join(root, spec.slice('file:'.length))));
    return { dir: root, names, files: [...tarballs, ...written.map(([rel]) => rel)] };
  } catch (e) {
    if (existed) for (const f of readdirSync(root)) rmSync(join(root, f), { recursive: true, force: true });
    else rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

/**
 * A new classifier plugin package in `dir`: package.json, src/index.js (a working rolling-volatility
 * classifier), src/index.test.js (the conformance kit), README.md, tsconfig.json, .gitignore, vendor/.
 */
export function scaffoldClassifier(name: string, dir: string): ScaffoldResult {
  const names = scaffoldNames(name);
  return writePackage(dir, names, (v) => [
    ['package.json', packageJson(names, v)],
    ['src/index.js', classifierSource(names)],
    ['src/index.test.js', testSource(names)],
    ['README.md', readme(names, v)],
    ['tsconfig.json', tsconfigJson()],
    ['.gitignore', gitignore],
  ]);
}

/**
 * A new strategy plugin package in `dir`: package.json, src/index.js (a working moving-average
 * band strategy), src/index.test.js (the conformance kit), README.md, tsconfig.json, .gitignore,
 * vendor/; with `wasm`, also assembly/index.ts (the same rule in AssemblyScript) and the build
 * that compiles it to build/<name>.wasm before the tests run.
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
  return writePackage(dir, names, (v) => [
    ['package.json', packageJson(names, v, extras)],
    ['src/index.js', strategySource(names, wasm)],
    ['src/index.test.js', strategyTestSource(names)],
    ...(wasm ? [['assembly/index.ts', assemblySource(names)], ['assembly/tsconfig.json', assemblyTsconfig]] as Array<[string, string]> : []),
    ['README.md', strategyReadme(names, wasm, v)],
    ['tsconfig.json', tsconfigJson()],
    ['.gitignore', wasm ? `${gitignore}build/\n` : gitignore],
  ]);
}

/**
 * A new optimizer plugin package in `dir`: package.json, src/index.js (a working seeded random
 * search, ask/tell), src/index.test.js (the optimizer conformance kit), README.md, tsconfig.json,
 * .gitignore, vendor/.
 */
export function scaffoldOptimizer(name: string, dir: string): ScaffoldResult {
  const names = scaffoldNames(name, 'optimizer');
  return writePackage(dir, names, (v) => [
    ['package.json', packageJson(names, v)],
    ['src/index.js', optimizerSource(names)],
    ['src/index.test.js', optimizerTestSource(names)],
    ['README.md', optimizerReadme(names, v)],
    ['tsconfig.json', tsconfigJson()],
    ['.gitignore', gitignore],
  ]);
}

/** The kinds `regimen plugin new` makes. */
export const SCAFFOLD_KINDS: ScaffoldKind[] = ['classifier', 'strategy', 'optimizer'];
