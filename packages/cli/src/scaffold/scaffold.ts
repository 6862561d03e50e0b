import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { regimenError } from '@regimen/core';
import { classifierSource } from './classifier-source.js';
import { scaffoldNames, type ScaffoldNames } from './names.js';
import { gitignore, packageJson, readme, testSource, tsconfigJson } from './package-files.js';

export interface ScaffoldResult {
  dir: string;
  names: ScaffoldNames;
  /** paths relative to dir, in the order written */
  files: string[];
}

/**
 * A new classifier plugin package in `dir`: package.json, src/index.js (a working rolling-volatility
 * classifier), src/index.test.js (the conformance kit), README.md, tsconfig.json, .gitignore.
 * Never writes into a folder that already has something in it.
 */
export function scaffoldClassifier(name: string, dir: string): ScaffoldResult {
  const names = scaffoldNames(name);
  const root = resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0) {
    throw regimenError({ code: 'usage', field: '--dir', value: root, message: 'folder is not empty; choose a new or empty folder' });
  }
  const files: Array<[string, string]> = [
    ['package.json', packageJson(names)],
    ['src/index.js', classifierSource(names)],
    ['src/index.test.js', testSource(names)],
    ['README.md', readme(names)],
    ['tsconfig.json', tsconfigJson()],
    ['.gitignore', gitignore],
  ];
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { dir: root, names, files: files.map(([rel]) => rel) };
}
